package io.meshgw.bgp.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An IPv4 or IPv6 prefix as policy sees it: the network bytes (4 or 16) and the length, host bits
 * zero.
 */
public record RoutePrefix(byte[] network, int length) {

    public RoutePrefix {
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("a prefix has 4 or 16 address bytes, not " + network.length);
        }
        if (length < 0 || length > network.length * 8) {
            throw new IllegalArgumentException("prefix length " + length + " is outside 0.." + network.length * 8);
        }
        network = mask(network.clone(), length);
    }

    /** Parses {@code a.b.c.d/len} or {@code v6::/len} without DNS; host bits must be zero. */
    public static RoutePrefix parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + cidr + "' is not a prefix: expected address/length");
        }
        String addr = cidr.substring(0, slash);
        // Only literals reach InetAddress, so it never resolves a name.
        if (!addr.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !(addr.contains(":") && addr.matches("[0-9a-fA-F:.]+"))) {
            throw new IllegalArgumentException("'" + addr + "' is not an IP address");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + addr + "' is not an IP address", e);
        }
        int len;
        try {
            len = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + cidr + "' has no numeric prefix length", e);
        }
        RoutePrefix p = new RoutePrefix(bytes, len);
        if (!Arrays.equals(p.network, bytes)) {
            throw new IllegalArgumentException("'" + cidr + "' has host bits set; did you mean " + p + "?");
        }
        return p;
    }

    public boolean ipv6() {
        return network.length == 16;
    }

    /** The longest prefix of the family: 32 or 128. */
    public int maxLength() {
        return network.length * 8;
    }

    /** True when {@code other} lies inside this prefix (same family, at least as long). */
    public boolean covers(RoutePrefix other) {
        if (other.network.length != network.length || other.length < length) {
            return false;
        }
        return Arrays.equals(mask(other.network.clone(), length), network);
    }

    private static byte[] mask(byte[] b, int length) {
        for (int bit = length; bit < b.length * 8; bit++) {
            b[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutePrefix p && p.length == length && Arrays.equals(p.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + length;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + length;
        } catch (UnknownHostException e) {
            return HexFormat.of().formatHex(network) + "/" + length;
        }
    }
}
