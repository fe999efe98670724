package io.meshgw.gateway.api.v1;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code address} of {@code GET /api/v1/explain}: an address and maybe a port. Forms:
 * {@code 192.0.2.1}, {@code 192.0.2.1:80}, {@code 2001:db8::1}, {@code [2001:db8::1]} and
 * {@code [2001:db8::1]:443} (RFC 3986 §3.2.2 brackets, the only unambiguous way to put a port
 * after an IPv6 address). The CLI checks its argument with it before asking, and the gateway
 * parses the parameter with it, so both take the same forms.
 *
 * @param address 4 or 16 bytes
 */
public record ExplainTarget(byte[] address, OptionalInt port) {

    /** The forms, as error messages list them. */
    public static final String FORMS = "192.0.2.1, 192.0.2.1:80, 2001:db8::1 or [2001:db8::1]:443";

    private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]+)](?::(\\d{1,5}))?");
    private static final Pattern V4_WITH_PORT = Pattern.compile("([0-9.]+):(\\d{1,5})");

    /** The target, or empty when the text has none of the forms. */
    public static Optional<ExplainTarget> parse(String text) {
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

    /** The address as the JDK holds it; an IPv4-mapped IPv6 address comes back as IPv4. */
    public InetAddress inetAddress() {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + address.length + " bytes", e);
        }
    }
}
