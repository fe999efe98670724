package io.meshgw.bgp.wire;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * A destination prefix as carried in NLRI (RFC 4271 §4.3): family, address bytes, length.
 *
 * <p>Comparable (family, then address, then length), consistently with {@link #equals}: a neighbor can choose
 * prefixes whose {@link #hashCode} collide (the hash is fixed and invertible), and {@code HashMap} keeps the colliding
 * keys of a bucket in a tree ordered by {@link #compareTo} once the bucket grows, so each lookup costs O(log n) rather
 * than a scan of every colliding prefix.
 */
public record Prefix(Afi afi, byte[] address, int length) implements Comparable<Prefix> {

    public Prefix {
        if (address.length != afi.addressBytes) {
            throw new IllegalArgumentException(
                    afi + " prefix needs " + afi.addressBytes + " bytes, got " + address.length);
        }
        if (length < 0 || length > afi.addressBytes * 8) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for " + afi);
        }
        address = address.clone();
        for (int bit = length; bit < address.length * 8; bit++) {
            address[bit / 8] &= (byte) ~(0x80 >>> (bit % 8)); // trailing bits are ignored (§4.3)
        }
    }

    public static Prefix parse(String cidr) {
        int slash = cidr.indexOf('/');
        try {
            byte[] a = InetAddress.ofLiteral(cidr.substring(0, slash)).getAddress();
            return new Prefix(a.length == 4 ? Afi.IPV4 : Afi.IPV6, a, Integer.parseInt(cidr.substring(slash + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + cidr + "' is not a prefix (address/length)", e);
        }
    }

    /**
     * An IPv4 prefix as one number, {@code address << 6 | length} (38 bits), for tables that hold
     * prefixes by the million; -1 for an IPv6 prefix.
     */
    public long packedIpv4() {
        if (afi != Afi.IPV4) {
            return -1;
        }
        long a =
                (address[0] & 0xFFL) << 24 | (address[1] & 0xFF) << 16 | (address[2] & 0xFF) << 8 | (address[3] & 0xFF);
        return a << 6 | length;
    }

    /** The IPv4 prefix {@link #packedIpv4} made {@code packed} from. */
    public static Prefix ofPackedIpv4(long packed) {
        long a = packed >>> 6;
        return new Prefix(Afi.IPV4, new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a}, (int)
                (packed & 63));
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    byte[] raw() {
        return address;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prefix p && p.afi == afi && p.length == length && Arrays.equals(p.address, address);
    }

    /**
     * A well-mixed hash: RIBs hold millions of prefixes that differ in a few low bits, which
     * the byte-array polynomial hash folds onto few buckets.
     */
    @Override
    public int hashCode() {
        int h = length * 0x9E3779B1 + afi.ordinal();
        for (int i = 0; i < address.length; i += 4) {
            int word = (address[i] & 0xFF) << 24
                    | (address[i + 1] & 0xFF) << 16
                    | (address[i + 2] & 0xFF) << 8
                    | (address[i + 3] & 0xFF);
            h = (h ^ word) * 0x85EBCA6B;
            h ^= h >>> 13;
        }
        return h * 0xC2B2AE35 ^ (h >>> 16);
    }

    @Override
    public int compareTo(Prefix o) {
        int c = afi.compareTo(o.afi);
        if (c == 0) {
            c = Arrays.compareUnsigned(address, o.address);
        }
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    /** The canonical text form (RFC 5952 for IPv6: lowercase, longest zero run compressed). */
    @Override
    public String toString() {
        return addressText() + "/" + length;
    }

    /** An address (4 or 16 bytes) in canonical text form, without a length. */
    public static String addressText(byte[] address) {
        return new Prefix(address.length == 4 ? Afi.IPV4 : Afi.IPV6, address, address.length * 8).addressText();
    }

    /** The address part of {@link #toString}. */
    public String addressText() {
        if (afi == Afi.IPV4) {
            return (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + "."
                    + (address[3] & 0xFF);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (address[2 * i] & 0xFF) << 8 | (address[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 1; // RFC 5952 §4.2.2: a single zero group is not compressed
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
