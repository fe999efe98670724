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

    /**
     * A topic is now read from its start: it matched the pattern for the first time, or a
     * {@link StateReader#rewind} was asked for. What follows replays the topic's whole log.
     */
    default void onTopicAdded(String topic) {}

    /**
     * The reader has listed the brokers' topics and assigned every one that matches (each new one
     * announced by {@link #onTopicAdded} first): from now on the sink knows every cluster that had
     * a topic at that moment. Until the first listing it knows none, which is not the same as there
     * being none. Called after every successful listing.
     */
    default void onTopicsListed() {}

    /**
     * The records of one poll have all been delivered: a sink that publishes derived state does
     * it here, once per batch rather than once per record.
     */
    default void onPollComplete() {}

    /**
     * Whether the reader holds a connection to the brokers, after each poll. While it does not,
     * the sink learns nothing about the source clusters, so their silence is not theirs.
     */
    default void onConnected(boolean connected) {}

    /**
     * The reader may not read {@code topic} (authorisation): it left the assignment and is tried again later, from its
     * start ({@link #onTopicAdded} then). What the sink holds of it is no longer kept current.
     */
    default void onTopicUnreadable(String topic, String reason) {}

    /**
     * The reader's consumer failed and a new one starts after a backoff, reading every topic from its start. Until
     * then nothing is read: the sink is blind, not the clusters silent.
     */
    default void onReaderDown(String reason) {}
}
