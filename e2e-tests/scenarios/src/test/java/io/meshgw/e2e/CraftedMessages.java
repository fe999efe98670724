package io.meshgw.e2e;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;

/**
 * BGP-4 messages built byte by byte for a 4-octet-AS session, including ones no router would
 * send. Deliberately independent of meshgw's own codec: the scenario must not share a mistake
 * with the code it tests.
 */
final class CraftedMessages {

    private static final int UPDATE = 2;

    // Attribute flags (RFC 4271 §4.3)
    private static final int OPTIONAL = 0x80;
    private static final int TRANSITIVE = 0x40;

    // Attribute type codes
    private static final int ORIGIN = 1;
    private static final int AS_PATH = 2;
    private static final int NEXT_HOP = 3;
    private static final int MULTI_EXIT_DISC = 4;
    private static final int AGGREGATOR = 7;

    private CraftedMessages() {}

    /** Marker, length, type, body (RFC 4271 §4.1); the length may exceed what RFC 4271 allows. */
    static byte[] message(int type, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 16; i++) {
            b.write(0xFF);
        }
        int length = 19 + body.length;
        b.write(length >> 8);
        b.write(length & 0xFF);
        b.write(type);
        b.writeBytes(body);
        return b.toByteArray();
    }

    /** An UPDATE (RFC 4271 §4.3) with no withdrawn routes. */
    static byte[] update(byte[] attributes, byte[] nlri) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0); // withdrawn routes length
        b.write(0);
        b.write(attributes.length >> 8);
        b.write(attributes.length & 0xFF);
        b.writeBytes(attributes);
        b.writeBytes(nlri);
        return message(UPDATE, b.toByteArray());
    }

    static byte[] attribute(int flags, int type, byte... value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(flags);
        b.write(type);
        b.write(value.length);
        b.writeBytes(value);
        return b.toByteArray();
    }

    /** ORIGIN: 0 IGP, 1 EGP, 2 INCOMPLETE; anything else is malformed (RFC 7606 §7.1). */
    static byte[] origin(int value) {
        return attribute(TRANSITIVE, ORIGIN, (byte) value);
    }

    /** AS_PATH of one AS_SEQUENCE of 4-octet AS numbers. */
    static byte[] asPath(long... asns) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        v.write(2); // AS_SEQUENCE
        v.write(asns.length);
        for (long asn : asns) {
            v.writeBytes(u32(asn));
        }
        return attribute(TRANSITIVE, AS_PATH, v.toByteArray());
    }

    static byte[] nextHop(String ipv4) {
        return attribute(TRANSITIVE, NEXT_HOP, InetAddress.ofLiteral(ipv4).getAddress());
    }

    static byte[] med(long value) {
        return attribute(OPTIONAL, MULTI_EXIT_DISC, u32(value));
    }

    /**
     * AGGREGATOR with only {@code length} octets of its value (a 4-octet session needs 8: AS and
     * address); any other length is malformed (RFC 7606 §7.7).
     */
    static byte[] aggregator(long asn, String address, int length) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        v.writeBytes(u32(asn));
        v.writeBytes(InetAddress.ofLiteral(address).getAddress());
        byte[] full = v.toByteArray();
        byte[] value = new byte[length];
        System.arraycopy(full, 0, value, 0, Math.min(length, full.length));
        return attribute(OPTIONAL | TRANSITIVE, AGGREGATOR, value);
    }

    /** An IPv4 prefix in NLRI encoding: length in bits, then only the octets it needs. */
    static byte[] prefix(String cidr) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        byte[] address = InetAddress.ofLiteral(parts[0]).getAddress();
        byte[] out = new byte[1 + (bits + 7) / 8];
        out[0] = (byte) bits;
        System.arraycopy(address, 0, out, 1, out.length - 1);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private static byte[] u32(long v) {
        return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }
}
