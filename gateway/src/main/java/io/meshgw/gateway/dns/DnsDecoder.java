package io.meshgw.gateway.dns;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Locale;

/** Reads DNS queries (RFC 1035 §4.1, with the OPT record of RFC 6891). */
public final class DnsDecoder {

    static final int HEADER = 12;
    static final int TYPE_OPT = 41;
    private static final int MAX_NAME = 255;
    private static final int MAX_LABEL = 63;

    private DnsDecoder() {}

    public static DecodedMessage decode(byte[] msg, int length) {
        if (length < HEADER) {
            return new DecodedMessage.Dropped(length + " bytes: shorter than a DNS header");
        }
        int id = u16(msg, 0);
        int flags = u16(msg, 2);
        if ((flags & 0x8000) != 0) {
            return new DecodedMessage.Dropped("a response (QR=1), not a query");
        }
        int opcode = (flags >>> 11) & 0xF;
        boolean rd = (flags & 0x0100) != 0;
        int qdcount = u16(msg, 4);
        int ancount = u16(msg, 6);
        int nscount = u16(msg, 8);
        int arcount = u16(msg, 10);
        if (qdcount != 1) {
            // RFC 1035 allows more, but no server answers several questions in one message
            return new DecodedMessage.Malformed(
                    id, opcode, rd, "QDCOUNT is " + qdcount + "; exactly 1 question is served");
        }
        var labels = new ArrayList<String>();
        int at = HEADER;
        int nameLength = 1;
        while (true) {
            if (at >= length) {
                return new DecodedMessage.Malformed(id, opcode, rd, "question name runs past the end at offset " + at);
            }
            int len = msg[at] & 0xFF;
            if (len == 0) {
                at++;
                break;
            }
            if ((len & 0xC0) != 0) {
                // RFC 1035 §4.1.4: a pointer can only refer to an earlier name; the question's name is the first
                return new DecodedMessage.Malformed(
                        id, opcode, rd, "compression pointer or reserved label type in the question at offset " + at);
            }
            if (len > MAX_LABEL) {
                return new DecodedMessage.Malformed(id, opcode, rd, "label of " + len + " bytes at offset " + at);
            }
            nameLength += len + 1;
            if (nameLength > MAX_NAME) {
                return new DecodedMessage.Malformed(id, opcode, rd, "question name longer than 255 bytes");
            }
            if (at + 1 + len > length) {
                return new DecodedMessage.Malformed(id, opcode, rd, "label at offset " + at + " runs past the end");
            }
            labels.add(new String(msg, at + 1, len, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
            at += 1 + len;
        }
        if (at + 4 > length) {
            return new DecodedMessage.Malformed(id, opcode, rd, "question ends before QTYPE and QCLASS");
        }
        int type = u16(msg, at);
        int qclass = u16(msg, at + 2);
        int questionEnd = at + 4;
        if (ancount != 0 || nscount != 0) {
            return new DecodedMessage.Malformed(id, opcode, rd, "a query with answer or authority records");
        }
        DnsQuery.Edns edns = null;
        at = questionEnd;
        for (int i = 0; i < arcount; i++) {
            var record = readRecord(msg, length, at);
            if (record == null) {
                return new DecodedMessage.Malformed(id, opcode, rd, "additional record " + i + " runs past the end");
            }
            if (record.type == TYPE_OPT) {
                // RFC 6891 §6.1.1: one OPT, owned by the root
                if (edns != null || !record.rootOwner) {
                    return new DecodedMessage.Malformed(
                            id, opcode, rd, "a second OPT record, or one not owned by the root");
                }
                // RFC 6891 §6.2.5: values below 512 are treated as 512
                edns = new DnsQuery.Edns(Math.max(512, record.qclass), (int) ((record.ttl >>> 16) & 0xFF));
            }
            at = record.end;
        }
        return new DecodedMessage.Query(new DnsQuery(id, opcode, rd, labels, questionEnd, type, qclass, edns));
    }

    private record Record(boolean rootOwner, int type, int qclass, long ttl, int end) {}

    /** One resource record of the additional section; null when it does not fit in the message. */
    private static Record readRecord(byte[] msg, int length, int at) {
        int start = at;
        int hops = 0;
        // skip the owner name: labels, ending in a zero byte or a pointer
        while (true) {
            if (at >= length || ++hops > 128) return null;
            int len = msg[at] & 0xFF;
            if (len == 0) {
                at++;
                break;
            }
            if ((len & 0xC0) == 0xC0) {
                at += 2;
                break;
            }
            at += 1 + len;
        }
        boolean root = at == start + 1;
        if (at + 10 > length) return null;
        int type = u16(msg, at);
        int qclass = u16(msg, at + 2);
        long ttl = ((long) u16(msg, at + 4) << 16) | u16(msg, at + 6);
        int rdlength = u16(msg, at + 8);
        int end = at + 10 + rdlength;
        return end > length ? null : new Record(root, type, qclass, ttl, end);
    }

    static int u16(byte[] msg, int at) {
        return ((msg[at] & 0xFF) << 8) | (msg[at + 1] & 0xFF);
    }
}
