package io.meshgw.bgp.wire;

import java.util.Arrays;

/**
 * A bounded big-endian reader over part of a byte array. Reading past the bound throws
 * IndexOutOfBoundsException; decoders check {@link #remaining()} first, so that only happens
 * on a decoder bug, which {@link MessageDecoder} still turns into a value.
 */
final class WireReader {

    private final byte[] buf;
    private int pos;
    private final int limit;

    WireReader(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.limit = off + len;
    }

    int remaining() {
        return limit - pos;
    }

    int position() {
        return pos;
    }

    private void need(int n) {
        if (n < 0 || pos + n > limit) {
            throw new IndexOutOfBoundsException("need " + n + " bytes at " + pos + ", limit " + limit);
        }
    }

    int peekU8() {
        need(1);
        return buf[pos] & 0xFF;
    }

    int u8() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    int u16() {
        need(2);
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    long u32() {
        need(4);
        long v = ((long) (buf[pos] & 0xFF) << 24)
                | ((buf[pos + 1] & 0xFF) << 16)
                | ((buf[pos + 2] & 0xFF) << 8)
                | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    long u64() {
        return (u32() << 32) | u32();
    }

    byte[] bytes(int n) {
        need(n);
        byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    void skip(int n) {
        need(n);
        pos += n;
    }

    /** A reader over the next {@code n} bytes; this reader moves past them. */
    WireReader slice(int n) {
        need(n);
        WireReader s = new WireReader(buf, pos, n);
        pos += n;
        return s;
    }
}
