package io.meshgw.bpf.datapath;

import io.meshgw.types.Ipv6Address;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * ICMPv6 error frames (RFC 4443) quoting an offending IPv6 packet, and an independent reading of them: the ICMPv6
 * checksum is recomputed from scratch over its pseudo-header (RFC 4443 §2.3), the quoted L4 checksum over the quoted
 * packet's.
 */
record Icmp6ErrorFrame(byte[] frame) {

    static final int DEST_UNREACH = 1;
    static final int PORT_UNREACH = 4; // code of DEST_UNREACH
    static final int PACKET_TOO_BIG = 2;
    static final int TIME_EXCEEDED = 3;
    static final int ECHO_REQUEST = 128;

    private static final int L3 = 14;
    private static final int ICMP = L3 + 40;
    private static final int INNER = ICMP + 8;
    private static final int INNER_L4 = INNER + 40;

    /**
     * An error from {@code outerSrc} to {@code outerDst} quoting the first {@code quoted} bytes of the IPv6 packet in
     * {@code offending} (an Ethernet frame); {@code rest} is the ICMPv6 header's last word (Packet Too Big's MTU).
     */
    static Icmp6ErrorFrame of(
            int type, int code, int rest, String outerSrc, String outerDst, byte[] offending, int quoted) {
        int n = Math.min(quoted, offending.length - L3);
        ByteBuffer b = ByteBuffer.allocate(INNER + n);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x86dd);
        b.putInt(0x6000_0000).putShort((short) (8 + n)).put((byte) 58).put((byte) 64);
        b.put(Ipv6Address.parse(outerSrc).toBytes())
                .put(Ipv6Address.parse(outerDst).toBytes());
        b.put((byte) type).put((byte) code).putShort((short) 0).putInt(rest);
        b.put(offending, L3, n);
        byte[] f = b.array();
        int sum = SyntheticPacket.checksum(f, ICMP, f.length - ICMP, pseudoHeader(f, L3 + 8, 58, f.length - ICMP));
        f[ICMP + 2] = (byte) (sum >> 8);
        f[ICMP + 3] = (byte) sum;
        return new Icmp6ErrorFrame(f);
    }

    static Icmp6ErrorFrame packetTooBig(String from, String to, byte[] offending, int mtu) {
        return of(PACKET_TOO_BIG, 0, mtu, from, to, offending, offending.length);
    }

    String outerSrc() {
        return address(L3 + 8);
    }

    String outerDst() {
        return address(L3 + 24);
    }

    /** The quoted packet's source and destination, "[address]:port". */
    String quotedSrc() {
        return "[" + address(INNER + 8) + "]:"
                + Short.toUnsignedInt(ByteBuffer.wrap(frame).getShort(INNER_L4));
    }

    String quotedDst() {
        return "[" + address(INNER + 24) + "]:"
                + Short.toUnsignedInt(ByteBuffer.wrap(frame).getShort(INNER_L4 + 2));
    }

    /** The ICMPv6 checksum over its pseudo-header and the whole message, quoted bytes included. */
    boolean checksumValid() {
        return SyntheticPacket.checksum(
                        frame, ICMP, frame.length - ICMP, pseudoHeader(frame, L3 + 8, 58, frame.length - ICMP))
                == 0;
    }

    /** The quoted L4 checksum over the quoted packet's pseudo-header (complete only if the whole was quoted). */
    boolean quotedL4ChecksumValid() {
        int proto = frame[INNER + 6] & 0xff;
        int len = frame.length - INNER_L4;
        return SyntheticPacket.checksum(frame, INNER_L4, len, pseudoHeader(frame, INNER + 8, proto, len)) == 0;
    }

    Icmp6ErrorFrame cut(int length) {
        return new Icmp6ErrorFrame(Arrays.copyOf(frame, length));
    }

    private String address(int at) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        return new Ipv6Address(b.getLong(at), b.getLong(at + 8)).toString();
    }

    /** RFC 8200 §8.1: both addresses from {@code at}, the upper-layer length and the next header. */
    private static long pseudoHeader(byte[] f, int at, int proto, int length) {
        long sum = 0;
        for (int i = 0; i < 32; i += 2) {
            sum += ((f[at + i] & 0xff) << 8) | (f[at + i + 1] & 0xff);
        }
        return sum + length + proto;
    }
}
