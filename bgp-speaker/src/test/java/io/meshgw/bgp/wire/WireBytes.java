package io.meshgw.bgp.wire;

import java.io.ByteArrayOutputStream;

/**
 * Wire bytes built by hand, for tests that need messages the encoder would never produce:
 * attributes with any flags and length, UPDATEs from raw parts, framed messages of any type.
 */
final class WireBytes {

    private WireBytes() {}

    /** Octets from ints, for readable literals. */
    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    /** One attribute as it goes on the wire (the extended-length bit chosen by its size). */
    static byte[] attr(int flags, int type, int... value) {
        return attr(flags, type, bytes(value));
    }

    static byte[] attr(int flags, int type, byte[] value) {
        var out = new ByteArrayOutputStream();
        boolean extended = value.length > 255 || (flags & PathAttribute.EXTENDED_LENGTH) != 0;
        out.write(extended ? flags | PathAttribute.EXTENDED_LENGTH : flags);
        out.write(type);
        if (extended) {
            out.write(value.length >> 8);
        }
        out.write(value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** An UPDATE with these attributes (raw) and the IPv4 NLRI bytes. */
    static byte[] update(byte[] nlri, byte[]... attrs) {
        var a = new ByteArrayOutputStream();
        for (byte[] x : attrs) {
            a.writeBytes(x);
        }
        return message(new byte[0], a.toByteArray(), nlri);
    }

    static byte[] message(byte[] withdrawn, byte[] attrs, byte[] nlri) {
        var body = new ByteArrayOutputStream();
        body.write(withdrawn.length >> 8);
        body.write(withdrawn.length);
        body.writeBytes(withdrawn);
        body.write(attrs.length >> 8);
        body.write(attrs.length);
        body.writeBytes(attrs);
        body.writeBytes(nlri);
        return frame(BgpMessage.UPDATE, body.toByteArray());
    }

    static byte[] frame(int type, byte[] body) {
        var m = new ByteArrayOutputStream();
        for (int i = 0; i < 16; i++) {
            m.write(0xFF);
        }
        int len = MessageDecoder.HEADER_LENGTH + body.length;
        m.write(len >> 8);
        m.write(len);
        m.write(type);
        m.writeBytes(body);
        return m.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
