package io.meshgw.mesh.kafka;

/**
 * How many copies of a state topic the brokers keep, and how many of them must hold a transaction's records before
 * the publisher's {@code acks=all} write is acknowledged. With the production setting, three copies and two in sync,
 * any one broker may fail (or be restarted for an upgrade) without losing an acknowledged record and without
 * stopping the publisher.
 *
 * @param factor the topic's {@code replication.factor}: 3 in production, 1 against a single test broker
 * @param minInsyncReplicas the topic's {@code min.insync.replicas}: a write waits for this many copies, and is refused
 *     ({@code NotEnoughReplicas}, retried) while fewer are in sync; at most {@code factor}
 */
public record TopicReplication(short factor, int minInsyncReplicas) {

    public TopicReplication {
        if (factor < 1) {
            throw new IllegalArgumentException("replication factor " + factor + " is not positive");
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > factor) {
            throw new IllegalArgumentException("min.insync.replicas " + minInsyncReplicas
                    + " must be between 1 and the replication factor " + factor
                    + (minInsyncReplicas > factor ? ": no write could ever be acknowledged" : ""));
        }
    }

    /** {@code factor} copies, two of them in sync where there are two or more: the recommended setting. */
    public static TopicReplication of(int factor) {
        if (factor < 1 || factor > Short.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "replication factor " + factor + " is not between 1 and " + Short.MAX_VALUE);
        }
        return new TopicReplication((short) factor, Math.min(2, factor));
    }

    /** The production setting: three copies, two in sync. */
    public static TopicReplication production() {
        return of(3);
    }
}
