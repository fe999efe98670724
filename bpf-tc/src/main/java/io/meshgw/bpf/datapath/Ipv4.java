package io.meshgw.bpf.datapath;

import java.net.Inet4Address;
import java.net.UnknownHostException;

/** IPv4 addresses as the maps hold them: unsigned 32-bit values, 10.0.0.1 = 0x0a000001. */
public final class Ipv4 {

    private Ipv4() {}

    public static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    public static Inet4Address toAddress(int v) {
        try {
            return (Inet4Address) Inet4Address.getByAddress(
                    new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Parses a dotted quad, never a host name; the message says what was wrong. */
    public static Inet4Address parse(String text) {
        try {
            return Inet4Address.ofLiteral(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
    }

    public static String format(int v) {
        return (v >>> 24) + "." + (v >>> 16 & 0xff) + "." + (v >>> 8 & 0xff) + "." + (v & 0xff);
    }
}
