package io.meshgw.operator.model;

import java.math.BigInteger;
import java.net.InetAddress;

/** An inclusive range of addresses of one family, the common form of CIDRs and first..last ranges. */
public record AddressRange(int bits, BigInteger first, BigInteger last) {
    public static AddressRange of(InetAddress first, InetAddress last) {
        return new AddressRange(IpAddresses.bits(first), IpAddresses.toNumber(first), IpAddresses.toNumber(last));
    }

    public boolean contains(InetAddress address) {
        if (IpAddresses.bits(address) != bits) return false;
        var n = IpAddresses.toNumber(address);
        return first.compareTo(n) <= 0 && n.compareTo(last) <= 0;
    }

    public boolean overlaps(AddressRange other) {
        return bits == other.bits && first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
    }
}
