package io.meshgw.bpf.datapath;

import io.meshgw.types.Ipv6Address;
import java.nio.ByteBuffer;

/**
 * The IPv6 form of {@link SyntheticPacket}: crafted Ethernet/IPv6/TCP-or-UDP frames, optionally with extension headers
 * before the L4 header, and an independent reading of them (checksums recomputed from scratch over the RFC 8200 §8.1
 * pseudo-header).
 *
 * @param extensions the next-header numbers of extension headers to put before the L4 header (8 bytes each)
 */
public record SyntheticPacket6(
        Ipv6Address saddr,
        Ipv6Address daddr,
        int sport,
        int dport,
        int proto,
        int tcpFlags,
        byte[] payload,
        int[] extensions) {

    public static final int HOP_BY_HOP = 0;
    public static final int ROUTING = 43;
    public static final int FRAGMENT = 44;
    public static final int DESTINATION_OPTIONS = 60;
    static final int L3 = 14;

    public static SyntheticPacket6 tcp(String src, int sport, String dst, int dport) {
        return new SyntheticPacket6(
                Ipv6Address.parse(src),
                Ipv6Address.parse(dst),
                sport,
                dport,
                SyntheticPacket.TCP,
                SyntheticPacket.SYN,
                "hello".getBytes(),
                new int[0]);
    }

    public static SyntheticPacket6 udp(String src, int sport, String dst, int dport) {
        return new SyntheticPacket6(
                Ipv6Address.parse(src),
                Ipv6Address.parse(dst),
                sport,
                dport,
                SyntheticPacket.UDP,
                0,
                "ping".getBytes(),
                new int[0]);
    }

    public SyntheticPacket6 withTcpFlags(int flags) {
        return new SyntheticPacket6(saddr, daddr, sport, dport, proto, flags, payload, extensions);
    }

    /** The same packet behind these extension headers (each 8 bytes, in this order). */
    public SyntheticPacket6 withExtensions(int... headers) {
        return new SyntheticPacket6(saddr, daddr, sport, dport, proto, tcpFlags, payload, headers.clone());
    }

    public int l4Length() {
        return (proto == SyntheticPacket.TCP ? 20 : 8) + payload.length;
    }

    public byte[] frame() {
        int l4 = l4Length();
        int ext = 8 * extensions.length;
        ByteBuffer b = ByteBuffer.allocate(L3 + 40 + ext + l4);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x86dd);
        b.putInt(0x6000_0000).putShort((short) (ext + l4));
        b.put((byte) (extensions.length > 0 ? extensions[0] : proto)).put((byte) 64);
        b.put(saddr.toBytes()).put(daddr.toBytes());
        for (int i = 0; i < extensions.length; i++) {
            int next = i + 1 < extensions.length ? extensions[i + 1] : proto;
            b.put((byte) next).put((byte) 0);
            if (extensions[i] == FRAGMENT) {
                b.putShort((short) 1).putInt(0x1234); // offset 0, more fragments
            } else {
                b.put(new byte[] {1, 4, 0, 0, 0, 0}); // a PadN option
            }
        }
        int l4At = b.position();
        b.putShort((short) sport).putShort((short) dport);
        if (proto == SyntheticPacket.TCP) {
            b.putInt(1000).putInt(0).put((byte) 0x50).put((byte) tcpFlags).putShort((short) 64240);
            b.putShort((short) 0).putShort((short) 0);
        } else {
            b.putShort((short) l4).putShort((short) 0);
        }
        b.put(payload);
        byte[] f = b.array();
        int sum = SyntheticPacket.checksum(f, l4At, l4, pseudoHeader(f, proto, l4));
        int at = l4At + (proto == SyntheticPacket.TCP ? 16 : 6);
        f[at] = (byte) (sum >> 8);
        f[at + 1] = (byte) sum;
        if (proto == SyntheticPacket.UDP && sum == 0) {
            f[at] = f[at + 1] = (byte) 0xff;
        }
        return f;
    }

    /** Where the L4 header of {@code f} starts: after the fixed header and the extension headers built here. */
    static int l4Offset(byte[] f) {
        int off = L3 + 40;
        int next = f[L3 + 6] & 0xff;
        while (next == HOP_BY_HOP || next == ROUTING || next == DESTINATION_OPTIONS || next == FRAGMENT) {
            int len = next == FRAGMENT ? 8 : ((f[off + 1] & 0xff) + 1) * 8;
            next = f[off] & 0xff;
            off += len;
        }
        return off;
    }

    public static SyntheticPacket6 parse(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f);
        int l4 = l4Offset(f);
        int proto = f[l4 - 40 == L3 ? L3 + 6 : l4 - 8] & 0xff; // the last next-header field before the L4 header
        int headerLen = proto == SyntheticPacket.TCP ? 20 : 8;
        byte[] payload = new byte[f.length - l4 - headerLen];
        System.arraycopy(f, l4 + headerLen, payload, 0, payload.length);
        return new SyntheticPacket6(
                new Ipv6Address(b.getLong(L3 + 8), b.getLong(L3 + 16)),
                new Ipv6Address(b.getLong(L3 + 24), b.getLong(L3 + 32)),
                Short.toUnsignedInt(b.getShort(l4)),
                Short.toUnsignedInt(b.getShort(l4 + 2)),
                proto,
                proto == SyntheticPacket.TCP ? f[l4 + 13] & 0xff : 0,
                payload,
                new int[0]);
    }

    /** The L4 checksum over the RFC 8200 §8.1 pseudo-header checks out. */
    public static boolean checksumValid(byte[] f) {
        SyntheticPacket6 p = parse(f);
        int l4 = l4Offset(f);
        return SyntheticPacket.checksum(f, l4, f.length - l4, pseudoHeader(f, p.proto(), f.length - l4)) == 0;
    }

    private static long pseudoHeader(byte[] f, int proto, int l4Length) {
        long sum = 0;
        for (int i = 0; i < 32; i += 2) {
            sum += ((f[L3 + 8 + i] & 0xff) << 8) | (f[L3 + 8 + i + 1] & 0xff);
        }
        return sum + l4Length + proto;
    }

    public String src() {
        return "[" + saddr + "]:" + sport;
    }

    public String dst() {
        return "[" + daddr + "]:" + dport;
    }
}
