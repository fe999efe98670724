package io.meshgw.operator.model;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parses IP literals without ever resolving names (InetAddress.getByName would do a DNS lookup). */
public final class IpAddresses {
    private static final Pattern DOTTED_QUAD =
            Pattern.compile("^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");

    /** IPv4 before IPv6, each family in numeric order. */
    public static final Comparator<InetAddress> ORDER =
            Comparator.comparingInt(IpAddresses::bits).thenComparing(IpAddresses::toNumber);

    private IpAddresses() {}

    /**
     * Only the canonical forms: dotted quad without leading zeros (which some tools read as octal) for IPv4,
     * RFC 4291 §2.2 text for IPv6, no zone id.
     */
    public static Optional<InetAddress> parse(String text) {
        if (text == null || text.isEmpty()) return Optional.empty();
        if (text.indexOf(':') < 0 && !DOTTED_QUAD.matcher(text).matches()) return Optional.empty();
        if (text.indexOf('%') >= 0 || text.startsWith("[")) return Optional.empty();
        try {
            // Java 22+: parses a literal only, never consults a resolver.
            return Optional.of(InetAddress.ofLiteral(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static BigInteger toNumber(InetAddress address) {
        return new BigInteger(1, address.getAddress());
    }

    public static int bits(InetAddress address) {
        return address.getAddress().length * 8;
    }

    /** The address of {@code bits} width (32 or 128) whose value is {@code number}; never consults a resolver. */
    public static InetAddress fromNumber(BigInteger number, int bits) {
        byte[] raw = number.toByteArray();
        byte[] out = new byte[bits / 8];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address width: " + bits, e);
        }
    }

    /** Canonical text: dotted quad, or RFC 5952 §4 for IPv6 (lower case, longest zero run compressed). */
    public static String format(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) return address.getHostAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            // RFC 5952 §4.2.2: a single zero group is not compressed; §4.2.3: the first longest run wins.
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        var text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            text.append(Integer.toHexString(groups[i]));
            if (i < 7) text.append(':');
        }
        return text.toString();
    }

    /** The host prefix of an address: {@code /32} or {@code /128}. */
    public static String hostPrefix(InetAddress address) {
        return format(address) + "/" + bits(address);
    }
}
