package io.meshgw.mesh.state;

import io.meshgw.types.NameRules;
import java.util.List;

/** Text to {@link StateKey}, with a reason for every way the text can be wrong. */
final class KeyParser {

    private static final int MAX_KEY_LENGTH = 600;

    private KeyParser() {}

    static ParsedKey parse(String text) {
        if (text == null || text.isEmpty()) {
            return new ParsedKey.Invalid("", "key is empty");
        }
        if (text.length() > MAX_KEY_LENGTH) {
            return invalid(text, "is " + text.length() + " characters; keys are at most " + MAX_KEY_LENGTH);
        }
        List<String> parts = List.of(text.split("/", -1));
        String kind = parts.getFirst();
        return switch (kind) {
            case "svc" -> build(text, parts, 3, "svc/<namespace>/<name>");
            case "eps" -> build(text, parts, 4, "eps/<namespace>/<service>/<slice>");
            case "gw" -> build(text, parts, 2, "gw/<node>");
            case "meta" -> meta(text);
            default ->
                invalid(
                        text,
                        "has unknown kind '" + NameRules.abbreviate(kind) + "'; expected one of svc, eps, gw, meta");
        };
    }

    private static ParsedKey meta(String text) {
        for (MetaKey m : MetaKey.values()) {
            if (m.format().equals(text)) {
                return new ParsedKey.Valid(m);
            }
        }
        return invalid(text, "is not a known meta key; expected meta/heartbeat or meta/synced");
    }

    private static ParsedKey build(String text, List<String> parts, int expected, String shape) {
        if (parts.size() != expected) {
            return invalid(text, "needs " + expected + " '/'-separated parts (" + shape + "), has " + parts.size());
        }
        try {
            StateKey key = switch (parts.getFirst()) {
                case "svc" -> new ServiceKey(parts.get(1), parts.get(2));
                case "eps" -> new EndpointSliceKey(parts.get(1), parts.get(2), parts.get(3));
                case "gw" -> new GatewayKey(parts.get(1));
                default -> throw new IllegalStateException("unreachable: kind " + parts.getFirst());
            };
            return new ParsedKey.Valid(key);
        } catch (IllegalArgumentException e) {
            return invalid(text, "has a bad part: " + e.getMessage());
        }
    }

    private static ParsedKey invalid(String text, String why) {
        return new ParsedKey.Invalid(text, "key '" + NameRules.abbreviate(text) + "' " + why);
    }
}
