package io.meshgw.gateway.dns;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Answers queries for one zone from a {@link NameTable}: A and AAAA for host names, SOA at the apex, NODATA
 * and NXDOMAIN with the SOA for negative caching (RFC 2308), REFUSED outside the zone (no recursion), and
 * truncation when an answer does not fit a UDP datagram, so the client retries over TCP (RFC 7766).
 */
public final class DnsAnswerer {

    public static final int NOERROR = 0;
    public static final int FORMERR = 1;
    public static final int NXDOMAIN = 3;
    public static final int NOTIMP = 4;
    public static final int REFUSED = 5;
    /** Extended RCODE (RFC 6891 §9): an EDNS version this server does not speak. */
    public static final int BADVERS = 16;

    static final int TYPE_A = 1;
    static final int TYPE_SOA = 6;
    static final int TYPE_AAAA = 28;
    static final int TYPE_IXFR = 251;
    static final int TYPE_AXFR = 252;
    static final int TYPE_ANY = 255;
    static final int CLASS_IN = 1;
    static final int CLASS_ANY = 255;
    /** Largest UDP answer sent even to clients that accept more: no IP fragmentation (DNS flag day 2020). */
    static final int UDP_CEILING = 1232;

    private static final int UDP_CLASSIC = 512;
    private static final int TCP_LIMIT = 65_535;
    private static final byte[] HOSTMASTER = "hostmaster".getBytes(StandardCharsets.US_ASCII);

    private final int ttl;

    /** @param ttlSeconds TTL of every record, and the negative-caching time: short, since names follow BGP */
    public DnsAnswerer(int ttlSeconds) {
        if (ttlSeconds < 0) throw new IllegalArgumentException("DNS TTL " + ttlSeconds + " is negative");
        this.ttl = ttlSeconds;
    }

    public enum Transport {
        UDP,
        TCP
    }

    /**
     * @param bytes the answer to send
     * @param rcode its (extended) response code, for the metrics
     */
    public record Answer(byte[] bytes, int rcode) {}

    /** @return the answer, or null when the message gets none (see {@link DecodedMessage.Dropped}) */
    public Answer answer(byte[] msg, int length, NameTable table, Transport transport) {
        return switch (DnsDecoder.decode(msg, length)) {
            case DecodedMessage.Dropped d -> null;
            case DecodedMessage.Malformed m ->
                new Answer(
                        header(m.id(), m.opcode(), m.recursionDesired(), false, false, FORMERR, 0, 0, 0, 0), FORMERR);
            case DecodedMessage.Query(DnsQuery q) -> answer(msg, q, table, transport);
        };
    }

    private Answer answer(byte[] msg, DnsQuery q, NameTable table, Transport transport) {
        if (q.opcode() != 0) return reply(msg, q, NOTIMP, false, List.of(), false, table, transport);
        if (q.edns() != null && q.edns().version() > 0) {
            return reply(msg, q, BADVERS, false, List.of(), false, table, transport);
        }
        if (q.qclass() != CLASS_IN && q.qclass() != CLASS_ANY) {
            return reply(msg, q, REFUSED, false, List.of(), false, table, transport);
        }
        var lookup = table.lookup(q.labels());
        if (lookup instanceof NameTable.Lookup.OutOfZone || q.type() == TYPE_AXFR || q.type() == TYPE_IXFR) {
            return reply(msg, q, REFUSED, false, List.of(), false, table, transport);
        }
        return switch (lookup) {
            case NameTable.Lookup.Host(var addresses) -> {
                var matching = addresses.stream()
                        .filter(a -> q.type() == TYPE_ANY
                                || (q.type() == TYPE_A && a instanceof Inet4Address)
                                || (q.type() == TYPE_AAAA && a instanceof Inet6Address))
                        .toList();
                yield reply(msg, q, NOERROR, true, matching, false, table, transport);
            }
            case NameTable.Lookup.Apex() ->
                reply(msg, q, NOERROR, true, List.of(), q.type() == TYPE_SOA || q.type() == TYPE_ANY, table, transport);
            case NameTable.Lookup.EmptyNonTerminal() ->
                reply(msg, q, NOERROR, true, List.of(), false, table, transport);
            case NameTable.Lookup.NoSuchName() -> reply(msg, q, NXDOMAIN, true, List.of(), false, table, transport);
            case NameTable.Lookup.OutOfZone() -> throw new IllegalStateException("handled above");
        };
    }

    /**
     * @param authoritative in-zone answers carry AA and, when they have no answer records, the zone's SOA in the
     *     authority section (RFC 2308 §3)
     * @param soaAnswer the SOA is the answer itself (a query for the apex)
     */
    private Answer reply(
            byte[] msg,
            DnsQuery q,
            int rcode,
            boolean authoritative,
            List<InetAddress> addresses,
            boolean soaAnswer,
            NameTable table,
            Transport transport) {
        int limit = transport == Transport.TCP
                ? TCP_LIMIT
                : q.edns() == null ? UDP_CLASSIC : Math.min(q.edns().payloadSize(), UDP_CEILING);
        boolean negative = authoritative && addresses.isEmpty() && !soaAnswer;
        var out = new ByteArrayOutputStream(128);
        int answers = addresses.size() + (soaAnswer ? 1 : 0);
        out.writeBytes(header(
                q.id(),
                q.opcode(),
                q.recursionDesired(),
                authoritative,
                false,
                rcode & 0xF,
                1,
                answers,
                negative ? 1 : 0,
                q.edns() == null ? 0 : 1));
        out.write(msg, DnsDecoder.HEADER, q.questionEnd() - DnsDecoder.HEADER);
        int zoneOffset = zoneOffset(q, table);
        for (InetAddress a : addresses) {
            pointer(out, DnsDecoder.HEADER);
            u16(out, a instanceof Inet4Address ? TYPE_A : TYPE_AAAA);
            u16(out, CLASS_IN);
            u32(out, ttl);
            u16(out, a.getAddress().length);
            out.writeBytes(a.getAddress());
        }
        if (soaAnswer || negative) soa(out, zoneOffset, table.serial());
        if (q.edns() != null) opt(out, rcode);
        byte[] bytes = out.toByteArray();
        if (bytes.length > limit) {
            // RFC 2181 §9: with TC set the client retries over TCP; partial record sets are not sent
            var truncated = new ByteArrayOutputStream(64);
            truncated.writeBytes(header(
                    q.id(),
                    q.opcode(),
                    q.recursionDesired(),
                    authoritative,
                    true,
                    rcode & 0xF,
                    1,
                    0,
                    0,
                    q.edns() == null ? 0 : 1));
            truncated.write(msg, DnsDecoder.HEADER, q.questionEnd() - DnsDecoder.HEADER);
            if (q.edns() != null) opt(truncated, rcode);
            bytes = truncated.toByteArray();
        }
        return new Answer(bytes, rcode);
    }

    /** Offset of the zone's name inside the echoed question, so the SOA's names compress to pointers. */
    private static int zoneOffset(DnsQuery q, NameTable table) {
        int offset = DnsDecoder.HEADER;
        int below = q.labels().size() - table.zoneLabelCount();
        for (int i = 0; i < below; i++) offset += 1 + q.labels().get(i).length();
        return offset;
    }

    private void soa(ByteArrayOutputStream out, int zoneOffset, long serial) {
        pointer(out, zoneOffset);
        u16(out, TYPE_SOA);
        u16(out, CLASS_IN);
        u32(out, ttl);
        u16(out, 2 + 1 + HOSTMASTER.length + 2 + 20);
        pointer(out, zoneOffset); // MNAME: the zone itself; there is no separate name server
        out.write(HOSTMASTER.length);
        out.writeBytes(HOSTMASTER);
        pointer(out, zoneOffset); // RNAME hostmaster.<zone>
        u32(out, serial & 0xFFFF_FFFFL);
        u32(out, 3600); // refresh, retry, expire: no secondaries pull this zone
        u32(out, 600);
        u32(out, 86_400);
        u32(out, ttl); // RFC 2308 §4: negative answers are cached this long
    }

    /** RFC 6891 §6.1.3: an OPT carrying the upper bits of the RCODE, version 0, our payload size. */
    private static void opt(ByteArrayOutputStream out, int rcode) {
        out.write(0);
        u16(out, DnsDecoder.TYPE_OPT);
        u16(out, UDP_CEILING);
        u32(out, (long) (rcode >>> 4) << 24);
        u16(out, 0);
    }

    private static byte[] header(
            int id, int opcode, boolean rd, boolean aa, boolean tc, int rcode, int qd, int an, int ns, int ar) {
        int flags = 0x8000 | (opcode & 0xF) << 11 | (aa ? 0x0400 : 0) | (tc ? 0x0200 : 0) | (rd ? 0x0100 : 0) | rcode;
        var out = new ByteArrayOutputStream(DnsDecoder.HEADER);
        u16(out, id);
        u16(out, flags);
        u16(out, qd);
        u16(out, an);
        u16(out, ns);
        u16(out, ar);
        return out.toByteArray();
    }

    private static void pointer(ByteArrayOutputStream out, int offset) {
        u16(out, 0xC000 | offset);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static void u32(ByteArrayOutputStream out, long v) {
        u16(out, (int) (v >>> 16) & 0xFFFF);
        u16(out, (int) v & 0xFFFF);
    }
}
