package io.meshgw.bpf.datapath;

/**
 * What one {@link Datapath#apply} wrote and how long it took.
 *
 * @param computeNanos computing the map image and its difference to the maps
 * @param writeNanos the map writes themselves
 */
public record ApplyResult(int upserts, int removals, long computeNanos, long writeNanos) {
    public boolean changed() {
        return upserts + removals > 0;
    }

    public long nanos() {
        return computeNanos + writeNanos;
    }
}
