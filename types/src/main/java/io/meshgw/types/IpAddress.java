package io.meshgw.types;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address as a value: equal addresses are equal objects, IPv4 orders before IPv6 and each family
 * orders as unsigned numbers. Text is parsed strictly (no host names, no zone ids, no leading zeros in a dotted quad,
 * which some tools read as octal) and printed canonically (dotted quad; RFC 5952 for IPv6).
 */
public sealed interface IpAddress extends Comparable<IpAddress> permits Ipv4Address, Ipv6Address {

    IpFamily family();

    /** The address in network byte order: 4 or 16 bytes. */
    byte[] toBytes();

    /** The first {@code length} bits kept, the others zero. */
    IpAddress masked(int length);

    /** The prefix of {@code length} bits that covers this address. */
    default IpPrefix prefix(int length) {
        return IpPrefix.of(masked(length), length);
    }

    /** The host prefix: {@code /32} or {@code /128}. */
    default IpPrefix hostPrefix() {
        return IpPrefix.of(this, family().bits());
    }

    default int bits() {
        return family().bits();
    }

    default BigInteger toBigInteger() {
        return new BigInteger(1, toBytes());
    }

    default InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(toBytes());
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    @Override
    default int compareTo(IpAddress other) {
        int byFamily = family().compareTo(other.family());
        if (byFamily != 0) {
            return byFamily;
        }
        return switch (this) {
            case Ipv4Address a -> Integer.compareUnsigned(a.value(), ((Ipv4Address) other).value());
            case Ipv6Address a -> {
                Ipv6Address b = (Ipv6Address) other;
                int high = Long.compareUnsigned(a.high(), b.high());
                yield high != 0 ? high : Long.compareUnsigned(a.low(), b.low());
            }
        };
    }

    /**
     * Parses an IP literal.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    static IpAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("an IP address is required");
        }
        if (text.indexOf(':') < 0) {
            return Ipv4Address.parse(text);
        }
        return Ipv6Address.parse(text);
    }

    /** Like {@link #parse}, empty instead of an exception. */
    static Optional<IpAddress> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The address of an {@link InetAddress} (an IPv4-mapped IPv6 address stays IPv6; the scope id is dropped). */
    static IpAddress of(InetAddress address) {
        return switch (address) {
            case Inet4Address a -> Ipv4Address.of(a);
            case Inet6Address a -> Ipv6Address.of(a.getAddress());
            default -> throw new IllegalArgumentException("not an IPv4 or IPv6 address: " + address);
        };
    }

    /** The address of 4 or 16 bytes in network order. */
    static IpAddress of(byte[] bytes) {
        return switch (bytes.length) {
            case 4 -> Ipv4Address.of(bytes);
            case 16 -> Ipv6Address.of(bytes);
            default -> throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
        };
    }

    /** The address of {@code family} whose unsigned value is {@code value}. */
    static IpAddress of(IpFamily family, BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > family.bits()) {
            throw new IllegalArgumentException(value + " is not an " + family + " address");
        }
        byte[] raw = value.toByteArray();
        byte[] out = new byte[family.bits() / 8];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        return of(out);
    }
}
