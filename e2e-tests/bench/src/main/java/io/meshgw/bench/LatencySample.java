package io.meshgw.bench;

import java.util.Arrays;
import java.util.Locale;

/** Latencies of one benchmark phase, in nanoseconds, with the figures a row shows. */
final class LatencySample {

    private final long[] sendNanos;
    private final long[] latencyNanos;
    private int measured;
    private double clientCpuSeconds = Double.NaN;
    private double brokerCpuSeconds = Double.NaN;

    LatencySample(int capacity) {
        sendNanos = new long[capacity];
        latencyNanos = new long[capacity];
        Arrays.fill(latencyNanos, -1);
    }

    synchronized void sent(int seq, long nanos) {
        sendNanos[seq] = nanos;
    }

    /** Records the first arrival of {@code seq}; later ones (a re-read) are ignored. */
    synchronized void arrived(int seq, long nanos) {
        if (seq >= 0 && seq < latencyNanos.length && latencyNanos[seq] < 0 && sendNanos[seq] != 0) {
            latencyNanos[seq] = nanos - sendNanos[seq];
            measured++;
        }
    }

    /** CPU used during the phase by this JVM (publisher, reader, view) and by the broker process. */
    synchronized void cpu(double client, double broker) {
        clientCpuSeconds = client;
        brokerCpuSeconds = broker;
    }

    /**
     * Records {@code seq} and every earlier update of the same key ({@code seq - stride}, ...)
     * not seen yet: a reader never sees a value that was overwritten before it read it, so that
     * update took effect when its successor arrived. Counting it then keeps p99 honest.
     */
    synchronized void arrivedSuperseding(int seq, int stride, long nanos) {
        for (int s = seq; s > 0 && latencyNanos[s] < 0; s -= stride) {
            arrived(s, nanos);
        }
    }

    /** The updates of this sample sent from {@code fromNanos} (inclusive) to {@code toNanos} (exclusive). */
    synchronized LatencySample sentBetween(long fromNanos, long toNanos) {
        LatencySample w = new LatencySample(sendNanos.length);
        for (int seq = 0; seq < sendNanos.length; seq++) {
            long at = sendNanos[seq];
            if (at != 0 && at - fromNanos >= 0 && at - toNanos < 0) {
                w.sendNanos[seq] = at;
                w.latencyNanos[seq] = latencyNanos[seq];
                w.measured += latencyNanos[seq] >= 0 ? 1 : 0;
            }
        }
        return w;
    }

    /** Updates sent in this sample, measured or not. */
    synchronized int sentCount() {
        return (int) Arrays.stream(sendNanos).filter(x -> x != 0).count();
    }

    synchronized boolean has(int seq) {
        return latencyNanos[seq] >= 0;
    }

    synchronized int measured() {
        return measured;
    }

    synchronized String row(String path, int rate, int sent) {
        long[] l = Arrays.stream(latencyNanos).filter(x -> x >= 0).sorted().toArray();
        if (l.length == 0) {
            return String.format(Locale.ROOT, "%-34s %6d %7d %9d   (nothing arrived)", path, rate, sent, 0);
        }
        return String.format(
                Locale.ROOT,
                "%-34s %6d %7d %9d %8.1f %8.1f %8.1f %9.1f %9.1f",
                path,
                rate,
                sent,
                l.length,
                percentile(l, 0.50) / 1e6,
                percentile(l, 0.99) / 1e6,
                l[l.length - 1] / 1e6,
                clientCpuSeconds,
                brokerCpuSeconds);
    }

    static String header() {
        return String.format(
                Locale.ROOT,
                "%-34s %6s %7s %9s %8s %8s %8s %9s %9s",
                "path",
                "rate/s",
                "sent",
                "measured",
                "p50 ms",
                "p99 ms",
                "max ms",
                "jvm cpu-s",
                "kafka cpu-s");
    }

    private static long percentile(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
