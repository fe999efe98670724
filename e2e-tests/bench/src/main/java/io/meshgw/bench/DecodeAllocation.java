package io.meshgw.bench;

import io.meshgw.mesh.kafka.RawRecord;
import io.meshgw.mesh.view.MeshView;
import io.meshgw.mesh.view.ViewOptions;
import io.meshgw.mesh.wire.RecordHeaders;
import io.meshgw.mesh.wire.StateTopics;
import io.meshgw.mesh.wire.ValueCodec;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * What a view allocates and spends to take one slice record of {@link MeshSyncBench#ENDPOINTS_PER_SLICE} endpoints
 * (validate, decode, screen the addresses, apply), on this thread, without a broker: the garbage the view makes per
 * update, which sets how often young collections pause it.
 */
final class DecodeAllocation {

    private static final int WARM_UP = 50_000;
    private static final int ROUNDS = 20_000;

    private DecodeAllocation() {}

    static String run() {
        StateTopics topics = new StateTopics("bench-decode.");
        MeshView view = new MeshView(
                new ViewOptions(topics, 1, Duration.ofSeconds(30), Duration.ofHours(1), Clock.systemUTC()));
        byte[] value = ValueCodec.encode(2, MeshSyncBench.slice(2, 7, 1));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long seq = 1;
        for (int i = 0; i < WARM_UP; i++, seq++) { // the JIT first
            view.onRecord(record(topics, seq, value));
        }
        long bytes = Long.MAX_VALUE;
        long nanos = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) { // the best of three: the machine is shared
            long allocated = threads.getThreadAllocatedBytes(tid);
            long start = System.nanoTime();
            for (int i = 0; i < ROUNDS; i++, seq++) {
                view.onRecord(record(topics, seq, value));
            }
            nanos = Math.min(nanos, System.nanoTime() - start);
            bytes = Math.min(bytes, threads.getThreadAllocatedBytes(tid) - allocated);
        }
        if (view.metrics(Map.of()).applied() != seq - 1) {
            throw new IllegalStateException("the view did not apply every bench record: " + view.metrics(Map.of()));
        }
        return String.format(
                Locale.ROOT,
                "view takes one slice record of %d endpoints (%d bytes): %.1f KiB allocated, %.1f us",
                MeshSyncBench.ENDPOINTS_PER_SLICE,
                value.length,
                bytes / (double) ROUNDS / 1024,
                nanos / (double) ROUNDS / 1e3);
    }

    /** A record as the transport hands it over (header map and all), one sequence number newer each time. */
    private static RawRecord record(StateTopics topics, long seq, byte[] value) {
        return new RawRecord(
                topics.topicOf(2),
                seq,
                "eps/bench/web/web-7",
                RecordHeaders.v1(2, 1, seq).toKafka(),
                value);
    }
}
