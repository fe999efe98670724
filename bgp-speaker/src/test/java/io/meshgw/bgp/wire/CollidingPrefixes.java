package io.meshgw.bgp.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Distinct IPv6 /128s that all have one {@link Prefix#hashCode}: what a neighbor who knows the (fixed, invertible)
 * hash can announce to pile every route into one bucket of a RIB's hash table. The first three 32-bit words are chosen
 * freely; the last is solved for so the hash state after it is a chosen constant.
 */
public final class CollidingPrefixes {

    private static final int MIX = 0x85EBCA6B;
    private static final int MIX_INVERSE = inverse(MIX);
    private static final int TARGET = 0x5EED1234;

    private CollidingPrefixes() {}

    /** {@code n} prefixes under 2001:db8::/32 sharing one hash code. */
    public static List<Prefix> of(int n) {
        List<Prefix> out = new ArrayList<>(n);
        int state0 = 128 * 0x9E3779B1 + Afi.IPV6.ordinal();
        int w0 = 0x20010DB8;
        for (int i = 0; i < n; i++) {
            int w1 = i >>> 16;
            int w2 = i * 0x9E3779B9;
            int h = step(step(step(state0, w0), w1), w2);
            // step(h, w3) == TARGET  <=>  (h ^ w3) * MIX == unshift(TARGET)
            int w3 = h ^ (unshift(TARGET) * MIX_INVERSE);
            byte[] a = new byte[16];
            put(a, 0, w0);
            put(a, 4, w1);
            put(a, 8, w2);
            put(a, 12, w3);
            out.add(new Prefix(Afi.IPV6, a, 128));
        }
        return out;
    }

    /** One word of {@link Prefix#hashCode}'s loop. */
    private static int step(int h, int word) {
        h = (h ^ word) * MIX;
        return h ^ (h >>> 13);
    }

    /** The inverse of {@code x ^ (x >>> 13)}. */
    private static int unshift(int y) {
        return y ^ (y >>> 13) ^ (y >>> 26);
    }

    /** The multiplicative inverse of an odd number modulo 2^32 (Newton's iteration). */
    private static int inverse(int odd) {
        int x = odd;
        for (int i = 0; i < 5; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }

    private static void put(byte[] a, int at, int word) {
        a[at] = (byte) (word >>> 24);
        a[at + 1] = (byte) (word >>> 16);
        a[at + 2] = (byte) (word >>> 8);
        a[at + 3] = (byte) word;
    }
}
