package io.meshgw.mesh.state;

/**
 * The publisher of {@code epoch} has written its whole start-up snapshot; {@code lastSeq} is the
 * sequence number of the snapshot's last record before this marker (0 when nothing had changed).
 * Readers sweep what the snapshot did not confirm when they see it.
 */
public record SyncedMarker(long epoch, long lastSeq) implements StateValue {

    public SyncedMarker {
        if (epoch < 1 || lastSeq < 0) {
            throw new IllegalArgumentException(
                    "synced marker needs epoch >= 1 and lastSeq >= 0, not " + epoch + "/" + lastSeq);
        }
    }

    @Override
    public MetaKey key() {
        return MetaKey.SYNCED;
    }
}
