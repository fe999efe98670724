package io.meshgw.gateway.dns;

import static io.meshgw.gateway.dns.DnsQueries.query;
import static io.meshgw.gateway.dns.DnsQueries.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgw.gateway.dns.DnsAnswerer.Transport;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DnsAnswererTest {

    private static final int A = 1;
    private static final int NS = 2;
    private static final int SOA = 6;
    private static final int MX = 15;
    private static final int AAAA = 28;
    private static final int AXFR = 252;
    private static final int ANY = 255;

    private final DnsAnswerer answerer = new DnsAnswerer(5);
    private final NameTable table = NameTable.of(
            "meshgw.internal",
            Map.of(
                    "db.legacy", List.of(ip("192.0.2.20"), ip("192.0.2.10"), ip("2001:db8::10")),
                    "mainframe.legacy", List.of(),
                    "ldap.infra", List.of(ip("198.51.100.5"))),
            2026112601L);

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private DnsQueries.Reply ask(byte[] q) {
        return ask(q, Transport.UDP);
    }

    private DnsQueries.Reply ask(byte[] q, Transport transport) {
        var answer = answerer.answer(q, q.length, table, transport);
        assertNotNull(answer, "answered");
        var reply = read(answer.bytes());
        assertEquals(answer.rcode() & 0xF, reply.rcode());
        return reply;
    }

    @Test
    void aHostNameGetsItsIpv4AddressesSortedAuthoritativelyWithTheQuestionEchoed() {
        var r = ask(query(0x1234, "db.legacy.meshgw.internal", A));
        assertEquals(0x1234, r.id());
        assertEquals(DnsAnswerer.NOERROR, r.rcode());
        assertTrue(r.aa(), "authoritative");
        assertTrue(r.rd(), "RD echoed");
        assertFalse(r.ra(), "no recursion offered");
        assertEquals("db.legacy.meshgw.internal", r.question());
        assertEquals(2, r.answers().size());
        assertArrayEquals(ip("192.0.2.10").getAddress(), r.answers().get(0).rdata());
        assertArrayEquals(ip("192.0.2.20").getAddress(), r.answers().get(1).rdata());
        for (var rr : r.answers()) {
            assertEquals("db.legacy.meshgw.internal", rr.owner());
            assertEquals(A, rr.type());
            assertEquals(5, rr.ttl());
        }
        assertTrue(r.authority().isEmpty());
    }

    @Test
    void aaaaAndAnyPickTheMatchingFamilies() {
        var six = ask(query(1, "db.legacy.meshgw.internal", AAAA));
        assertEquals(1, six.answers().size());
        assertArrayEquals(
                ip("2001:db8::10").getAddress(), six.answers().getFirst().rdata());
        assertEquals(
                3, ask(query(2, "db.legacy.meshgw.internal", ANY)).answers().size());
    }

    @Test
    void letterCaseOfTheQuestionIsKeptAndMatchingIgnoresIt() {
        // resolvers randomise case (draft-vixie-dnsext-0x20) and check the echo
        var r = ask(query(3, "Db.LeGacy.MeshGW.internal", A));
        assertEquals("Db.LeGacy.MeshGW.internal", r.question());
        assertEquals(2, r.answers().size());
    }

    @Test
    void anUnknownNameIsNxdomainWithTheSoaForNegativeCaching() {
        var r = ask(query(4, "nothing.legacy.meshgw.internal", A));
        assertEquals(DnsAnswerer.NXDOMAIN, r.rcode());
        assertTrue(r.aa());
        assertTrue(r.answers().isEmpty());
        assertEquals(1, r.authority().size());
        var soa = r.authority().getFirst();
        assertEquals(SOA, soa.type());
        assertEquals("meshgw.internal", soa.owner());
        int[] next = new int[1];
        assertEquals("meshgw.internal", DnsQueries.readName(r.bytes(), soa.rdataOffset(), next));
        assertEquals("hostmaster.meshgw.internal", DnsQueries.readName(r.bytes(), next[0], next));
        assertEquals(
                2026112601L,
                Integer.toUnsignedLong(
                        (DnsQueries.u16(r.bytes(), next[0]) << 16) | DnsQueries.u16(r.bytes(), next[0] + 2)));
        int minimum = (DnsQueries.u16(r.bytes(), next[0] + 16) << 16) | DnsQueries.u16(r.bytes(), next[0] + 18);
        assertEquals(5, minimum, "negative answers are cached for the TTL");
    }

    @Test
    void aNamespaceOrAnEmptyHostOrAnotherTypeIsNodataNotNxdomain() {
        // RFC 8020: NXDOMAIN would tell caches that nothing exists below the name
        for (var q : List.of(
                query(5, "legacy.meshgw.internal", A),
                query(6, "mainframe.legacy.meshgw.internal", A),
                query(7, "db.legacy.meshgw.internal", MX))) {
            var r = ask(q);
            assertEquals(DnsAnswerer.NOERROR, r.rcode());
            assertTrue(r.answers().isEmpty());
            assertEquals(SOA, r.authority().getFirst().type());
        }
    }

    @Test
    void theApexAnswersItsSoaAndNodataForNs() {
        var soa = ask(query(8, "meshgw.internal", SOA));
        assertEquals(1, soa.answers().size());
        assertEquals(SOA, soa.answers().getFirst().type());
        var ns = ask(query(9, "meshgw.internal", NS));
        assertTrue(ns.answers().isEmpty());
        assertEquals(1, ns.authority().size());
    }

    @Test
    void namesOutsideTheZoneZoneTransfersAndOtherClassesAreRefused() {
        for (var q : List.of(
                query(10, "example.com", A),
                query(11, "internal", A),
                query(12, "meshgw.internal", AXFR),
                query(13, "db.legacy.meshgw.internal", A, 3, -1, 0))) {
            var r = ask(q);
            assertEquals(DnsAnswerer.REFUSED, r.rcode());
            assertFalse(r.aa());
            assertTrue(r.answers().isEmpty() && r.authority().isEmpty());
        }
    }

    @Test
    void anOpcodeOtherThanQueryIsNotImplemented() {
        byte[] q = query(14, "db.legacy.meshgw.internal", A);
        q[2] |= (byte) (5 << 3); // UPDATE (RFC 2136)
        assertEquals(DnsAnswerer.NOTIMP, ask(q).rcode());
    }

    @Test
    void ednsIsAnsweredWithAnOptAndAnUnknownVersionWithBadvers() {
        var r = ask(query(15, "db.legacy.meshgw.internal", A, 1, 4096, 0));
        assertEquals(1, r.additional().size());
        assertEquals(41, r.additional().getFirst().type());
        var bad = answerer.answer(
                query(16, "db.legacy.meshgw.internal", A, 1, 4096, 1),
                query(16, "db.legacy.meshgw.internal", A, 1, 4096, 1).length,
                table,
                Transport.UDP);
        assertEquals(DnsAnswerer.BADVERS, bad.rcode());
        var reply = read(bad.bytes());
        assertEquals(0, reply.rcode(), "the lower four bits of BADVERS are zero");
        byte[] b = reply.bytes();
        int opt = reply.additional().getFirst().rdataOffset() - 10;
        assertEquals(1, b[opt + 4] & 0xFF, "extended RCODE upper bits: 16 >> 4");
    }

    @Test
    void anAnswerTooBigForUdpIsTruncatedWithoutPartialRecordsAndIsWholeOverTcp() {
        var many = new LinkedHashMap<String, List<InetAddress>>();
        var addresses = new ArrayList<InetAddress>();
        for (int i = 1; i <= 60; i++) addresses.add(ip("10.9.0." + i));
        many.put("big.legacy", addresses);
        var big = NameTable.of("meshgw.internal", many, 1);
        byte[] q = query(17, "big.legacy.meshgw.internal", A);
        var udp = read(answerer.answer(q, q.length, big, Transport.UDP).bytes());
        assertTrue(udp.tc(), "TC set: 60 records do not fit 512 bytes");
        assertTrue(udp.answers().isEmpty(), "no partial record set");
        assertTrue(udp.bytes().length <= 512);
        byte[] edns = query(18, "big.legacy.meshgw.internal", A, 1, 4096, 0);
        var large = read(answerer.answer(edns, edns.length, big, Transport.UDP).bytes());
        assertFalse(large.tc(), "60 records fit the EDNS payload");
        assertEquals(60, large.answers().size());
        var tcp = read(answerer.answer(q, q.length, big, Transport.TCP).bytes());
        assertFalse(tcp.tc());
        assertEquals(60, tcp.answers().size());
    }

    @Test
    void malformedQueriesGetFormerrWithTheirIdAndNoQuestion() {
        byte[] good = query(0x4242, "db.legacy.meshgw.internal", A);
        var cases = new LinkedHashMap<String, byte[]>();
        cases.put("name cut short", Arrays.copyOf(good, 20));
        cases.put("no QTYPE/QCLASS", Arrays.copyOf(good, good.length - 3));
        byte[] pointer = good.clone();
        pointer[12] = (byte) 0xC0;
        pointer[13] = 12;
        cases.put("pointer loop in the question", pointer);
        byte[] label = good.clone();
        label[12] = 64;
        cases.put("label of 64 bytes", label);
        byte[] two = good.clone();
        two[5] = 2;
        cases.put("two questions", two);
        byte[] answers = good.clone();
        answers[7] = 1;
        cases.put("answer records in a query", answers);
        byte[] opt = query(0x4242, "db.legacy.meshgw.internal", A, 1, 1232, 0);
        cases.put("OPT cut short", Arrays.copyOf(opt, opt.length - 2));
        var longName = new StringBuilder("x");
        while (longName.length() < 300) longName.append(".abcdefghij");
        cases.put("name over 255 bytes", query(0x4242, longName + ".meshgw.internal", A));
        for (var e : cases.entrySet()) {
            var answer = answerer.answer(e.getValue(), e.getValue().length, table, Transport.UDP);
            assertNotNull(answer, e.getKey());
            assertEquals(DnsAnswerer.FORMERR, answer.rcode(), e.getKey());
            var r = read(answer.bytes());
            assertEquals(0x4242, r.id(), e.getKey());
            assertNull(r.question(), e.getKey());
            assertTrue((r.flags() & 0x8000) != 0, e.getKey() + ": QR set");
        }
    }

    @Test
    void aLabelHoldingADotIsNoHostEvenIfItsTextMatchesOne() {
        // one label "db.legacy" (a byte string may hold a dot), then meshgw, internal
        byte[] q = query(21, "x.legacy.meshgw.internal", A);
        byte[] name = {
            9, 'd', 'b', '.', 'l', 'e', 'g', 'a', 'c', 'y', 6, 'm', 'e', 's', 'h', 'g', 'w', 8, 'i', 'n', 't', 'e', 'r',
            'n', 'a', 'l', 0, 0, 1, 0, 1
        };
        byte[] msg = new byte[12 + name.length];
        System.arraycopy(q, 0, msg, 0, 12);
        System.arraycopy(name, 0, msg, 12, name.length);
        assertEquals(DnsAnswerer.NXDOMAIN, ask(msg).rcode());
    }

    @Test
    void tooShortMessagesAndResponsesAreNotAnswered() {
        byte[] q = query(19, "db.legacy.meshgw.internal", A);
        assertNull(answerer.answer(q, 11, table, Transport.UDP));
        q[2] |= (byte) 0x80;
        assertNull(answerer.answer(q, q.length, table, Transport.UDP), "a response is never answered");
    }

    @Test
    void randomlyCorruptedQueriesNeverThrowAndKeepTheirId() {
        var random = new Random(20261126L);
        byte[] base = query(0x0102, "db.legacy.meshgw.internal", A, 1, 1232, 0);
        for (int i = 0; i < 20_000; i++) {
            byte[] q = Arrays.copyOf(base, 12 + random.nextInt(base.length));
            for (int flips = random.nextInt(4); flips >= 0; flips--) {
                int at = 2 + random.nextInt(q.length - 2); // keep the id to check it comes back
                q[at] = (byte) random.nextInt(256);
            }
            var answer = answerer.answer(q, q.length, table, Transport.UDP);
            if (answer != null) {
                var r = read(answer.bytes());
                assertEquals(0x0102, r.id());
                assertTrue(answer.bytes().length <= DnsAnswerer.UDP_CEILING, "never more than a UDP answer may carry");
            }
        }
    }

    @Test
    void namesAndZonesThatAreNotDnsNamesAreRejectedWithTheLabel() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> NameTable.of("meshgw.internal", Map.of("db_1.legacy", List.of()), 1));
        assertTrue(e.getMessage().contains("db_1"), e.getMessage());
        var zone = assertThrows(IllegalArgumentException.class, () -> NameTable.zone("mesh..internal"));
        assertTrue(zone.getMessage().contains("mesh..internal"), zone.getMessage());
        assertEquals("meshgw.internal", NameTable.zone("MeshGW.Internal."));
    }
}
