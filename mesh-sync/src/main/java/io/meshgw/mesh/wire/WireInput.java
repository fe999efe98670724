package io.meshgw.mesh.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/** Bounds-checked reads from a value; every failure names the field and the byte offset. */
final class WireInput {

    /** Slots of the table of repeated strings (a power of two), and how many are looked at per text. */
    private static final int REPEATS = 64;

    private static final int PROBES = 4;

    private final byte[] bytes;
    private int pos;
    /**
     * Strings already read from this value, by where their bytes are: the zones and nodes of a slice's endpoints
     * repeat (a few zones, tens of nodes for a hundred endpoints), and one object per distinct text keeps decoding a
     * slice from making garbage in proportion to its endpoints. Made on first use.
     */
    private int[] repeatAt;

    private int[] repeatLength;
    private Optional<String>[] repeatValue;

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
        return text(field, length(field));
    }

    /** A string's length prefix; the message names the field only when it is needed (no garbage per read). */
    private int length(String field) {
        if (bytes.length - pos < 2) {
            throw new MalformedValue("truncated at byte " + pos + ": " + field + " length needs 2 byte(s), "
                    + (bytes.length - pos) + " left");
        }
        int v = ((bytes[pos] & 0xff) << 8) | (bytes[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    /** The {@code len} bytes at the position as strict UTF-8. */
    private String text(String field, int len) {
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

    /**
     * An optional string, empty for {@code ""}; equal texts met again in this value give the same object (see {@link
     * #repeatAt}). A table slot taken by another text is overwritten, so the table stays bounded whatever the value.
     */
    Optional<String> optionalString(String field) {
        int len = length(field);
        need(len, field);
        if (len == 0) {
            return Optional.empty();
        }
        int at = pos;
        int hash = 1;
        for (int i = at; i < at + len; i++) {
            hash = 31 * hash + bytes[i];
        }
        if (repeatValue == null) {
            repeatAt = new int[REPEATS];
            repeatLength = new int[REPEATS];
            @SuppressWarnings("unchecked")
            Optional<String>[] table = new Optional[REPEATS];
            repeatValue = table;
        }
        int home = (hash * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(REPEATS)); // spreads similar texts
        int free = -1;
        for (int probe = 0; probe < PROBES; probe++) {
            int slot = (home + probe) & (REPEATS - 1);
            Optional<String> seen = repeatValue[slot];
            if (seen == null) {
                free = free < 0 ? slot : free;
            } else if (repeatLength[slot] == len
                    && Arrays.equals(bytes, at, at + len, bytes, repeatAt[slot], repeatAt[slot] + len)) {
                pos += len;
                return seen;
            }
        }
        Optional<String> read = Optional.of(text(field, len));
        int slot = free >= 0 ? free : home; // a full neighbourhood gives up its first text
        repeatAt[slot] = at;
        repeatLength[slot] = len;
        repeatValue[slot] = read;
        return read;
    }

    InetAddress address(String field) {
        int at = pos;
        if (bytes.length - pos < 1) {
            throw new MalformedValue("truncated at byte " + pos + ": " + field + " family needs 1 byte(s), 0 left");
        }
        int family = bytes[pos++] & 0xff;
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
