package io.meshgw.types;

/**
 * The name grammars keys and values accept. They follow Kubernetes (DNS-1123 labels for
 * namespaces and services, subdomains for slices and nodes) so any object the operator sees can
 * be exported, while a '/' or an upper-case letter can never make two keys look alike.
 */
public final class NameRules {

    public static final int LABEL_MAX = 63;
    public static final int SUBDOMAIN_MAX = 253;

    private NameRules() {}

    /** The reason {@code value} is not a DNS-1123 label, or {@code null} when it is one. */
    public static String labelProblem(String what, String value) {
        if (value == null || value.isEmpty()) {
            return what + " is empty";
        }
        if (value.length() > LABEL_MAX) {
            return what + " '" + abbreviate(value) + "' is " + value.length() + " characters; at most " + LABEL_MAX;
        }
        if (!isLabel(value, 0, value.length())) {
            return what + " '" + abbreviate(value) + "' is not a DNS-1123 label"
                    + " (lowercase letters, digits and '-', starting and ending with a letter or digit)";
        }
        return null;
    }

    /** The reason {@code value} is not a DNS-1123 subdomain, or {@code null} when it is one. */
    public static String subdomainProblem(String what, String value) {
        if (value == null || value.isEmpty()) {
            return what + " is empty";
        }
        if (value.length() > SUBDOMAIN_MAX) {
            return what + " '" + abbreviate(value) + "' is " + value.length() + " characters; at most " + SUBDOMAIN_MAX;
        }
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            if (i == value.length() || value.charAt(i) == '.') {
                if (!isLabel(value, start, i)) {
                    return what + " '" + abbreviate(value) + "' is not a DNS-1123 subdomain"
                            + " (dot-separated lowercase labels of letters, digits and '-')";
                }
                start = i + 1;
            }
        }
        return null;
    }

    public static String requireLabel(String what, String value) {
        String problem = labelProblem(what, value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return value;
    }

    public static String requireSubdomain(String what, String value) {
        String problem = subdomainProblem(what, value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return value;
    }

    private static boolean isLabel(String s, int from, int to) {
        if (to <= from || to - from > LABEL_MAX) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alnum && !(c == '-' && i != from && i != to - 1)) {
                return false;
            }
        }
        return true;
    }

    /** Keeps error messages one line long even for hostile input. */
    public static String abbreviate(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(s.length(), 80); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return s.length() > 80 ? b + "..." : b.toString();
    }
}
