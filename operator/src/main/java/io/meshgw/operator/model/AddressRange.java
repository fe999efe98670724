package io.meshgw.operator.model;

import io.meshgw.types.IpAddress;
import io.meshgw.types.IpFamily;
import io.meshgw.types.IpPrefix;
import java.math.BigInteger;

/**
 * An inclusive range of addresses of one family, the common form of a pool's CIDRs and first..last ranges. Numbers
 * rather than addresses, so a pool can be walked and counted without caring about the family.
 */
public record AddressRange(IpFamily family, BigInteger first, BigInteger last) {
    public AddressRange {
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("range " + first + ".." + last + " is empty");
        }
    }

    /** @throws IllegalArgumentException when the addresses are of different families or out of order */
    public static AddressRange of(IpAddress first, IpAddress last) {
        if (first.family() != last.family()) {
            throw new IllegalArgumentException(first + " and " + last + " are of different address families");
        }
        return new AddressRange(first.family(), first.toBigInteger(), last.toBigInteger());
    }

    public static AddressRange of(IpPrefix prefix) {
        var hostMask = BigInteger.ONE
                .shiftLeft(prefix.family().bits() - prefix.length())
                .subtract(BigInteger.ONE);
        var first = prefix.address().toBigInteger();
        return new AddressRange(prefix.family(), first, first.or(hostMask));
    }

    public boolean contains(IpAddress address) {
        if (address.family() != family) return false;
        var n = address.toBigInteger();
        return first.compareTo(n) <= 0 && n.compareTo(last) <= 0;
    }

    public boolean overlaps(AddressRange other) {
        return family == other.family && first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
    }

    /** The address numbered {@code n} in this range's family. */
    public IpAddress address(BigInteger n) {
        return IpAddress.of(family, n);
    }

    /** How many addresses the range holds. */
    public BigInteger size() {
        return last.subtract(first).add(BigInteger.ONE);
    }
}
