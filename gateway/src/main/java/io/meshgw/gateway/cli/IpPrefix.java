package io.meshgw.gateway.cli;

import io.meshgw.gateway.api.v1.IpLiteral;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 prefix as the routes table filters on it. The address is kept masked, so
 * "10.0.0.1/24" and "10.0.0.0/24" are the same prefix.
 */
record IpPrefix(byte[] address, int length) implements Comparable<IpPrefix> {

    IpPrefix {
        address = mask(address, length);
    }

    /** "10.0.0.0/24", "2001:db8::/32"; empty when the text is not a prefix. */
    static Optional<IpPrefix> parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String len = text.substring(slash + 1);
        if (!len.matches("\\d{1,3}")) {
            return Optional.empty();
        }
        int length = Integer.parseInt(len);
        return IpLiteral.parse(text.substring(0, slash))
                .filter(a -> length <= a.length * 8)
                .map(a -> new IpPrefix(a, length));
    }

    boolean contains(byte[] other) {
        return other.length == address.length && Arrays.equals(mask(other, length), address);
    }

    private static byte[] mask(byte[] a, int length) {
        byte[] m = a.clone();
        for (int bit = length; bit < m.length * 8; bit++) {
            m[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return m;
    }

    /** IPv4 before IPv6, then by address, then shorter prefixes first: the order of a RIB dump. */
    @Override
    public int compareTo(IpPrefix o) {
        int c = Integer.compare(address.length, o.address.length);
        if (c == 0) {
            c = Arrays.compareUnsigned(address, o.address);
        }
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.length == length && Arrays.equals(p.address, address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + length;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(address).getHostAddress() + "/" + length; // no lookup: bytes given
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + address.length + " bytes", e);
        }
    }
}
