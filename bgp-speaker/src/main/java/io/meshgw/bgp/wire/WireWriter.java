package io.meshgw.bgp.wire;

import java.util.Arrays;

/** A growable big-endian byte sink. */
final class WireWriter {

    private byte[] buf;
    private int pos;

    WireWriter(int initial) {
        buf = new byte[initial];
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    int position() {
        return pos;
    }

    void u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    void u16(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    void u32(long v) {
        ensure(4);
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    void u64(long v) {
        u32(v >>> 32);
        u32(v & 0xFFFFFFFFL);
    }

    void bytes(byte[] b) {
        bytes(b, 0, b.length);
    }

    void bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    /** Writes a 16-bit value at an earlier position (a length filled in afterwards). */
    void patchU16(int at, int v) {
        buf[at] = (byte) (v >>> 8);
        buf[at + 1] = (byte) v;
    }

    void patchU8(int at, int v) {
        buf[at] = (byte) v;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }
}
