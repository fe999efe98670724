package io.meshgw.gateway.cli;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code meshgw explain} asks about: an address and maybe a port. Forms: {@code 192.0.2.1},
 * {@code 192.0.2.1:80}, {@code 2001:db8::1}, {@code [2001:db8::1]} and {@code [2001:db8::1]:443}
 * (RFC 3986 §3.2.2 brackets, the only unambiguous way to put a port after an IPv6 address).
 */
record ExplainTarget(byte[] address, OptionalInt port) {

    static final String FORMS = "192.0.2.1, 192.0.2.1:80, 2001:db8::1 or [2001:db8::1]:443";

    private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]+)](?::(\\d{1,5}))?");
    private static final Pattern V4_WITH_PORT = Pattern.compile("([0-9.]+):(\\d{1,5})");

    static Optional<ExplainTarget> parse(String text) {
        Matcher m = BRACKETED.matcher(text);
        if (m.matches()) {
            return IpLiteral.parse(m.group(1)).filter(a -> a.length == 16).flatMap(a -> withPort(a, m.group(2)));
        }
        Matcher v4 = V4_WITH_PORT.matcher(text);
        if (v4.matches()) {
            return IpLiteral.parse(v4.group(1)).flatMap(a -> withPort(a, v4.group(2)));
        }
        return IpLiteral.parse(text).map(a -> new ExplainTarget(a, OptionalInt.empty()));
    }

    private static Optional<ExplainTarget> withPort(byte[] address, String port) {
        if (port == null) {
            return Optional.of(new ExplainTarget(address, OptionalInt.empty()));
        }
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535 ? Optional.of(new ExplainTarget(address, OptionalInt.of(p))) : Optional.empty();
    }
}
