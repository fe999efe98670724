package io.meshgw.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * Properties over seeded random messages: every valid message survives encode/decode unchanged,
 * and no mutation of a valid message makes the decoder throw or fail internally. A failure names
 * its seed, so it can be replayed.
 */
class CodecPropertiesTest {

    @RepeatedTest(500)
    void everyMessageRoundTrips(RepetitionInfo info) {
        long seed = info.getCurrentRepetition();
        BgpMessage m = new RandomMessages(seed).message();
        assertThat(MessageCodecTest.roundTrip(m, CodecOptions.MODERN))
                .as("seed %d", seed)
                .isEqualTo(m);
    }

    @Test
    void mutatedMessagesAlwaysDecodeToAValue() {
        Random rnd = new Random(42);
        RandomMessages gen = new RandomMessages(7);
        int iterations = 200_000;
        int failed = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] wire = MessageEncoder.encode(gen.message(), CodecOptions.MODERN);
            byte[] m = mutate(wire, rnd);
            CodecOptions o = rnd.nextBoolean() ? CodecOptions.MODERN : CodecOptions.INITIAL;
            DecodeResult r = MessageDecoder.decode(m, o);
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
                m = java.util.Arrays.copyOf(m, Math.min(cut, m.length));
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
