package io.meshgw.operator.plan;

import java.util.Comparator;

/** An RFC 8092 large community: {@code global:local1:local2}, each an unsigned 32-bit number. */
public record LargeCommunity(long global, long local1, long local2) implements Comparable<LargeCommunity> {

    private static final Comparator<LargeCommunity> ORDER = Comparator.comparingLong(LargeCommunity::global)
            .thenComparingLong(LargeCommunity::local1)
            .thenComparingLong(LargeCommunity::local2);

    public LargeCommunity {
        for (long part : new long[] {global, local1, local2}) {
            if (part < 0 || part > 0xffff_ffffL) {
                throw new IllegalArgumentException("a large community part is 0..4294967295, not " + part);
            }
        }
    }

    /**
     * Parses {@code global:local1:local2}.
     *
     * @throws IllegalArgumentException naming the text
     */
    public static LargeCommunity parse(String text) {
        String[] parts = text == null ? new String[0] : text.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("large community '" + text + "' is not <global>:<local1>:<local2>");
        }
        long[] v = new long[3];
        for (int i = 0; i < 3; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 10 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("large community '" + text + "' is not <global>:<local1>:<local2>");
            }
            v[i] = Long.parseLong(p);
            if (v[i] > 0xffff_ffffL) {
                throw new IllegalArgumentException("large community '" + text + "' has a part above 4294967295");
            }
        }
        return new LargeCommunity(v[0], v[1], v[2]);
    }

    @Override
    public int compareTo(LargeCommunity other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return global + ":" + local1 + ":" + local2;
    }
}
