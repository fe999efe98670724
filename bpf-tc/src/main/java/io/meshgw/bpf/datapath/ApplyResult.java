package io.meshgw.bpf.datapath;

/**
 * What one {@link Datapath#apply} wrote and how long it took.
 *
 * @param computeNanos computing the map image and its difference to the maps
 * @param writeNanos the map writes themselves
 * @param ambiguousReplies backend tuples (address, port, protocol) that two or more (VIP, port) pairs name once
 *     the table is applied: left out of reply adoption ({@code mgw_rev_v1}, {@code mgw_rev6_v1}), so their replies are translated only by
 *     the gateway whose conntrack holds the flow
 */
public record ApplyResult(int upserts, int removals, long computeNanos, long writeNanos, int ambiguousReplies) {
    public boolean changed() {
        return upserts + removals > 0;
    }

    public long nanos() {
        return computeNanos + writeNanos;
    }
}
