package io.meshgw.mesh.kafka;

/**
 * Receives what a {@link StateReader} reads, on the reader's thread, in topic order. The wire
 * layer validates and applies records; the transport only guarantees order and completeness.
 */
public interface RecordSink {

    /** A record of a source cluster's topic, in offset order per topic. */
    void onRecord(RawRecord record);

    /**
     * Everything committed in {@code topic} up to the moment it was assigned has been delivered:
     * the view of that cluster is now as complete as the log.
     */
    void onSynced(String topic);

    /** A topic matching the pattern appeared and is now read from its start. */
    default void onTopicAdded(String topic) {}
}
