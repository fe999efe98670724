package io.meshgw.mesh.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Bounds-checked reads from a value; every failure names the field and the byte offset. */
final class WireInput {

    private final byte[] bytes;
    private int pos;

    WireInput(byte[] bytes) {
        this.bytes = bytes;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return bytes.length - pos;
    }

    private void need(int n, String field) {
        if (bytes.length - pos < n) {
            throw new MalformedValue("truncated at byte " + pos + ": " + field + " needs " + n + " byte(s), "
                    + (bytes.length - pos) + " left");
        }
    }

    int u8(String field) {
        need(1, field);
        return bytes[pos++] & 0xff;
    }

    int u16(String field) {
        need(2, field);
        int v = ((bytes[pos] & 0xff) << 8) | (bytes[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    long i64(String field) {
        need(8, field);
        long v = ByteBuffer.wrap(bytes, pos, 8).getLong();
        pos += 8;
        return v;
    }

    boolean flag(String field) {
        int at = pos;
        int v = u8(field);
        if (v > 1) {
            throw new MalformedValue(field + " at byte " + at + " is " + v + "; a flag is 0 or 1");
        }
        return v == 1;
    }

    String string(String field) {
        int len = u16(field + " length");
        need(len, field);
        int at = pos;
        // Names are ASCII in practice: skip the strict decoder (and its allocation) for them.
        boolean ascii = true;
        for (int i = at; i < at + len && ascii; i++) {
            ascii = bytes[i] >= 0;
        }
        if (ascii) {
            pos += len;
            return new String(bytes, at, len, StandardCharsets.US_ASCII);
        }
        try {
            String s = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, pos, len))
                    .toString();
            pos += len;
            return s;
        } catch (CharacterCodingException e) {
            throw new MalformedValue(field + " at byte " + at + " is not valid UTF-8");
        }
    }

    InetAddress address(String field) {
        int at = pos;
        int family = u8(field + " family");
        int len = switch (family) {
            case WireFormat.FAMILY_V4 -> 4;
            case WireFormat.FAMILY_V6 -> 16;
            default ->
                throw new MalformedValue(
                        field + " at byte " + at + " has address family " + family + "; expected 4 or 6");
        };
        need(len, field);
        byte[] raw = new byte[len];
        System.arraycopy(bytes, pos, raw, 0, len);
        pos += len;
        try {
            return InetAddress.getByAddress(raw); // no name lookup: a literal address
        } catch (UnknownHostException e) {
            throw new MalformedValue(field + " at byte " + at + ": " + e.getMessage());
        }
    }

    /** A count that bounds a loop; checked against a limit before any allocation. */
    int count(int value, int max, String field) {
        if (value > max) {
            throw new MalformedValue(field + " is " + value + "; at most " + max);
        }
        return value;
    }
}
