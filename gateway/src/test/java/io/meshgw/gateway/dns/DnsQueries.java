package io.meshgw.gateway.dns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds query bytes by hand and reads answers back, independently of the code under test. */
final class DnsQueries {

    private DnsQueries() {}

    static byte[] query(int id, String name, int type) {
        return query(id, name, type, 1, -1, 0);
    }

    /** @param ednsPayload -1 for no OPT record */
    static byte[] query(int id, String name, int type, int qclass, int ednsPayload, int ednsVersion) {
        var out = new ByteArrayOutputStream();
        u16(out, id);
        u16(out, 0x0100); // RD, as stub resolvers send it
        u16(out, 1);
        u16(out, 0);
        u16(out, 0);
        u16(out, ednsPayload < 0 ? 0 : 1);
        for (String label : name.split("\\.")) {
            byte[] b = label.getBytes(StandardCharsets.US_ASCII);
            out.write(b.length);
            out.writeBytes(b);
        }
        out.write(0);
        u16(out, type);
        u16(out, qclass);
        if (ednsPayload >= 0) {
            out.write(0);
            u16(out, 41);
            u16(out, ednsPayload);
            out.write(0);
            out.write(ednsVersion);
            u16(out, 0);
            u16(out, 0);
        }
        return out.toByteArray();
    }

    static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    /** One resource record of an answer, its owner name resolved. */
    record Rr(String owner, int type, int ttl, byte[] rdata, int rdataOffset) {}

    /** An answer read section by section. */
    record Reply(
            int id,
            int flags,
            int rcode,
            String question,
            List<Rr> answers,
            List<Rr> authority,
            List<Rr> additional,
            byte[] bytes) {
        boolean aa() {
            return (flags & 0x0400) != 0;
        }

        boolean tc() {
            return (flags & 0x0200) != 0;
        }

        boolean rd() {
            return (flags & 0x0100) != 0;
        }

        boolean ra() {
            return (flags & 0x0080) != 0;
        }

        String nameAt(int offset) {
            return readName(bytes, offset, new int[1]);
        }
    }

    static Reply read(byte[] b) {
        int qd = u16(b, 4);
        int an = u16(b, 6);
        int ns = u16(b, 8);
        int ar = u16(b, 10);
        int[] at = {12};
        String question = null;
        for (int i = 0; i < qd; i++) {
            question = readName(b, at[0], at);
            at[0] += 4;
        }
        return new Reply(
                u16(b, 0),
                u16(b, 2),
                u16(b, 2) & 0xF,
                question,
                records(b, an, at),
                records(b, ns, at),
                records(b, ar, at),
                b);
    }

    private static List<Rr> records(byte[] b, int count, int[] at) {
        var out = new ArrayList<Rr>();
        for (int i = 0; i < count; i++) {
            String owner = readName(b, at[0], at);
            int type = u16(b, at[0]);
            int ttl = (u16(b, at[0] + 4) << 16) | u16(b, at[0] + 6);
            int len = u16(b, at[0] + 8);
            int start = at[0] + 10;
            byte[] rdata = java.util.Arrays.copyOfRange(b, start, start + len);
            out.add(new Rr(owner, type, ttl, rdata, start));
            at[0] = start + len;
        }
        return out;
    }

    /** Reads a possibly compressed name at offset; next[0] is set past it (in the original position). */
    static String readName(byte[] b, int offset, int[] next) {
        var labels = new ArrayList<String>();
        int at = offset;
        boolean jumped = false;
        for (int hops = 0; hops < 64; hops++) {
            int len = b[at] & 0xFF;
            if ((len & 0xC0) == 0xC0) {
                if (!jumped) next[0] = at + 2;
                jumped = true;
                at = u16(b, at) & 0x3FFF;
                continue;
            }
            if (len == 0) {
                if (!jumped) next[0] = at + 1;
                return String.join(".", labels);
            }
            labels.add(new String(b, at + 1, len, StandardCharsets.US_ASCII));
            at += 1 + len;
        }
        throw new IllegalStateException("pointer loop");
    }
}
