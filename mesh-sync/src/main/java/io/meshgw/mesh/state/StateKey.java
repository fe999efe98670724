package io.meshgw.mesh.state;

/**
 * The key of a record in a cluster's state topic. Keys are stable interface (see
 * mesh-sync/DESIGN.md): their text is what compaction keeps one value per, so two different
 * objects must never format to the same text and every text parses back to the same key.
 */
public sealed interface StateKey permits ServiceKey, EndpointSliceKey, GatewayKey, MetaKey {

    /** The key as it is written to Kafka, e.g. {@code svc/default/web}. */
    String format();

    /** Whether a tombstone may delete this key; meta keys live as long as the topic. */
    default boolean deletable() {
        return true;
    }

    /** Parses a key, with the reason when it is not one. Never throws. */
    static ParsedKey parse(String text) {
        return KeyParser.parse(text);
    }

    /** Parses a key that is known to be valid (configuration, tests); throws with the reason if not. */
    static StateKey of(String text) {
        return switch (parse(text)) {
            case ParsedKey.Valid v -> v.key();
            case ParsedKey.Invalid i -> throw new IllegalArgumentException(i.reason());
        };
    }
}
