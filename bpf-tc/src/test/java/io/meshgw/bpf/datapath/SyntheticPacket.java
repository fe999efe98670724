package io.meshgw.bpf.datapath;

import java.nio.ByteBuffer;

/**
 * Crafted Ethernet/IPv4/TCP-or-UDP frames to run through the programs with BPF_PROG_TEST_RUN
 * (tests, benchmarks, and "what would the datapath do with this packet"), and an independent
 * reading of what a program made of them: checksums are recomputed from scratch here
 * (RFC 1071), never by the incremental arithmetic the program uses.
 */
public record SyntheticPacket(int saddr, int daddr, int sport, int dport, int proto, int tcpFlags, byte[] payload) {

    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int ACK = 0x10;
    private static final int L3 = 14;

    /** A TCP packet carries SYN, the first packet of a connection. */
    public SyntheticPacket(int saddr, int daddr, int sport, int dport, int proto, byte[] payload) {
        this(saddr, daddr, sport, dport, proto, proto == TCP ? SYN : 0, payload);
    }

    /** The same packet with other TCP flags (ACK for a packet of an established connection). */
    public SyntheticPacket withTcpFlags(int flags) {
        return new SyntheticPacket(saddr, daddr, sport, dport, proto, flags, payload);
    }

    public static SyntheticPacket tcp(String src, int sport, String dst, int dport) {
        return new SyntheticPacket(ip(src), ip(dst), sport, dport, TCP, "hello".getBytes());
    }

    public static SyntheticPacket udp(String src, int sport, String dst, int dport) {
        return new SyntheticPacket(ip(src), ip(dst), sport, dport, UDP, "ping".getBytes());
    }

    public static int ip(String s) {
        return Ipv4.toInt(Ipv4.parse(s));
    }

    SyntheticPacket reply() {
        return new SyntheticPacket(daddr, saddr, dport, sport, proto, tcpFlags, payload);
    }

    public int l4Length() {
        return (proto == TCP ? 20 : 8) + payload.length;
    }

    /** The frame with correct checksums (UDP checksum 0 when {@code udpChecksum} is false). */
    public byte[] frame(boolean udpChecksum) {
        int l4 = l4Length();
        ByteBuffer b = ByteBuffer.allocate(L3 + 20 + l4);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) (20 + l4))
                .putShort((short) 0x1234)
                .putShort((short) 0x4000);
        b.put((byte) 64).put((byte) proto).putShort((short) 0).putInt(saddr).putInt(daddr);
        b.putShort((short) sport).putShort((short) dport);
        if (proto == TCP) {
            b.putInt(1000).putInt(0).put((byte) 0x50).put((byte) tcpFlags).putShort((short) 64240);
            b.putShort((short) 0).putShort((short) 0);
        } else {
            b.putShort((short) l4).putShort((short) 0);
        }
        b.put(payload);
        byte[] f = b.array();
        putShort(f, L3 + 10, checksum(f, L3, 20, 0));
        if (proto == TCP || udpChecksum) {
            int sum = checksum(f, L3 + 20, l4, pseudoHeader(saddr, daddr, proto, l4));
            putShort(f, L3 + 20 + (proto == TCP ? 16 : 6), proto == UDP && sum == 0 ? 0xffff : sum);
        }
        return f;
    }

    public byte[] frame() {
        return frame(true);
    }

    /** A TCP packet's frame with sequence number {@code seq} (the others carry 1000). */
    public byte[] frameWithSeq(int seq) {
        byte[] f = frame(true);
        int tcp = L3 + 20;
        ByteBuffer.wrap(f).putInt(tcp + 4, seq).putShort(tcp + 16, (short) 0);
        putShort(f, tcp + 16, checksum(f, tcp, l4Length(), pseudoHeader(saddr, daddr, proto, l4Length())));
        return f;
    }

    /** {@code frame} (Ethernet and IPv4) with an outer IPv4 header from {@code src} to {@code dst}, protocol 4. */
    public static byte[] ipip(String src, String dst, byte[] frame) {
        int innerLength = frame.length - 14;
        ByteBuffer b = ByteBuffer.allocate(frame.length + 20);
        b.put(frame, 0, 14);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + innerLength)).putShort((short) 0);
        b.putShort((short) 0x4000).put((byte) 64).put((byte) 4).putShort((short) 0);
        b.putInt(ip(src)).putInt(ip(dst));
        b.put(frame, 14, innerLength);
        byte[] f = b.array();
        int sum = checksum(f, 14, 20, 0);
        f[24] = (byte) (sum >> 8);
        f[25] = (byte) sum;
        return f;
    }

    /** Reads a frame back; the checksums it carries are checked independently by {@link #checksumsValid}. */
    public static SyntheticPacket parse(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f);
        int ihl = (f[L3] & 0xf) * 4;
        int proto = f[L3 + 9] & 0xff;
        int l4 = L3 + ihl;
        int headerLen = proto == TCP ? 20 : 8;
        byte[] payload = new byte[f.length - l4 - headerLen];
        System.arraycopy(f, l4 + headerLen, payload, 0, payload.length);
        return new SyntheticPacket(
                b.getInt(L3 + 12),
                b.getInt(L3 + 16),
                Short.toUnsignedInt(b.getShort(l4)),
                Short.toUnsignedInt(b.getShort(l4 + 2)),
                proto,
                proto == TCP ? f[l4 + 13] & 0xff : 0,
                payload);
    }

    public static boolean checksumsValid(byte[] f) {
        if (checksum(f, L3, 20, 0) != 0) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(f);
        int proto = f[L3 + 9] & 0xff;
        int l4 = f.length - L3 - 20;
        if (proto == UDP && b.getShort(L3 + 26) == 0) {
            return true; // RFC 768: no checksum
        }
        return checksum(f, L3 + 20, l4, pseudoHeader(b.getInt(L3 + 12), b.getInt(L3 + 16), proto, l4)) == 0;
    }

    public static int udpChecksumField(byte[] f) {
        return Short.toUnsignedInt(ByteBuffer.wrap(f).getShort(L3 + 26));
    }

    private static long pseudoHeader(int s, int d, int proto, int len) {
        return (s >>> 16) + (s & 0xffff) + (d >>> 16) + (d & 0xffff) + proto + len;
    }

    /** RFC 1071 one's complement sum over {@code len} bytes plus {@code initial}. */
    public static int checksum(byte[] f, int off, int len, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((f[off + i] & 0xff) << 8) | (f[off + i + 1] & 0xff);
        }
        if ((len & 1) == 1) {
            sum += (f[off + len - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static void putShort(byte[] f, int off, int v) {
        f[off] = (byte) (v >> 8);
        f[off + 1] = (byte) v;
    }

    public String src() {
        return Ipv4.format(saddr) + ":" + sport;
    }

    public String dst() {
        return Ipv4.format(daddr) + ":" + dport;
    }
}
