package io.meshgw.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.wire.PathAttribute.Segment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Properties over seeded random messages: every valid message survives encode/decode unchanged on
 * its session, and no mutation of a valid message makes the decoder throw or fail internally. A
 * failure names its case, so it can be replayed.
 */
class CodecPropertiesTest {

    /** What the round trip must have covered, so a generator change cannot quietly narrow it. */
    enum Feature {
        OPEN,
        NOTIFICATION,
        KEEPALIVE,
        ROUTE_REFRESH,
        WITHDRAWAL_ONLY,
        AS_SET,
        CONFED_SEGMENT,
        LOCAL_PREF,
        IBGP,
        TWO_OCTET_SESSION,
        FOUR_OCTET_AS_OVER_TWO_OCTETS,
        OVER_4096_BYTES,
        EXTENDED_LENGTH_ATTRIBUTE,
        MP_REACH_IPV6,
        MP_UNREACH,
        AGGREGATOR_4_OCTETS_OVER_TWO_OCTETS,
        UNKNOWN_ATTRIBUTE
    }

    /** Distinct messages (by session and bytes): the generator repeats KEEPALIVEs, for one. */
    static Map<ByteBuffer, RandomMessages.Sample> distinctSamples(long seed, int count) {
        RandomMessages gen = new RandomMessages(seed);
        Map<ByteBuffer, RandomMessages.Sample> out = new LinkedHashMap<>();
        for (int attempts = 0; out.size() < count && attempts < count * 3; attempts++) {
            RandomMessages.Sample s = gen.sample();
            byte[] wire = MessageEncoder.encode(s.message(), s.options());
            byte[] key = Arrays.copyOf(wire, wire.length + 1);
            key[wire.length] = (byte) ((s.options().fourOctetAs() ? 1 : 0)
                    | (s.options().extendedMessages() ? 2 : 0)
                    | (s.options().ebgp() ? 4 : 0));
            out.putIfAbsent(ByteBuffer.wrap(key), s);
        }
        return out;
    }

    @Test
    void everyDistinctMessageRoundTripsToTheSameValueAndTheSameBytes() {
        Set<Feature> seen = EnumSet.noneOf(Feature.class);
        var samples = distinctSamples(1, 400);
        assertThat(samples).hasSize(400);
        int i = 0;
        for (RandomMessages.Sample s : samples.values()) {
            int n = i++;
            Supplier<String> what = () -> "case " + n + " " + s.options() + ": " + s.message();
            byte[] wire = MessageEncoder.encode(s.message(), s.options());
            assertThat(wire.length).as(what).isLessThanOrEqualTo(s.options().maxMessageLength());
            DecodeResult r = MessageDecoder.decode(wire, s.options());
            assertThat(r).as(what).isInstanceOf(DecodeResult.Ok.class);
            var ok = (DecodeResult.Ok) r;
            assertThat(ok.repairs()).as(what).isEmpty();
            assertThat(ok.message()).as(what).isEqualTo(s.message());
            assertThat(MessageEncoder.encode(ok.message(), s.options()))
                    .as(() -> "the encoding is canonical: " + what.get())
                    .isEqualTo(wire);
            seen.addAll(features(s, wire));
        }
        assertThat(seen).containsExactlyInAnyOrder(Feature.values());
    }

    private static Set<Feature> features(RandomMessages.Sample s, byte[] wire) {
        Set<Feature> f = new HashSet<>();
        CodecOptions o = s.options();
        if (!o.ebgp()) {
            f.add(Feature.IBGP);
        }
        if (!o.fourOctetAs()) {
            f.add(Feature.TWO_OCTET_SESSION);
        }
        if (wire.length > 4096) {
            f.add(Feature.OVER_4096_BYTES);
        }
        switch (s.message()) {
            case Open x -> f.add(Feature.OPEN);
            case Notification x -> f.add(Feature.NOTIFICATION);
            case Keepalive x -> f.add(Feature.KEEPALIVE);
            case RouteRefresh x -> f.add(Feature.ROUTE_REFRESH);
            case Update u -> {
                if (u.nlri().isEmpty()
                        && !u.withdrawn().isEmpty()
                        && u.attributes().isEmpty()) {
                    f.add(Feature.WITHDRAWAL_ONLY);
                }
                for (PathAttribute a : u.attributes()) {
                    switch (a) {
                        case PathAttribute.AsPath p -> {
                            for (Segment seg : p.segments()) {
                                if (seg.segmentType() == Segment.AS_SET) {
                                    f.add(Feature.AS_SET);
                                }
                                if (seg.segmentType() >= Segment.AS_CONFED_SEQUENCE) {
                                    f.add(Feature.CONFED_SEGMENT);
                                }
                            }
                            if (!o.fourOctetAs() && As4.needsFourOctets(p.segments())) {
                                f.add(Feature.FOUR_OCTET_AS_OVER_TWO_OCTETS);
                            }
                        }
                        case PathAttribute.LocalPref x -> f.add(Feature.LOCAL_PREF);
                        case PathAttribute.MpReachNlri x when x.afi() == Afi.IPV6 -> f.add(Feature.MP_REACH_IPV6);
                        case PathAttribute.MpUnreachNlri x -> f.add(Feature.MP_UNREACH);
                        case PathAttribute.Aggregator x
                        when !o.fourOctetAs() && x.asn() > 0xFFFF -> f.add(Feature.AGGREGATOR_4_OCTETS_OVER_TWO_OCTETS);
                        case PathAttribute.Unknown x -> f.add(Feature.UNKNOWN_ATTRIBUTE);
                        case PathAttribute.Communities x
                        when x.values().size() > 63 -> f.add(Feature.EXTENDED_LENGTH_ATTRIBUTE);
                        default -> {}
                    }
                }
            }
        }
        return f;
    }

    @Test
    void mutatedMessagesAlwaysDecodeToAValue() {
        Random rnd = new Random(42);
        RandomMessages gen = new RandomMessages(7);
        int iterations = 5_000;
        int failed = 0;
        for (int i = 0; i < iterations; i++) {
            RandomMessages.Sample s = gen.sample();
            byte[] wire = MessageEncoder.encode(s.message(), s.options());
            byte[] m = mutate(wire, rnd);
            DecodeResult r = MessageDecoder.decode(m, s.options());
            if (r instanceof DecodeResult.Failed f) {
                failed++;
                assertThat(f.error().reason()).as("iteration %d", i).doesNotContain("decoder failure");
            }
        }
        assertThat(failed).as("mutations should mostly be caught").isGreaterThan(iterations / 10);
    }

    private static byte[] mutate(byte[] in, Random rnd) {
        byte[] m = in.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> {
                int at = m.length > 19 ? 19 + rnd.nextInt(m.length - 19) : rnd.nextInt(m.length);
                m[at] ^= (byte) (1 << rnd.nextInt(8));
            }
            case 1 -> {
                int cut = 19 + rnd.nextInt(Math.max(1, m.length - 18));
                m = Arrays.copyOf(m, Math.min(cut, m.length));
                m[16] = (byte) (m.length >>> 8);
                m[17] = (byte) m.length;
            }
            case 2 -> {
                if (m.length > 21) {
                    int at = 19 + rnd.nextInt(m.length - 20);
                    m[at] = (byte) rnd.nextInt(256);
                    m[at + 1] = (byte) rnd.nextInt(256);
                }
            }
            default -> {
                for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                    m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                }
            }
        }
        return m;
    }
}
