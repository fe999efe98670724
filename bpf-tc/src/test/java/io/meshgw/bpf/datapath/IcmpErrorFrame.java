package io.meshgw.bpf.datapath;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * ICMP error frames (RFC 792) quoting an offending packet, and an independent reading of them:
 * every checksum is recomputed from scratch with {@link SyntheticPacket#checksum}.
 */
record IcmpErrorFrame(byte[] frame) {

    static final int DEST_UNREACH = 3;
    static final int FRAG_NEEDED = 4; // code of DEST_UNREACH, RFC 1191
    static final int PORT_UNREACH = 3;
    static final int TIME_EXCEEDED = 11;
    static final int ECHO_REQUEST = 8;

    private static final int L3 = 14;
    private static final int ICMP = L3 + 20;
    private static final int INNER = ICMP + 8;

    /**
     * An error from {@code outerSrc} to {@code outerDst} quoting the first {@code quoted} bytes
     * of the IPv4 packet in {@code offending} (an Ethernet frame); {@code rest} is the ICMP
     * header's last word (the next-hop MTU of "fragmentation needed").
     */
    static IcmpErrorFrame of(
            int type, int code, int rest, String outerSrc, String outerDst, byte[] offending, int quoted) {
        int n = Math.min(quoted, offending.length - L3);
        ByteBuffer b = ByteBuffer.allocate(INNER + n);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + n)).putShort((short) 0x4321);
        b.putShort((short) 0).put((byte) 64).put((byte) 1).putShort((short) 0);
        b.putInt(SyntheticPacket.ip(outerSrc)).putInt(SyntheticPacket.ip(outerDst));
        b.put((byte) type).put((byte) code).putShort((short) 0).putInt(rest);
        b.put(offending, L3, n);
        byte[] f = b.array();
        putShort(f, L3 + 10, SyntheticPacket.checksum(f, L3, 20, 0));
        putShort(f, ICMP + 2, SyntheticPacket.checksum(f, ICMP, f.length - ICMP, 0));
        return new IcmpErrorFrame(f);
    }

    static IcmpErrorFrame fragNeeded(String from, String to, byte[] offending, int mtu) {
        return of(DEST_UNREACH, FRAG_NEEDED, mtu & 0xffff, from, to, offending, offending.length);
    }

    String outerSrc() {
        return Ipv4.format(ByteBuffer.wrap(frame).getInt(L3 + 12));
    }

    String outerDst() {
        return Ipv4.format(ByteBuffer.wrap(frame).getInt(L3 + 16));
    }

    /** The quoted packet's source and destination, "address:port". */
    String quotedSrc() {
        ByteBuffer b = ByteBuffer.wrap(frame);
        return Ipv4.format(b.getInt(INNER + 12)) + ":" + Short.toUnsignedInt(b.getShort(innerL4()));
    }

    String quotedDst() {
        ByteBuffer b = ByteBuffer.wrap(frame);
        return Ipv4.format(b.getInt(INNER + 16)) + ":" + Short.toUnsignedInt(b.getShort(innerL4() + 2));
    }

    private int innerL4() {
        return INNER + (frame[INNER] & 0xf) * 4;
    }

    /** The outer IPv4 header, the ICMP message and the quoted IPv4 header all sum right. */
    boolean checksumsValid() {
        return SyntheticPacket.checksum(frame, L3, 20, 0) == 0
                && SyntheticPacket.checksum(frame, ICMP, frame.length - ICMP, 0) == 0
                && SyntheticPacket.checksum(frame, INNER, 20, 0) == 0;
    }

    /** The quoted L4 checksum, over the quoted segment (complete only if the whole was quoted). */
    boolean quotedL4ChecksumValid() {
        ByteBuffer b = ByteBuffer.wrap(frame);
        int proto = frame[INNER + 9] & 0xff;
        int l4 = innerL4();
        int len = frame.length - l4;
        if (proto == SyntheticPacket.UDP && b.getShort(l4 + 6) == 0) {
            return true;
        }
        int s = b.getInt(INNER + 12);
        int d = b.getInt(INNER + 16);
        long pseudo = (s >>> 16) + (s & 0xffff) + (d >>> 16) + (d & 0xffff) + proto + len;
        return SyntheticPacket.checksum(frame, l4, len, pseudo) == 0;
    }

    IcmpErrorFrame cut(int length) {
        return new IcmpErrorFrame(Arrays.copyOf(frame, length));
    }

    private static void putShort(byte[] f, int off, int v) {
        f[off] = (byte) (v >> 8);
        f[off + 1] = (byte) v;
    }
}
