package io.meshgw.types;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An IPv6 address.
 *
 * @param high the first 64 bits, as an unsigned number
 * @param low the last 64 bits, as an unsigned number
 */
public record Ipv6Address(long high, long low) implements IpAddress {

    static Ipv6Address of(byte[] b) {
        if (b.length == 4) {
            // An IPv4-mapped address (RFC 4291 §2.5.5.2) that the JDK handed back as IPv4.
            return new Ipv6Address(0, 0xffff_0000_0000L | Ipv4Address.of(b).value() & 0xffff_ffffL);
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (b[i] & 0xff);
            low = low << 8 | (b[i + 8] & 0xff);
        }
        return new Ipv6Address(high, low);
    }

    /** Parses RFC 4291 §2.2 text; no brackets, no zone id. */
    public static Ipv6Address parse(String text) {
        if (text.indexOf('%') >= 0 || text.indexOf('[') >= 0 || text.indexOf(']') >= 0) {
            throw invalid(text, "; no brackets or zone id");
        }
        InetAddress parsed;
        try {
            // Java 22+: a literal only, never a resolver.
            parsed = Inet6Address.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw invalid(text, "");
        }
        return switch (parsed) {
            case Inet6Address a -> of(a.getAddress());
            case Inet4Address a -> of(a.getAddress());
            default -> throw invalid(text, "");
        };
    }

    private static IllegalArgumentException invalid(String text, String detail) {
        return new IllegalArgumentException("'" + NameRules.abbreviate(text) + "' is not an IPv6 address" + detail);
    }

    @Override
    public IpFamily family() {
        return IpFamily.IPV6;
    }

    @Override
    public byte[] toBytes() {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (high >>> (56 - 8 * i));
            b[i + 8] = (byte) (low >>> (56 - 8 * i));
        }
        return b;
    }

    @Override
    public Ipv6Address masked(int length) {
        IpPrefix.checkLength(IpFamily.IPV6, length);
        if (length == 0) {
            return new Ipv6Address(0, 0);
        }
        if (length <= 64) {
            return new Ipv6Address(high & (-1L << (64 - length)), 0);
        }
        return new Ipv6Address(high, length == 128 ? low : low & (-1L << (128 - length)));
    }

    /** RFC 4291 §2.5.5.2: {@code ::ffff:a.b.c.d}. */
    public boolean ipv4Mapped() {
        return high == 0 && (low >>> 32) == 0xffff;
    }

    /** RFC 5952 §4: lower case, no leading zeros, the first longest run of two or more zero groups as "::". */
    @Override
    public String toString() {
        if (ipv4Mapped()) {
            // RFC 5952 §5: the mixed notation for IPv4-mapped addresses.
            return "::ffff:" + new Ipv4Address((int) low);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (high >>> (48 - 16 * i)) & 0xffff;
            groups[i + 4] = (int) (low >>> (48 - 16 * i)) & 0xffff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            text.append(Integer.toHexString(groups[i]));
            if (i < 7) {
                text.append(':');
            }
        }
        return text.toString();
    }
}
