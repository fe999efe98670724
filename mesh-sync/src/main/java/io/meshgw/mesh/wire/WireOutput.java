package io.meshgw.mesh.wire;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/** Big-endian writes of the primitives of {@link WireFormat}. */
final class WireOutput {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

    void u8(int v) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException(v + " does not fit one byte");
        }
        out.write(v);
    }

    void u16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException(v + " does not fit two bytes");
        }
        out.write(v >>> 8);
        out.write(v);
    }

    void i64(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
    }

    void flag(boolean v) {
        out.write(v ? 1 : 0);
    }

    void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u16(b.length);
        out.writeBytes(b);
    }

    void address(InetAddress a) {
        u8(a instanceof Inet4Address ? WireFormat.FAMILY_V4 : WireFormat.FAMILY_V6);
        out.writeBytes(a.getAddress());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
