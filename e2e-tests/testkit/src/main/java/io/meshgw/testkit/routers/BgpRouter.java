package io.meshgw.testkit.routers;

import io.meshgw.testkit.LogTail;
import io.meshgw.testkit.net.NetNs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A real BGP router process (BIRD, FRR, GoBGP or OpenBGPD) running inside a test namespace, configured from
 * a {@link RouterSpec}, and queried through its own CLI.
 */
public sealed interface BgpRouter extends AutoCloseable
        permits BirdRouter, FrrRouter, GobgpRouter, OpenbgpdRouter, MeshgwRouter {

    /** Starts a router of the given kind in {@code ns}; its files live under {@code workDir}. */
    static BgpRouter start(RouterKind kind, NetNs ns, RouterSpec spec, Path workDir) {
        return switch (kind) {
            case BIRD -> BirdRouter.start(ns, spec, workDir);
            case FRR -> FrrRouter.start(ns, spec, workDir);
            case GOBGP -> GobgpRouter.start(ns, spec, workDir);
            case OPENBGPD -> OpenbgpdRouter.start(ns, spec, workDir);
            case MESHGW -> MeshgwRouter.start(ns, spec, workDir);
        };
    }

    RouterKind kind();

    RouterSpec spec();

    /** True when the session with the neighbor at {@code address} is Established. */
    boolean established(String address);

    /** The IPv4 and IPv6 prefixes this router holds from its neighbors (not the ones it originates). */
    Set<String> receivedPrefixes();

    /**
     * True when the router holds {@code prefix} from a neighbor. Routers whose CLI can look one
     * prefix up answer faster than listing them all, which matters when a test times a
     * withdrawal.
     */
    default boolean holds(String prefix) {
        return receivedPrefixes().contains(prefix);
    }

    /** The router's own detailed text for one prefix (attributes), for checks that they arrived intact. */
    String routeDetails(String prefix);

    /** All IPv4 routes the router holds (learned and originated), read cheaply for large tables. */
    long routeCount();

    /** The process id of the BGP daemon, for CPU and memory figures. */
    long pid();

    /** The router's own log, for failure messages. */
    Path logFile();

    /**
     * The last lines of the router's own log, for failure messages: the log lives in a test's temporary directory,
     * which is gone by the time anyone reads a CI report.
     */
    default String logTail() {
        return LogTail.of(logFile(), 40);
    }

    @Override
    void close();

    /** Polls {@code condition} every 200 ms until true or the timeout passes. */
    static boolean await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
