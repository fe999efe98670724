package io.meshgw.types;

import java.util.Comparator;
import java.util.Objects;

/**
 * An IP prefix whose host bits are zero, so equal prefixes are equal values. Orders by address, then length.
 *
 * @param address the network address (host bits zero)
 * @param length 0..32 for IPv4, 0..128 for IPv6
 */
public record IpPrefix(IpAddress address, int length) implements Comparable<IpPrefix> {

    private static final Comparator<IpPrefix> ORDER =
            Comparator.comparing(IpPrefix::address).thenComparingInt(IpPrefix::length);

    public IpPrefix {
        Objects.requireNonNull(address, "prefix address");
        checkLength(address.family(), length);
        if (!address.masked(length).equals(address)) {
            throw new IllegalArgumentException(address + "/" + length + " has host bits set");
        }
    }

    /** The prefix of a network address whose host bits are zero. */
    public static IpPrefix of(IpAddress address, int length) {
        return new IpPrefix(address, length);
    }

    /** The prefix of {@code length} bits that covers {@code address} (host bits cleared). */
    public static IpPrefix covering(IpAddress address, int length) {
        return new IpPrefix(address.masked(length), length);
    }

    /**
     * Parses {@code address/length}; a bare address is its host prefix. Host bits must be zero: {@code 10.0.0.1/24}
     * is refused, since whoever wrote it meant something the prefix cannot say.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static IpPrefix parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a prefix (address/length) is required");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return IpAddress.parse(text).hostPrefix();
        }
        IpAddress address = IpAddress.parse(text.substring(0, slash));
        String lengthText = text.substring(slash + 1);
        int max = address.family().bits();
        if (lengthText.isEmpty()
                || lengthText.length() > 3
                || !lengthText.chars().allMatch(c -> c >= '0' && c <= '9')
                || (lengthText.length() > 1 && lengthText.charAt(0) == '0')
                || Integer.parseInt(lengthText) > max) {
            throw new IllegalArgumentException("'" + NameRules.abbreviate(text) + "' has an invalid prefix length (0.."
                    + max + " for " + address.family() + ")");
        }
        int length = Integer.parseInt(lengthText);
        if (!address.masked(length).equals(address)) {
            throw new IllegalArgumentException("'" + NameRules.abbreviate(text) + "' has host bits set (the network is "
                    + address.masked(length) + "/" + length + ")");
        }
        return new IpPrefix(address, length);
    }

    static void checkLength(IpFamily family, int length) {
        if (length < 0 || length > family.bits()) {
            throw new IllegalArgumentException(
                    "an " + family + " prefix length is 0.." + family.bits() + ", not " + length);
        }
    }

    public IpFamily family() {
        return address.family();
    }

    /** A /32 or /128. */
    public boolean host() {
        return length == address.family().bits();
    }

    public boolean contains(IpAddress other) {
        return other.family() == family() && other.masked(length).equals(address);
    }

    /** True when {@code other} is this prefix or a more specific one inside it. */
    public boolean contains(IpPrefix other) {
        return other.length >= length && contains(other.address);
    }

    @Override
    public int compareTo(IpPrefix other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return address + "/" + length;
    }
}
