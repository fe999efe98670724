package io.meshgw.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;

/**
 * Where the time of one mesh propagation phase goes, per update: waiting for the publisher's
 * transaction that carries it to begin ({@code put->send}), that transaction ({@code send->commit}:
 * produce and commit), the committed record reaching the remote reader's {@code poll}
 * ({@code commit->poll}: markers and the read_committed fetch), and validation, decoding and the
 * snapshot reaching the listener ({@code poll->view}). An update overwritten before it was sent or
 * read is charged to the record that carried it (its successor), as {@link LatencySample} does.
 */
final class PropagationStages {

    private final long[] put;
    private final long[] send;
    private final long[] commit;
    private final long[] poll;
    private final long[] view;
    private final int[] carrier;
    private final List<long[]> transactions = new ArrayList<>();
    private final long gcCount;
    private final long gcMillis;
    private long gcCountDelta = -1;
    private long gcMillisDelta;

    PropagationStages(int capacity) {
        put = new long[capacity];
        send = new long[capacity];
        commit = new long[capacity];
        poll = new long[capacity];
        view = new long[capacity];
        carrier = new int[capacity];
        gcCount = gc(GarbageCollectorMXBean::getCollectionCount);
        gcMillis = gc(GarbageCollectorMXBean::getCollectionTime);
    }

    synchronized void put(int seq, long nanos) {
        put[seq] = nanos;
    }

    /** One transaction of the publisher: when it began and committed, and the updates it carried. */
    synchronized void transaction(long began, long committed, int records, int[] seqs) {
        transactions.add(new long[] {began, committed, records});
        for (int seq : seqs) {
            if (seq > 0 && seq < send.length) {
                send[seq] = began;
                commit[seq] = committed;
            }
        }
    }

    synchronized void polled(int seq, long nanos) {
        if (seq > 0 && seq < poll.length && poll[seq] == 0) {
            poll[seq] = nanos;
        }
    }

    /** The view's listener saw {@code seq}, and so every earlier update of its key not seen yet. */
    synchronized void viewed(int seq, int stride, long nanos) {
        for (int s = seq; s > 0 && s < view.length && view[s] == 0; s -= stride) {
            view[s] = nanos;
            carrier[s] = poll[s] != 0 ? s : seq;
        }
    }

    /** Ends the phase: garbage collections from here on are not counted. */
    synchronized void stop() {
        gcCountDelta = gc(GarbageCollectorMXBean::getCollectionCount) - gcCount;
        gcMillisDelta = gc(GarbageCollectorMXBean::getCollectionTime) - gcMillis;
    }

    synchronized List<String> rows() {
        List<String> rows = new ArrayList<>();
        rows.add(String.format(
                Locale.ROOT, "    %-30s %8s %8s %8s %8s", "stage", "p50 ms", "p90 ms", "p99 ms", "max ms"));
        IntPredicate complete = s -> put[s] != 0 && view[s] != 0 && send[carrier[s]] != 0 && poll[carrier[s]] != 0;
        rows.add(stage("put->send (waits for its txn)", complete, s -> send[carrier[s]] - put[s]));
        rows.add(stage("send->commit (the txn)", complete, s -> commit[carrier[s]] - send[carrier[s]]));
        rows.add(stage("commit->poll (remote reader)", complete, s -> poll[carrier[s]] - commit[carrier[s]]));
        rows.add(stage("poll->view (decode, snapshot)", complete, s -> view[s] - poll[carrier[s]]));
        long[] ends = transactions.stream().mapToLong(t -> t[1]).sorted().toArray();
        long[] waited = measured(complete, s -> commitsIn(ends, put[s], commit[carrier[s]]));
        double perTxn = transactions.stream().mapToLong(t -> t[2]).average().orElse(0);
        rows.add(String.format(
                Locale.ROOT,
                "    commits an update waits for (its own included): p50 %d, p90 %d, p99 %d;"
                        + " %d transactions of %.1f records on average",
                at(waited, 0.50),
                at(waited, 0.90),
                at(waited, 0.99),
                transactions.size(),
                perTxn));
        rows.add(String.format(
                Locale.ROOT,
                "    this JVM's garbage collections during the phase: %d, %d ms in all",
                gcCountDelta,
                gcMillisDelta));
        return rows;
    }

    private String stage(String name, IntPredicate complete, IntToLongFunction nanos) {
        long[] l = measured(complete, nanos);
        if (l.length == 0) {
            return String.format(Locale.ROOT, "    %-30s (nothing measured)", name);
        }
        return String.format(
                Locale.ROOT,
                "    %-30s %8.1f %8.1f %8.1f %8.1f",
                name,
                at(l, 0.50) / 1e6,
                at(l, 0.90) / 1e6,
                at(l, 0.99) / 1e6,
                l[l.length - 1] / 1e6);
    }

    private long[] measured(IntPredicate complete, IntToLongFunction value) {
        long[] out = new long[put.length];
        int n = 0;
        for (int s = 1; s < put.length; s++) {
            if (complete.test(s)) {
                out[n++] = value.applyAsLong(s);
            }
        }
        long[] l = Arrays.copyOf(out, n);
        Arrays.sort(l);
        return l;
    }

    /** Commits that ended after {@code from} and no later than {@code to}. */
    private static long commitsIn(long[] sortedEnds, long from, long to) {
        return upper(sortedEnds, to) - upper(sortedEnds, from);
    }

    /** How many of {@code sorted} are at most {@code x}. */
    private static int upper(long[] sorted, long x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static long at(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static long gc(java.util.function.ToLongFunction<GarbageCollectorMXBean> f) {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(f)
                .filter(x -> x > 0)
                .sum();
    }

    /**
     * The bench's sequence number in a slice value, read straight from the bytes of format
     * version 1 (the first endpoint's zone, {@code u<seq>}) without decoding the slice; -1 if the
     * value is not such a slice.
     */
    static int sequenceOf(byte[] v) {
        if (v == null || v.length < 4 || v[0] != 1 || v[1] != 2) {
            return -1;
        }
        int at = 4;
        for (int i = 0; i < 3; i++) { // namespace, service, slice
            at += 2 + u16(v, at);
        }
        int ports = v[at++] & 0xff;
        for (int i = 0; i < ports; i++) {
            at += 2 + u16(v, at) + 3;
        }
        if (u16(v, at) == 0) {
            return -1;
        }
        at += 2;
        int addresses = v[at++] & 0xff;
        for (int i = 0; i < addresses; i++) {
            at += v[at] == 4 ? 5 : 17;
        }
        at++; // conditions
        int len = u16(v, at);
        at += 2;
        if (len < 2 || v[at] != 'u') {
            return -1;
        }
        int seq = 0;
        for (int i = 1; i < len; i++) {
            seq = seq * 10 + (v[at + i] - '0');
        }
        return seq;
    }

    private static int u16(byte[] v, int at) {
        return ((v[at] & 0xff) << 8) | (v[at + 1] & 0xff);
    }
}
