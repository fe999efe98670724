package io.meshgw.bgp.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** A destination prefix as carried in NLRI (RFC 4271 §4.3): family, address bytes, length. */
public record Prefix(Afi afi, byte[] address, int length) {

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

    /** Bytes the prefix occupies in NLRI: one length octet plus the significant octets. */
    int encodedSize() {
        return 1 + (length + 7) / 8;
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
    public String toString() {
        try {
            return InetAddress.getByAddress(address).getHostAddress() + "/" + length;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
