package io.meshgw.operator.model;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parses IP literals without ever resolving names (InetAddress.getByName would do a DNS lookup). */
public final class IpAddresses {
    private static final Pattern DOTTED_QUAD =
            Pattern.compile("^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");

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
}
