package io.meshgw.bpf.datapath;

import java.net.Inet4Address;

/** An IPv4 prefix with its host bits cleared. */
public record Ipv4Prefix(int addr, int length) {

    public Ipv4Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("an IPv4 prefix length is 0..32, not " + length);
        }
        addr = length == 0 ? 0 : addr & (-1 << (32 - length));
    }

    public static Ipv4Prefix of(Inet4Address a, int length) {
        return new Ipv4Prefix(Ipv4.toInt(a), length);
    }

    /** Parses {@code a.b.c.d/len} (a bare address is a /32). */
    public static Ipv4Prefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new Ipv4Prefix(Ipv4.toInt(Ipv4.parse(text)), 32);
        }
        int len;
        try {
            len = Integer.parseInt(text.substring(slash + 1).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no numeric prefix length");
        }
        return new Ipv4Prefix(Ipv4.toInt(Ipv4.parse(text.substring(0, slash))), len);
    }

    public boolean contains(int address) {
        return length == 0 || (address & (-1 << (32 - length))) == addr;
    }

    @Override
    public String toString() {
        return Ipv4.format(addr) + "/" + length;
    }
}
