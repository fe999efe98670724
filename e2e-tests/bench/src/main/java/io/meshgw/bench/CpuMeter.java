package io.meshgw.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;

/**
 * CPU seconds a phase costs this JVM and the broker. On a shared machine wall-clock tails move
 * with everyone else's load; CPU per phase moves far less, so both are reported.
 */
final class CpuMeter {

    private final long brokerPid;
    private final long jvmNanos;
    private final long brokerTicks;

    CpuMeter(long brokerPid) {
        this.brokerPid = brokerPid;
        this.jvmNanos = jvmCpuNanos();
        this.brokerTicks = ticks(brokerPid);
    }

    void stop(LatencySample sample) {
        sample.cpu((jvmCpuNanos() - jvmNanos) / 1e9, (ticks(brokerPid) - brokerTicks) / 100.0); // USER_HZ 100
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long ticks(long pid) {
        try {
            return BgpIngestBench.cpuTicks(pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
