package io.meshgw.mesh.state;

import io.meshgw.types.NameRules;

/**
 * Kubernetes label keys ({@code [prefix/]name}) and values, checked loosely enough to accept
 * every label Kubernetes accepts and strictly enough that no control character or unbounded
 * string reaches a log line or the wire.
 */
final class LabelRules {

    private LabelRules() {}

    static void require(String key, String value) {
        if (key == null || key.isEmpty() || key.length() > 317 || !printable(key)) {
            throw new IllegalArgumentException("label key '" + NameRules.abbreviate(String.valueOf(key))
                    + "' must be 1..317 printable characters without spaces");
        }
        if (value == null || value.length() > 63 || !printable(value)) {
            throw new IllegalArgumentException("label " + NameRules.abbreviate(key) + " has value '"
                    + NameRules.abbreviate(String.valueOf(value)) + "'; values are 0..63 printable characters");
        }
    }

    static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
