package io.meshgw.bpf.datapath;

/** What one {@link Datapath#apply} wrote. */
public record ApplyResult(int upserts, int removals, long nanos) {
    public boolean changed() {
        return upserts + removals > 0;
    }
}
