package io.meshgw.gateway.api.v1;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Strict IP address literals, the only addresses the admin API takes: dotted-quad IPv4 and
 * RFC 4291 §2.2 IPv6 text, nothing else. Never touches DNS (a typo must not turn into a lookup),
 * and rejects the old BSD forms like "10.1" that {@link InetAddress} would accept.
 */
public final class IpLiteral {

    private static final Pattern OCTET = Pattern.compile("25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d");
    private static final Pattern IPV4 =
            Pattern.compile("(" + OCTET + ")\\.(" + OCTET + ")\\.(" + OCTET + ")\\.(" + OCTET + ")");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpLiteral() {}

    /** The address bytes (4 or 16) of a literal, or empty when it is not one. */
    public static Optional<byte[]> parse(String text) {
        var v4 = IPV4.matcher(text);
        if (v4.matches()) {
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) Integer.parseInt(v4.group(i + 1));
            }
            return Optional.of(b);
        }
        if (text.indexOf(':') < 0 || !IPV6_CHARS.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            InetAddress a = Inet6Address.ofLiteral(text);
            // ::ffff:a.b.c.d comes back as IPv4; keep the family the user typed.
            return Optional.of(a instanceof Inet6Address ? a.getAddress() : mapped(a.getAddress()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] mapped(byte[] v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(v4, 0, b, 12, 4);
        return b;
    }
}
