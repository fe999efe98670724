package io.meshgw.bgp.speaker;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Says which connections from addresses that are not neighbors get a WARN line: one per source
 * per {@link #WINDOW} and at most {@link #LINES_PER_WINDOW} in all, so a scan or a flood of
 * connections costs a few lines a minute, not one each. A line tells how many were not logged
 * since the line before. What it keeps is bounded by the lines per window.
 */
final class RefusedConnections {

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int LINES_PER_WINDOW = 10;

    private final LongSupplier nanoTime;
    private final Set<InetAddress> loggedInWindow = new HashSet<>();
    private long windowStart;
    private long refused;
    private long logged;
    private long unloggedSinceLastLine;

    RefusedConnections(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
    }

    /** Counts a refused connection from {@code source}; returns the line to log, if one is due. */
    Optional<String> refused(InetAddress source) {
        refused++;
        long now = nanoTime.getAsLong();
        if (now - windowStart >= WINDOW.toNanos()) {
            windowStart = now;
            loggedInWindow.clear();
        }
        if (loggedInWindow.size() >= LINES_PER_WINDOW || !loggedInWindow.add(source)) {
            unloggedSinceLastLine++;
            return Optional.empty();
        }
        String line = "closed BGP connection from " + source.getHostAddress() + ": not a configured neighbor";
        if (unloggedSinceLastLine > 0) {
            line += " (" + unloggedSinceLastLine + " more such connections closed since the last line, not logged)";
        }
        unloggedSinceLastLine = 0;
        logged++;
        return Optional.of(line);
    }

    /** Connections refused since the speaker started. */
    long refused() {
        return refused;
    }

    /** Lines logged for them. */
    long logged() {
        return logged;
    }
}
