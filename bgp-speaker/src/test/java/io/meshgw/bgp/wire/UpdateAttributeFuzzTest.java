package io.meshgw.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A fuzz aimed at UPDATE path attributes: valid UPDATEs with one attribute's length, flags,
 * type code or value changed (or an attribute repeated or left out), the rest of the message
 * kept consistent so that the attribute code, not the framing, meets the change.
 *
 * <p>The oracle: whatever the decoder makes of it must be a value (never an internal failure), and
 * every message it accepts must encode to bytes that decode to the same value and encode again to
 * the same bytes. A decoder that keeps something it cannot represent faithfully, or drops part of
 * an attribute silently, fails here.
 */
class UpdateAttributeFuzzTest {

    /** flags, type, value of one attribute as it was on the wire. */
    record Attr(int flags, int type, byte[] value) {}

    enum Outcome {
        ACCEPTED,
        TREAT_AS_WITHDRAW,
        ATTRIBUTE_DISCARD,
        SESSION_RESET
    }

    private static final int CASES = 4_000;

    @Test
    void everyAcceptedMutationReencodesToTheSameValue() {
        Random rnd = new Random(7606);
        RandomMessages gen = new RandomMessages(4271);
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        int done = 0;
        while (done < CASES) {
            RandomMessages.Sample s = gen.sample();
            if (!(s.message() instanceof Update u) || u.attributes().isEmpty()) {
                continue;
            }
            CodecOptions o = s.options();
            byte[] wire = MessageEncoder.encode(u, o);
            if (wire.length > 4096) {
                continue; // the attributes of large messages are no different; their NLRI only cost time
            }
            List<Attr> attrs = attributes(wire);
            String change = mutate(attrs, rnd);
            byte[] mutated = rebuild(wire, attrs, o);
            if (mutated == null) {
                continue; // grew past the session's maximum
            }
            done++;
            int n = done;
            Supplier<String> what = () -> "case " + n + " (" + change + ") on " + o + ": " + u;
            DecodeResult r = MessageDecoder.decode(mutated, o);
            Outcome outcome = outcomeOf(r);
            outcomes.merge(outcome, 1, Integer::sum);
            if (r instanceof DecodeResult.Failed f) {
                assertThat(f.error().reason()).as(what).doesNotContain("decoder failure");
                continue;
            }
            BgpMessage first = ((DecodeResult.Ok) r).message();
            byte[] again = MessageEncoder.encode(first, o);
            DecodeResult second = MessageDecoder.decode(again, o);
            assertThat(second).as(what).isInstanceOf(DecodeResult.Ok.class);
            var ok = (DecodeResult.Ok) second;
            assertThat(ok.message())
                    .as(() -> "decode(encode(decoded)) for " + what.get())
                    .isEqualTo(first);
            assertThat(ok.repairs())
                    .as(() -> "only a missing mandatory attribute may be reported again: " + what.get())
                    .allSatisfy(e -> assertThat(e.subcode()).isEqualTo(UpdateDecoder.MISSING_WELL_KNOWN));
            assertThat(MessageEncoder.encode(ok.message(), o))
                    .as(() -> "the encoder's output is canonical: " + what.get())
                    .isEqualTo(again);
        }
        // The fuzz must keep reaching every kind of handling, or it has stopped aiming.
        for (Outcome each : Outcome.values()) {
            assertThat(outcomes.getOrDefault(each, 0))
                    .as("%s in %s", each, outcomes)
                    .isGreaterThan(CASES / 50);
        }
    }

    private static Outcome outcomeOf(DecodeResult r) {
        return switch (r) {
            case DecodeResult.Failed f -> Outcome.SESSION_RESET;
            case DecodeResult.Ok ok when ok.treatAsWithdraw() -> Outcome.TREAT_AS_WITHDRAW;
            case DecodeResult.Ok ok when !ok.repairs().isEmpty() -> Outcome.ATTRIBUTE_DISCARD;
            case DecodeResult.Ok ok -> Outcome.ACCEPTED;
        };
    }

    /** Changes one thing about the attribute list; says what, for the failure message. */
    private static String mutate(List<Attr> attrs, Random rnd) {
        int i = rnd.nextInt(attrs.size());
        Attr a = attrs.get(i);
        byte[] v = a.value();
        switch (rnd.nextInt(8)) {
            case 0 -> { // a value one to three octets shorter
                int cut = Math.min(v.length, 1 + rnd.nextInt(3));
                attrs.set(i, new Attr(a.flags(), a.type(), java.util.Arrays.copyOf(v, v.length - cut)));
                return "type " + a.type() + " shortened by " + cut;
            }
            case 1 -> { // a value one to five octets longer
                byte[] longer = java.util.Arrays.copyOf(v, v.length + 1 + rnd.nextInt(5));
                for (int k = v.length; k < longer.length; k++) {
                    longer[k] = (byte) rnd.nextInt(256);
                }
                attrs.set(i, new Attr(a.flags(), a.type(), longer));
                return "type " + a.type() + " lengthened to " + longer.length;
            }
            case 2 -> { // one of the Optional, Transitive, Partial, Extended Length bits flipped
                int bit = 0x10 << rnd.nextInt(4);
                attrs.set(i, new Attr(a.flags() ^ bit, a.type(), v));
                return "type " + a.type() + " flag 0x" + Integer.toHexString(bit) + " flipped";
            }
            case 3 -> { // another type code, known or not
                int[] types = {1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18, 32, 9, 10, 99, 255};
                int t = types[rnd.nextInt(types.length)];
                attrs.set(i, new Attr(a.flags(), t, v));
                return "type " + a.type() + " became " + t;
            }
            case 4 -> { // bits of the value changed
                if (v.length == 0) {
                    return "nothing (empty value)";
                }
                byte[] w = v.clone();
                int at = rnd.nextInt(w.length);
                w[at] ^= (byte) (1 + rnd.nextInt(255));
                attrs.set(i, new Attr(a.flags(), a.type(), w));
                return "type " + a.type() + " octet " + at + " changed";
            }
            case 5 -> {
                attrs.add(rnd.nextInt(attrs.size() + 1), a);
                return "type " + a.type() + " repeated";
            }
            case 6 -> {
                attrs.remove(i);
                return "type " + a.type() + " left out";
            }
            default -> { // a length octet of the value set to something else (AS_PATH segment, MP next hop)
                if (v.length < 2) {
                    return "nothing (short value)";
                }
                byte[] w = v.clone();
                int at = a.type() == PathAttribute.MP_REACH_NLRI && w.length > 3 ? 3 : 1;
                w[at] = (byte) rnd.nextInt(256);
                attrs.set(i, new Attr(a.flags(), a.type(), w));
                return "type " + a.type() + " inner length at " + at + " set to " + (w[at] & 0xFF);
            }
        }
    }

    /** The path attributes of an encoded UPDATE. */
    static List<Attr> attributes(byte[] wire) {
        WireReader r = new WireReader(wire, MessageDecoder.HEADER_LENGTH, wire.length - MessageDecoder.HEADER_LENGTH);
        r.skip(r.u16());
        WireReader a = r.slice(r.u16());
        List<Attr> out = new ArrayList<>();
        while (a.remaining() > 0) {
            int flags = a.u8();
            int type = a.u8();
            int len = (flags & PathAttribute.EXTENDED_LENGTH) != 0 ? a.u16() : a.u8();
            out.add(new Attr(flags & ~PathAttribute.EXTENDED_LENGTH, type, a.bytes(len)));
        }
        return out;
    }

    /** The UPDATE {@code wire} with {@code attrs} as its path attributes, or null if too long. */
    static byte[] rebuild(byte[] wire, List<Attr> attrs, CodecOptions o) {
        WireReader r = new WireReader(wire, MessageDecoder.HEADER_LENGTH, wire.length - MessageDecoder.HEADER_LENGTH);
        byte[] withdrawn = r.bytes(r.u16());
        r.skip(r.u16());
        byte[] nlri = r.bytes(r.remaining());
        var a = new ByteArrayOutputStream();
        for (Attr x : attrs) {
            boolean ext = x.value().length > 255 || (x.flags() & PathAttribute.EXTENDED_LENGTH) != 0;
            a.write(ext ? x.flags() | PathAttribute.EXTENDED_LENGTH : x.flags());
            a.write(x.type());
            if (ext) {
                a.write(x.value().length >> 8);
            }
            a.write(x.value().length);
            a.writeBytes(x.value());
        }
        byte[] m = WireBytes.message(withdrawn, a.toByteArray(), nlri);
        return m.length > o.maxMessageLength() ? null : m;
    }
}
