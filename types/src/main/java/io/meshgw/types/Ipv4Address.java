package io.meshgw.types;

import java.net.Inet4Address;

/**
 * An IPv4 address.
 *
 * @param value the address as an unsigned 32-bit number: 10.0.0.1 is {@code 0x0a000001}
 */
public record Ipv4Address(int value) implements IpAddress {

    public static Ipv4Address of(Inet4Address address) {
        return of(address.getAddress());
    }

    static Ipv4Address of(byte[] b) {
        return new Ipv4Address((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff));
    }

    /** Parses a dotted quad: four decimal numbers 0..255 without leading zeros. */
    public static Ipv4Address parse(String text) {
        int value = 0;
        int part = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i < text.length() && text.charAt(i) != '.') {
                char c = text.charAt(i);
                if (c < '0' || c > '9' || i - start >= 3) {
                    throw invalid(text);
                }
                continue;
            }
            int digits = i - start;
            if (digits == 0 || (digits > 1 && text.charAt(start) == '0') || part == 4) {
                throw invalid(text);
            }
            int octet = Integer.parseInt(text, start, i, 10);
            if (octet > 255) {
                throw invalid(text);
            }
            value = value << 8 | octet;
            part++;
            start = i + 1;
        }
        if (part != 4) {
            throw invalid(text);
        }
        return new Ipv4Address(value);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + NameRules.abbreviate(text)
                + "' is not an IPv4 address (a dotted quad of 0..255 without leading zeros)");
    }

    @Override
    public IpFamily family() {
        return IpFamily.IPV4;
    }

    @Override
    public byte[] toBytes() {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    @Override
    public Ipv4Address masked(int length) {
        IpPrefix.checkLength(IpFamily.IPV4, length);
        return length == 0 ? new Ipv4Address(0) : new Ipv4Address(value & (-1 << (32 - length)));
    }

    @Override
    public Inet4Address toInetAddress() {
        return (Inet4Address) IpAddress.super.toInetAddress();
    }

    @Override
    public String toString() {
        return (value >>> 24) + "." + (value >>> 16 & 0xff) + "." + (value >>> 8 & 0xff) + "." + (value & 0xff);
    }
}
