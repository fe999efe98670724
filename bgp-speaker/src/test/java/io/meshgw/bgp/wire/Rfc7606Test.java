package io.meshgw.bgp.wire;

import static io.meshgw.bgp.wire.WireBytes.attr;
import static io.meshgw.bgp.wire.WireBytes.concat;
import static io.meshgw.bgp.wire.WireBytes.frame;
import static io.meshgw.bgp.wire.WireBytes.message;
import static io.meshgw.bgp.wire.WireBytes.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.wire.PathAttribute.Segment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The revised error handling of RFC 7606 as a table: for each path attribute and each kind of
 * error (length, flags, value, duplicate, missing well-known), the action the RFC prescribes.
 * Each UPDATE is a valid one (ORIGIN, AS_PATH, NEXT_HOP, one IPv4 prefix) with one thing
 * changed; the expectation names the reaction and the NOTIFICATION code/subcode (sent for a
 * reset, recorded for the milder actions).
 */
class Rfc7606Test {

    static final int T = PathAttribute.TRANSITIVE;
    static final int O = PathAttribute.OPTIONAL;
    static final int OT = O | T;

    static final CodecOptions EBGP = new CodecOptions(true, false, true);
    static final CodecOptions IBGP = new CodecOptions(true, false, false);
    static final CodecOptions TWO_OCTET = new CodecOptions(false, false, true);

    static final byte[] ORIGIN = attr(T, 1, 0);
    static final byte[] AS_PATH = attr(T, 2, 2, 1, 0, 0, 0xfd, 0xe9); // sequence 65001, 4 octets
    static final byte[] AS_PATH_2 = attr(T, 2, 2, 1, 0xfd, 0xe9); // the same in 2 octets
    static final byte[] NEXT_HOP = attr(T, 3, 10, 0, 0, 1);
    static final byte[] NLRI = {24, 10, 1, 2}; // 10.1.2.0/24

    /** An external session that relays {@code types} when well-formed. */
    static CodecOptions relaying(int... types) {
        Map<Integer, AttributeScreen.Action> actions = new HashMap<>();
        for (int t : types) {
            actions.put(t, AttributeScreen.Action.RELAY);
        }
        return new CodecOptions(true, false, true, new AttributeScreen(actions));
    }

    /** The valid UPDATE with {@code extra} attributes appended. */
    static byte[] with(byte[]... extra) {
        List<byte[]> all = new ArrayList<>(List.of(ORIGIN, AS_PATH, NEXT_HOP));
        all.addAll(List.of(extra));
        return update(NLRI, all.toArray(byte[][]::new));
    }

    /** The valid UPDATE with attribute {@code type} replaced by {@code replacement} (or left out). */
    static byte[] replacing(int type, byte[]... replacement) {
        List<byte[]> all = new ArrayList<>();
        for (byte[] a : List.of(ORIGIN, AS_PATH, NEXT_HOP)) {
            if ((a[1] & 0xFF) == type) {
                all.addAll(List.of(replacement));
            } else {
                all.add(a);
            }
        }
        return update(NLRI, all.toArray(byte[][]::new));
    }

    record Case(String name, String rfc, CodecOptions options, byte[] message, String expect, Consumer<Update> check) {
        @Override
        public String toString() {
            return name + " -> " + expect + " (" + rfc + ")";
        }
    }

    static Case c(String name, String rfc, CodecOptions o, byte[] m, String expect) {
        return new Case(name, rfc, o, m, expect, u -> {});
    }

    static Case c(String name, String rfc, CodecOptions o, byte[] m, String expect, Consumer<Update> check) {
        return new Case(name, rfc, o, m, expect, check);
    }

    static Consumer<Update> without(Class<? extends PathAttribute> kind) {
        return u -> assertThat(u.attribute(kind))
                .as("%s dropped", kind.getSimpleName())
                .isEmpty();
    }

    static Consumer<Update> has(PathAttribute expected) {
        return u -> assertThat(u.attributes()).contains(expected);
    }

    static Stream<Case> cases() {
        byte[] mp6 = {
            0,
            2,
            1,
            16,
            0x20,
            0x01,
            0x0d,
            (byte) 0xb8,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            1,
            0,
            32,
            0x20,
            1,
            0x0d,
            (byte) 0xb8
        };
        byte[] mpUnreach6 = {0, 2, 1, 32, 0x20, 1, 0x0d, (byte) 0xb8};
        return Stream.of(
                // ORIGIN (type 1): well-known mandatory
                c("ORIGIN of length 0", "RFC 7606 §7.1", EBGP, replacing(1, attr(T, 1)), "withdraw 3/5"),
                c("ORIGIN of length 2", "RFC 7606 §7.1", EBGP, replacing(1, attr(T, 1, 0, 0)), "withdraw 3/5"),
                c("ORIGIN marked optional", "RFC 7606 §3 (c)", EBGP, replacing(1, attr(OT, 1, 0)), "withdraw 3/4"),
                c("ORIGIN value 3", "RFC 7606 §7.1", EBGP, replacing(1, attr(T, 1, 3)), "withdraw 3/6"),
                c(
                        "ORIGIN value 2 (INCOMPLETE)",
                        "RFC 4271 §5.1.1",
                        EBGP,
                        replacing(1, attr(T, 1, 2)),
                        "ok",
                        has(new PathAttribute.Origin(2))),
                c(
                        "ORIGIN twice",
                        "RFC 7606 §3 (g)",
                        EBGP,
                        with(attr(T, 1, 2)),
                        "discard 3/1",
                        has(new PathAttribute.Origin(0))),
                c("ORIGIN missing", "RFC 7606 §3 (d)", EBGP, replacing(1), "withdraw 3/3"),
                // AS_PATH (type 2): well-known mandatory
                c(
                        "AS_PATH with segment type 5",
                        "RFC 7606 §7.2",
                        EBGP,
                        replacing(2, attr(T, 2, 5, 1, 0, 0, 0xfd, 0xe9)),
                        "withdraw 3/11"),
                c(
                        "AS_PATH with segment type 0",
                        "RFC 7606 §7.2",
                        EBGP,
                        replacing(2, attr(T, 2, 0, 1, 0, 0, 0xfd, 0xe9)),
                        "withdraw 3/11"),
                c(
                        "AS_PATH with an empty segment",
                        "RFC 7606 §7.2",
                        EBGP,
                        replacing(2, attr(T, 2, 2, 0)),
                        "withdraw 3/11"),
                c(
                        "AS_PATH segment overrunning the attribute",
                        "RFC 7606 §7.2",
                        EBGP,
                        replacing(2, attr(T, 2, 2, 2, 0, 0, 0xfd, 0xe9)),
                        "withdraw 3/11"),
                c("AS_PATH of 1 octet", "RFC 7606 §7.2", EBGP, replacing(2, attr(T, 2, 2)), "withdraw 3/11"),
                c(
                        "AS_PATH in 2 octets on a 4-octet session (length not a multiple of 4)",
                        "RFC 7606 §7.2",
                        EBGP,
                        replacing(2, AS_PATH_2),
                        "withdraw 3/11"),
                c(
                        "AS_PATH empty (a route of the neighbor's own)",
                        "RFC 4271 §5.1.2",
                        EBGP,
                        replacing(2, attr(T, 2)),
                        "ok",
                        has(new PathAttribute.AsPath(List.of()))),
                c(
                        "AS_PATH with every segment type",
                        "RFC 4271 §4.3, RFC 5065 §3",
                        EBGP,
                        replacing(
                                2,
                                attr(
                                        T, 2, 3, 1, 0, 0, 0, 9, 4, 1, 0, 0, 0, 8, 2, 1, 0, 0, 0, 7, 1, 2, 0, 0, 0, 6, 0,
                                        0, 0, 5)),
                        "ok",
                        has(new PathAttribute.AsPath(List.of(
                                new Segment(Segment.AS_CONFED_SEQUENCE, List.of(9L)),
                                new Segment(Segment.AS_CONFED_SET, List.of(8L)),
                                new Segment(Segment.AS_SEQUENCE, List.of(7L)),
                                new Segment(Segment.AS_SET, List.of(6L, 5L)))))),
                c(
                        "AS_PATH marked optional",
                        "RFC 7606 §3 (c)",
                        EBGP,
                        replacing(2, attr(OT, 2, 2, 1, 0, 0, 0xfd, 0xe9)),
                        "withdraw 3/4"),
                c(
                        "AS_PATH twice",
                        "RFC 7606 §3 (g)",
                        EBGP,
                        with(attr(T, 2, 2, 1, 0, 0, 0, 1)),
                        "discard 3/1",
                        u -> assertThat(u.attribute(PathAttribute.AsPath.class)
                                        .orElseThrow()
                                        .flatten())
                                .containsExactly(65001L)),
                c("AS_PATH missing", "RFC 7606 §3 (d)", EBGP, replacing(2), "withdraw 3/3"),
                // NEXT_HOP (type 3): well-known mandatory with IPv4 NLRI
                c("NEXT_HOP of length 3", "RFC 7606 §7.3", EBGP, replacing(3, attr(T, 3, 10, 0, 0)), "withdraw 3/5"),
                c(
                        "NEXT_HOP of length 5",
                        "RFC 7606 §7.3",
                        EBGP,
                        replacing(3, attr(T, 3, 10, 0, 0, 1, 0)),
                        "withdraw 3/5"),
                c(
                        "NEXT_HOP marked optional",
                        "RFC 7606 §3 (c)",
                        EBGP,
                        replacing(3, attr(OT, 3, 10, 0, 0, 1)),
                        "withdraw 3/4"),
                c(
                        "NEXT_HOP twice",
                        "RFC 7606 §3 (g)",
                        EBGP,
                        with(attr(T, 3, 10, 0, 0, 2)),
                        "discard 3/1",
                        has(new PathAttribute.NextHop(new byte[] {10, 0, 0, 1}))),
                c("NEXT_HOP missing with IPv4 NLRI", "RFC 7606 §3 (d)", EBGP, replacing(3), "withdraw 3/3"),
                c(
                        "NEXT_HOP missing, IPv6 NLRI in MP_REACH_NLRI only",
                        "RFC 4760 §3, RFC 7606 §3 (d)",
                        EBGP,
                        update(new byte[0], ORIGIN, AS_PATH, attr(O, 14, mp6)),
                        "ok"),
                c(
                        "ORIGIN missing, IPv6 NLRI in MP_REACH_NLRI only",
                        "RFC 7606 §3 (d)",
                        EBGP,
                        update(new byte[0], AS_PATH, attr(O, 14, mp6)),
                        "withdraw 3/3"),
                c(
                        "no mandatory attribute in a withdrawal-only UPDATE",
                        "RFC 7606 §3 (d)",
                        EBGP,
                        message(NLRI, new byte[0], new byte[0]),
                        "ok"),
                // MULTI_EXIT_DISC (type 4): optional non-transitive
                c("MED of length 3", "RFC 7606 §7.4", EBGP, with(attr(O, 4, 0, 0, 1)), "withdraw 3/5"),
                c("MED marked transitive", "RFC 7606 §3 (c)", EBGP, with(attr(OT, 4, 0, 0, 0, 1)), "withdraw 3/4"),
                c(
                        "MED twice",
                        "RFC 7606 §3 (g)",
                        EBGP,
                        with(attr(O, 4, 0, 0, 0, 1), attr(O, 4, 0, 0, 0, 2)),
                        "discard 3/1",
                        has(new PathAttribute.MultiExitDisc(1))),
                // LOCAL_PREF (type 5): well-known, internal peers only
                c(
                        "LOCAL_PREF from an external peer",
                        "RFC 7606 §7.5",
                        EBGP,
                        with(attr(T, 5, 0, 0, 0, 200)),
                        "discard",
                        without(PathAttribute.LocalPref.class)),
                c(
                        "LOCAL_PREF from an internal peer",
                        "RFC 4271 §5.1.5",
                        IBGP,
                        with(attr(T, 5, 0, 0, 0, 200)),
                        "ok",
                        has(new PathAttribute.LocalPref(200))),
                c("LOCAL_PREF of length 3", "RFC 7606 §7.5", IBGP, with(attr(T, 5, 0, 0, 200)), "withdraw 3/5"),
                c(
                        "LOCAL_PREF marked optional",
                        "RFC 7606 §3 (c)",
                        IBGP,
                        with(attr(OT, 5, 0, 0, 0, 200)),
                        "withdraw 3/4"),
                c(
                        "LOCAL_PREF missing from an internal peer (the default applies later)",
                        "RFC 4271 §5.1.5",
                        IBGP,
                        with(),
                        "ok",
                        without(PathAttribute.LocalPref.class)),
                // ATOMIC_AGGREGATE (type 6): well-known discretionary, discard class
                c(
                        "ATOMIC_AGGREGATE of length 1",
                        "RFC 7606 §7.6",
                        EBGP,
                        with(attr(T, 6, 0)),
                        "discard 3/5",
                        without(PathAttribute.AtomicAggregate.class)),
                c(
                        "ATOMIC_AGGREGATE marked optional",
                        "RFC 7606 §7.6",
                        EBGP,
                        with(attr(OT, 6)),
                        "discard 3/4",
                        without(PathAttribute.AtomicAggregate.class)),
                c(
                        "ATOMIC_AGGREGATE with an extended length of 0, last in the list",
                        "RFC 4271 §4.3",
                        EBGP,
                        with(attr(T | PathAttribute.EXTENDED_LENGTH, 6)),
                        "ok",
                        has(new PathAttribute.AtomicAggregate())),
                c(
                        "ATOMIC_AGGREGATE",
                        "RFC 4271 §5.1.6",
                        EBGP,
                        with(attr(T, 6)),
                        "ok",
                        has(new PathAttribute.AtomicAggregate())),
                // AGGREGATOR (type 7): optional transitive, discard class
                c(
                        "AGGREGATOR of length 7 on a 4-octet session",
                        "RFC 7606 §7.7",
                        EBGP,
                        with(attr(OT, 7, 0, 0, 0xfd, 10, 0, 0, 1)),
                        "discard 3/5",
                        without(PathAttribute.Aggregator.class)),
                c(
                        "AGGREGATOR of length 8 on a 2-octet session",
                        "RFC 7606 §7.7",
                        TWO_OCTET,
                        replacing(2, AS_PATH_2, attr(OT, 7, 0, 0, 0xfd, 0xe9, 10, 0, 0, 1)),
                        "discard 3/5",
                        without(PathAttribute.Aggregator.class)),
                c(
                        "AGGREGATOR marked non-transitive",
                        "RFC 7606 §7.7",
                        EBGP,
                        with(attr(O, 7, 0, 0, 0xfd, 0xe9, 10, 0, 0, 1)),
                        "discard 3/4",
                        without(PathAttribute.Aggregator.class)),
                c(
                        "AGGREGATOR on a 2-octet session",
                        "RFC 4271 §5.1.7",
                        TWO_OCTET,
                        replacing(2, AS_PATH_2, attr(OT, 7, 0xfd, 0xe9, 10, 0, 0, 1)),
                        "ok",
                        has(new PathAttribute.Aggregator(65001, new byte[] {10, 0, 0, 1}, false))),
                // COMMUNITIES (type 8): optional transitive
                c("COMMUNITIES of length 0", "RFC 7606 §7.8", EBGP, with(attr(OT, 8)), "withdraw 3/9"),
                c("COMMUNITIES of length 5", "RFC 7606 §7.8", EBGP, with(attr(OT, 8, 0, 0, 0, 0, 0)), "withdraw 3/9"),
                c(
                        "COMMUNITIES marked non-transitive",
                        "RFC 7606 §3 (c)",
                        EBGP,
                        with(attr(O, 8, 0xff, 0xff, 2, 0x9a)),
                        "withdraw 3/4"),
                c(
                        "COMMUNITIES twice",
                        "RFC 7606 §3 (g)",
                        EBGP,
                        with(attr(OT, 8, 0, 0, 0, 1), attr(OT, 8, 0, 0, 0, 2)),
                        "discard 3/1",
                        has(new PathAttribute.Communities(List.of(1L)))),
                // MP_REACH_NLRI (type 14) and MP_UNREACH_NLRI (type 15): unparseable means reset
                c(
                        "MP_REACH_NLRI of 4 octets",
                        "RFC 7606 §7.11",
                        EBGP,
                        update(new byte[0], ORIGIN, AS_PATH, attr(O, 14, 0, 2, 1, 16)),
                        "reset 3/9"),
                c(
                        "MP_REACH_NLRI for an AFI we do not carry",
                        "RFC 4760 §7",
                        EBGP,
                        update(new byte[0], ORIGIN, AS_PATH, attr(O, 14, 0, 25, 1, 0, 0)),
                        "discard",
                        without(PathAttribute.MpReachNlri.class)),
                c(
                        "MP_REACH_NLRI for SAFI 2 (multicast)",
                        "RFC 4760 §7",
                        EBGP,
                        update(
                                new byte[0],
                                ORIGIN,
                                AS_PATH,
                                attr(O, 14, concat(new byte[] {0, 2, 2, 16}, new byte[17]))),
                        "discard"),
                c(
                        "MP_REACH_NLRI with a next hop of 15 octets for IPv6",
                        "RFC 7606 §7.11",
                        EBGP,
                        update(
                                new byte[0],
                                ORIGIN,
                                AS_PATH,
                                attr(O, 14, concat(new byte[] {0, 2, 1, 15}, new byte[16]))),
                        "reset 3/9"),
                c(
                        "MP_REACH_NLRI with a next hop overrunning it",
                        "RFC 7606 §7.11",
                        EBGP,
                        update(
                                new byte[0],
                                ORIGIN,
                                AS_PATH,
                                attr(O, 14, concat(new byte[] {0, 2, 1, 16}, new byte[16]))),
                        "reset 3/9"),
                c(
                        "MP_REACH_NLRI with an IPv6 prefix of length 129",
                        "RFC 7606 §5.3",
                        EBGP,
                        update(
                                new byte[0],
                                ORIGIN,
                                AS_PATH,
                                attr(O, 14, concat(new byte[] {0, 2, 1, 16}, new byte[16], new byte[] {0, (byte) 129
                                }))),
                        "reset 3/10"),
                c(
                        "MP_REACH_NLRI marked transitive",
                        "RFC 7606 §3 (c), §7.11",
                        EBGP,
                        update(new byte[0], ORIGIN, AS_PATH, attr(OT, 14, mp6)),
                        "reset 3/4"),
                c(
                        "MP_REACH_NLRI twice",
                        "RFC 7606 §3 (g)",
                        EBGP,
                        update(new byte[0], ORIGIN, AS_PATH, attr(O, 14, mp6), attr(O, 14, mp6)),
                        "reset 3/1"),
                c(
                        "MP_UNREACH_NLRI of 2 octets",
                        "RFC 7606 §7.11",
                        EBGP,
                        update(new byte[0], attr(O, 15, 0, 2)),
                        "reset 3/9"),
                c(
                        "MP_UNREACH_NLRI with a prefix overrunning it",
                        "RFC 7606 §5.3",
                        EBGP,
                        update(new byte[0], attr(O, 15, 0, 2, 1, 64, 0x20, 1)),
                        "reset 3/10"),
                c(
                        "MP_UNREACH_NLRI twice",
                        "RFC 7606 §3 (g)",
                        EBGP,
                        update(new byte[0], attr(O, 15, mpUnreach6), attr(O, 15, mpUnreach6)),
                        "reset 3/1"),
                c(
                        "MP_UNREACH_NLRI for an AFI we do not carry",
                        "RFC 4760 §7",
                        EBGP,
                        update(new byte[0], attr(O, 15, 0, 25, 1)),
                        "discard",
                        without(PathAttribute.MpUnreachNlri.class)),
                // EXTENDED_COMMUNITIES (type 16)
                c("EXTENDED_COMMUNITIES of length 0", "RFC 7606 §7.14", EBGP, with(attr(OT, 16)), "withdraw 3/9"),
                c(
                        "EXTENDED_COMMUNITIES of length 7",
                        "RFC 7606 §7.14",
                        EBGP,
                        with(attr(OT, 16, new byte[7])),
                        "withdraw 3/9"),
                c(
                        "EXTENDED_COMMUNITIES marked non-transitive",
                        "RFC 7606 §3 (c)",
                        EBGP,
                        with(attr(O, 16, new byte[8])),
                        "withdraw 3/4"),
                c(
                        "EXTENDED_COMMUNITIES of two values",
                        "RFC 4360 §2",
                        EBGP,
                        with(attr(OT, 16, 0, 2, 0xfd, 0xe9, 0, 0, 0, 1, 0x80, 0, 0, 0, 0, 0, 0, 2)),
                        "ok",
                        has(new PathAttribute.ExtendedCommunities(List.of(0x0002FDE900000001L, 0x8000000000000002L)))),
                // AS4_PATH (type 17) and AS4_AGGREGATOR (type 18): discard class
                c(
                        "AS4_PATH from a 4-octet speaker",
                        "RFC 6793 §6",
                        EBGP,
                        with(attr(OT, 17, 2, 1, 0xfa, 0x56, 0xea, 1)),
                        "discard 3/11",
                        without(PathAttribute.As4Path.class)),
                c(
                        "AS4_PATH with an empty segment",
                        "RFC 6793 §6, RFC 7606 §7.2",
                        TWO_OCTET,
                        replacing(2, AS_PATH_2, attr(OT, 17, 2, 0)),
                        "discard 3/11",
                        u -> assertThat(u.attribute(PathAttribute.AsPath.class)
                                        .orElseThrow()
                                        .flatten())
                                .containsExactly(65001L)),
                c(
                        "AS4_PATH with a confederation segment: the segment is discarded",
                        "RFC 6793 §3",
                        TWO_OCTET,
                        replacing(
                                2,
                                attr(T, 2, 3, 1, 0xfd, 0xf2, 2, 1, 0x5b, 0xa0),
                                attr(OT, 17, 3, 1, 0xfa, 0x56, 0xea, 9, 2, 1, 0xfa, 0x56, 0xea, 1)),
                        "ok",
                        has(new PathAttribute.AsPath(List.of(
                                new Segment(Segment.AS_CONFED_SEQUENCE, List.of(65010L)),
                                new Segment(Segment.AS_SEQUENCE, List.of(4200000001L)))))),
                c(
                        "AS4_PATH marked non-transitive",
                        "RFC 7606 §3 (c)",
                        TWO_OCTET,
                        replacing(2, attr(T, 2, 2, 1, 0x5b, 0xa0), attr(O, 17, 2, 1, 0xfa, 0x56, 0xea, 1)),
                        "discard 3/4",
                        u -> assertThat(u.attribute(PathAttribute.AsPath.class)
                                        .orElseThrow()
                                        .flatten())
                                .containsExactly((long) Open.AS_TRANS)),
                c(
                        "AS4_AGGREGATOR from a 4-octet speaker",
                        "RFC 6793 §6",
                        EBGP,
                        with(attr(OT, 18, 0xfa, 0x56, 0xea, 1, 10, 0, 0, 1)),
                        "discard 3/9",
                        without(PathAttribute.Aggregator.class)),
                c(
                        "AS4_AGGREGATOR of length 7",
                        "RFC 6793 §6",
                        TWO_OCTET,
                        replacing(2, AS_PATH_2, attr(OT, 18, 0xfa, 0x56, 0xea, 1, 10, 0, 0)),
                        "discard 3/9"),
                c(
                        "AS4_AGGREGATOR marked non-transitive",
                        "RFC 7606 §3 (c)",
                        TWO_OCTET,
                        replacing(2, AS_PATH_2, attr(O, 18, 0xfa, 0x56, 0xea, 1, 10, 0, 0, 1)),
                        "discard 3/4"),
                c(
                        "AGGREGATOR with AS_TRANS and AS4_AGGREGATOR",
                        "RFC 6793 §4.2.3",
                        TWO_OCTET,
                        replacing(
                                2,
                                AS_PATH_2,
                                attr(OT, 7, 0x5b, 0xa0, 10, 0, 0, 1),
                                attr(OT, 18, 0xfa, 0x56, 0xea, 1, 10, 0, 0, 2)),
                        "ok",
                        u -> assertThat(u.attributes())
                                .contains(new PathAttribute.Aggregator(4200000001L, new byte[] {10, 0, 0, 2}, false))
                                .doesNotContain(
                                        new PathAttribute.Aggregator(Open.AS_TRANS, new byte[] {10, 0, 0, 1}, false))
                                .noneMatch(a -> a instanceof PathAttribute.Aggregator g && g.as4())),
                c(
                        "AGGREGATOR with a real AS: AS4_AGGREGATOR and AS4_PATH are ignored",
                        "RFC 6793 §4.2.3",
                        TWO_OCTET,
                        replacing(
                                2,
                                attr(T, 2, 2, 1, 0x5b, 0xa0),
                                attr(OT, 7, 0xfd, 0xe9, 10, 0, 0, 1),
                                attr(OT, 17, 2, 1, 0xfa, 0x56, 0xea, 1),
                                attr(OT, 18, 0xfa, 0x56, 0xea, 1, 10, 0, 0, 2)),
                        "ok",
                        u -> {
                            assertThat(u.attributes())
                                    .contains(new PathAttribute.Aggregator(65001, new byte[] {10, 0, 0, 1}, false))
                                    .noneMatch(a -> a instanceof PathAttribute.As4Path)
                                    .noneMatch(a -> a instanceof PathAttribute.Aggregator g && g.as4());
                            assertThat(u.attribute(PathAttribute.AsPath.class)
                                            .orElseThrow()
                                            .flatten())
                                    .containsExactly((long) Open.AS_TRANS);
                        }),
                // LARGE_COMMUNITIES (type 32)
                c("LARGE_COMMUNITIES of length 0", "RFC 8092 §6", EBGP, with(attr(OT, 32)), "withdraw 3/9"),
                c(
                        "LARGE_COMMUNITIES of length 13",
                        "RFC 8092 §6",
                        EBGP,
                        with(attr(OT, 32, new byte[13])),
                        "withdraw 3/9"),
                c(
                        "LARGE_COMMUNITIES marked non-transitive",
                        "RFC 7606 §3 (c)",
                        EBGP,
                        with(attr(O, 32, new byte[12])),
                        "withdraw 3/4"),
                c(
                        "LARGE_COMMUNITIES of two values",
                        "RFC 8092 §3",
                        EBGP,
                        with(attr(
                                OT,
                                32,
                                concat(new byte[] {0, 0, (byte) 0xfd, (byte) 0xe9, 0, 0, 0, 1, 0, 0, 0, 2}, new byte[] {
                                    (byte) 0xfa,
                                    0x56,
                                    (byte) 0xea,
                                    1,
                                    0,
                                    0,
                                    0,
                                    3,
                                    (byte) 0xff,
                                    (byte) 0xff,
                                    (byte) 0xff,
                                    (byte) 0xff
                                }))),
                        "ok",
                        has(new PathAttribute.LargeCommunities(List.of(
                                new PathAttribute.LargeCommunities.Large(65001, 1, 2),
                                new PathAttribute.LargeCommunities.Large(4200000001L, 3, 0xFFFFFFFFL))))),
                // Attributes we do not know
                c("unknown well-known attribute", "RFC 4271 §6.3", EBGP, with(attr(T, 99, 1, 2)), "reset 3/2"),
                c(
                        "unknown optional non-transitive attribute: ignored",
                        "RFC 4271 §5",
                        EBGP,
                        with(attr(O, 99, 1, 2)),
                        "ok",
                        u -> assertThat(u.attributes()).noneMatch(a -> a.type() == 99)),
                c(
                        "unknown optional transitive attribute: not relayed unless asked",
                        "RFC 4271 §5",
                        EBGP,
                        with(attr(OT, 99, 1, 2)),
                        "ok",
                        u -> assertThat(u.attributes()).noneMatch(a -> a.type() == 99)),
                c(
                        "unknown optional transitive attribute relayed on request: passed on with Partial",
                        "RFC 4271 §5",
                        relaying(99),
                        with(attr(OT, 99, 1, 2)),
                        "ok",
                        has(new PathAttribute.Unknown(OT | PathAttribute.PARTIAL, 99, new byte[] {1, 2}))),
                // Optional transitive attributes meshgw relays on request, checked against their own RFC first
                c(
                        "PMSI_TUNNEL of length 4",
                        "RFC 6514 §5",
                        relaying(22),
                        with(attr(OT, 22, 0, 0, 0, 1)),
                        "withdraw 3/9"),
                c(
                        "PMSI_TUNNEL well-formed: relayed",
                        "RFC 6514 §5",
                        relaying(22),
                        with(attr(OT, 22, 0, 6, 0, 0, 1, 10, 0, 0, 1)),
                        "ok",
                        u -> assertThat(u.attributes()).anyMatch(a -> a.type() == 22)),
                c(
                        "TUNNEL_ENCAPSULATION with no Tunnel TLV",
                        "RFC 9012 §2",
                        relaying(23),
                        with(attr(OT, 23, new byte[0])),
                        "withdraw 3/9"),
                c(
                        "TUNNEL_ENCAPSULATION whose sub-TLV overruns its Tunnel TLV",
                        "RFC 9012 §2.1",
                        relaying(23),
                        with(attr(OT, 23, 0, 8, 0, 3, 4, 9, 0)),
                        "withdraw 3/9"),
                c(
                        "TUNNEL_ENCAPSULATION with a 2-octet-length sub-TLV overrunning",
                        "RFC 9012 §2.1",
                        relaying(23),
                        with(attr(OT, 23, 0, 8, 0, 4, 128, 0, 9, 0)),
                        "withdraw 3/9"),
                c(
                        "TUNNEL_ENCAPSULATION well-formed (VXLAN, an empty color sub-TLV): relayed",
                        "RFC 9012 §2",
                        relaying(23),
                        with(attr(OT, 23, 0, 8, 0, 2, 4, 0)),
                        "ok",
                        u -> assertThat(u.attributes()).anyMatch(a -> a.type() == 23)),
                c(
                        "IPV6_EXTENDED_COMMUNITIES of length 19",
                        "RFC 5701 §2",
                        relaying(25),
                        with(attr(OT, 25, new byte[19])),
                        "withdraw 3/9"),
                c(
                        "PREFIX_SID with a Label-Index TLV of length 6",
                        "RFC 8669 §3.1, §6",
                        relaying(40),
                        with(attr(OT, 40, 1, 0, 6, 0, 0, 0, 0, 0, 0)),
                        "discard 3/9",
                        u -> assertThat(u.attributes()).noneMatch(a -> a.type() == 40)),
                c(
                        "PREFIX_SID with an Originator SRGB TLV of length 7",
                        "RFC 8669 §3.2, §6",
                        relaying(40),
                        with(attr(OT, 40, 3, 0, 7, 0, 0, 0, 0, 0, 0, 0)),
                        "discard 3/9"),
                c(
                        "ATTR_SET shorter than its origin AS",
                        "RFC 6368 §5",
                        relaying(128),
                        with(attr(OT, 128, 0, 0, 1)),
                        "withdraw 3/9"),
                c(
                        "ATTR_SET holding an MP_REACH_NLRI",
                        "RFC 6368 §5",
                        relaying(128),
                        with(attr(OT, 128, 0, 0, 0xfd, 0xe9, O, 14, 0)),
                        "withdraw 3/9"),
                c(
                        "ATTR_SET whose inner attribute overruns it",
                        "RFC 6368 §5",
                        relaying(128),
                        with(attr(OT, 128, 0, 0, 0xfd, 0xe9, T, 1, 5, 0)),
                        "withdraw 3/9"),
                // The attribute list itself
                c(
                        "attribute header truncated to 2 octets",
                        "RFC 7606 §4",
                        EBGP,
                        with(new byte[] {(byte) OT, 99}),
                        "withdraw 3/1"),
                c(
                        "extended length truncated",
                        "RFC 7606 §4",
                        EBGP,
                        with(new byte[] {(byte) (OT | PathAttribute.EXTENDED_LENGTH), 99, 0}),
                        "withdraw 3/1"),
                c(
                        "attribute length overrunning the attribute list",
                        "RFC 7606 §4",
                        EBGP,
                        with(new byte[] {(byte) OT, 99, 5, 1, 2, 3, 4}),
                        "withdraw 3/1"),
                c(
                        "extended length used for a short attribute",
                        "RFC 4271 §4.3",
                        EBGP,
                        with(attr(OT | PathAttribute.EXTENDED_LENGTH, 8, 0, 0, 0, 1)),
                        "ok",
                        has(new PathAttribute.Communities(List.of(1L)))),
                c(
                        "withdrawn routes length overrunning the message",
                        "RFC 7606 §4",
                        EBGP,
                        frame(BgpMessage.UPDATE, new byte[] {0, 9, 24, 10, 1, 2, 0, 0}),
                        "reset 3/1"),
                c(
                        "total attribute length overrunning the message",
                        "RFC 7606 §4",
                        EBGP,
                        frame(BgpMessage.UPDATE, new byte[] {0, 0, 0, 9, 0x40, 1, 1, 0}),
                        "reset 3/1"),
                c(
                        "IPv4 NLRI with a prefix of length 33",
                        "RFC 7606 §5.3",
                        EBGP,
                        update(new byte[] {33, 10, 1, 2, 3, 4}, ORIGIN, AS_PATH, NEXT_HOP),
                        "reset 3/10"),
                c(
                        "IPv4 NLRI with a prefix overrunning the message",
                        "RFC 7606 §5.3",
                        EBGP,
                        update(new byte[] {24, 10, 1}, ORIGIN, AS_PATH, NEXT_HOP),
                        "reset 3/10"),
                c(
                        "withdrawn routes with a prefix of length 33",
                        "RFC 7606 §5.3",
                        EBGP,
                        message(new byte[] {33, 10, 1, 2, 3, 4}, new byte[0], new byte[0]),
                        "reset 3/10"),
                c(
                        "UPDATE body of 3 octets",
                        "RFC 4271 §6.1",
                        EBGP,
                        frame(BgpMessage.UPDATE, new byte[] {0, 0, 0}),
                        "reset 1/2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachErrorGetsTheActionTheRfcPrescribes(Case c) {
        DecodeResult r = MessageDecoder.decode(c.message(), c.options());
        String[] e = c.expect().split(" ");
        String kind = e[0];
        if (kind.equals("reset")) {
            assertThat(r).as("%s: %s", c, r).isInstanceOf(DecodeResult.Failed.class);
            BgpError err = ((DecodeResult.Failed) r).error();
            assertThat(err.handling()).isEqualTo(BgpError.Handling.SESSION_RESET);
            assertThat(err.code() + "/" + err.subcode()).as(err.reason()).isEqualTo(e[1]);
            assertThat(err.reason()).doesNotContain("decoder failure");
            return;
        }
        assertThat(r).as("%s: %s", c, r).isInstanceOf(DecodeResult.Ok.class);
        var ok = (DecodeResult.Ok) r;
        switch (kind) {
            case "ok" -> assertThat(ok.repairs()).as(c.toString()).isEmpty();
            case "withdraw" -> {
                // The cause comes first; a malformed mandatory attribute is then also missing.
                assertThat(ok.repairs())
                        .as(c.toString())
                        .isNotEmpty()
                        .allSatisfy(x -> assertThat(x.handling()).isEqualTo(BgpError.Handling.TREAT_AS_WITHDRAW));
                BgpError cause = ok.repairs().getFirst();
                assertThat(cause.code() + "/" + cause.subcode())
                        .as(cause.reason())
                        .isEqualTo(e[1]);
                if (c.name().contains(" missing")) {
                    // the log names the attribute that was missing
                    assertThat(cause.reason())
                            .contains(
                                    "missing " + c.name().substring(0, c.name().indexOf(' ')));
                }
                assertThat(ok.treatAsWithdraw()).isTrue();
            }
            case "discard" -> {
                assertThat(ok.repairs()).as(c.toString()).singleElement().satisfies(x -> {
                    assertThat(x.handling()).isEqualTo(BgpError.Handling.ATTRIBUTE_DISCARD);
                    if (e.length > 1) {
                        assertThat(x.code() + "/" + x.subcode()).as(x.reason()).isEqualTo(e[1]);
                    }
                });
                assertThat(ok.treatAsWithdraw()).isFalse();
            }
            default -> throw new IllegalArgumentException(c.expect());
        }
        c.check().accept((Update) ok.message());
    }
}
