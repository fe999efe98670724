package io.meshgw.gateway.bgp;

import io.meshgw.bgp.speaker.BestRoute;
import io.meshgw.bgp.speaker.BgpSpeaker;
import io.meshgw.bgp.speaker.MultipathChange;
import io.meshgw.bpf.fib.RouteFailure;
import io.meshgw.bpf.fib.RouteInstaller;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpFamily;
import io.meshgw.types.IpPrefix;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The speaker's learned routes in the kernel: the speaker pushes the paths each prefix is forwarded over
 * ({@link BgpSpeaker#subscribeMultipath}), this hands them to its own thread, which merges what queued up meanwhile
 * (the last paths of each prefix) and has the {@link RouteInstaller} write the difference. The routes a previous run
 * left are kept for {@code restartGrace}, then the ones no session gave again are removed. Every {@code
 * repairInterval} the thread also compares the table with what it installed and puts back what the kernel lost
 * meanwhile ({@link RouteInstaller#repair}): a link that goes down and comes back takes its routes along silently,
 * and nothing in BGP changes to bring them back.
 */
public final class LearnedRoutes implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LearnedRoutes.class);

    private final RouteInstaller installer;
    private final Consumer<RouteFailure> failures;
    private final LinkedBlockingQueue<List<MultipathChange>> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final long sweepAtNanos;
    private final long repairEveryNanos;
    private volatile boolean stopping;

    private LearnedRoutes(
            RouteInstaller installer, Duration restartGrace, Duration repairInterval, Consumer<RouteFailure> failures) {
        if (repairInterval.isNegative() || repairInterval.isZero()) {
            throw new IllegalArgumentException(
                    "meshgw.kernel-routes.repair-interval must be positive, was " + repairInterval);
        }
        this.installer = installer;
        this.failures = failures;
        this.sweepAtNanos = System.nanoTime() + restartGrace.toNanos();
        this.repairEveryNanos = repairInterval.toNanos();
        this.worker = Thread.ofPlatform().name("meshgw-kernel-routes").daemon().unstarted(this::run);
    }

    /**
     * Starts installing what {@code speaker} learns through {@code installer} (which adopted the previous run's
     * routes).
     *
     * @param repairInterval how often the table is compared with what was installed, and what it lost put back
     * @param failures told of each change the kernel refused (already logged), on the installer's thread
     */
    public static LearnedRoutes start(
            BgpSpeaker speaker,
            RouteInstaller installer,
            Duration restartGrace,
            Duration repairInterval,
            Consumer<RouteFailure> failures) {
        LearnedRoutes r = new LearnedRoutes(installer, restartGrace, repairInterval, failures);
        r.worker.start();
        speaker.subscribeMultipath(r.queue::add);
        return r;
    }

    /**
     * The gateways of each prefix of {@code changes}, best first; empty where none is usable. A next hop of the
     * prefix's family is usable, and so is a global IPv6 next hop of an IPv4 prefix (RFC 8950): the kernel finds its
     * link through the IPv6 table. An IPv6 link-local next hop alone is not, for either family, as the kernel would
     * need the session's link (the sessions run between routable addresses); nor is an unspecified, loopback or
     * multicast one, which no router forwards for (RFC 4271 §6.3: such a route is ignored, the session stays). An
     * IPv4 link-local next hop is usable: it is on a link the gateway has an address of (169.254.0.0/16 is what
     * cloud interconnects peer over).
     */
    static Map<IpPrefix, List<IpAddress>> wanted(List<List<MultipathChange>> batches) {
        Map<IpPrefix, List<IpAddress>> wanted = new LinkedHashMap<>();
        for (List<MultipathChange> batch : batches) {
            for (MultipathChange c : batch) {
                IpPrefix prefix = SpeakerRoutes.prefix(c.prefix());
                List<IpAddress> gateways = new ArrayList<>();
                for (BestRoute path : c.paths()) {
                    Optional<IpAddress> hop =
                            SpeakerRoutes.nextHop(path.attributes()).filter(h -> usable(h, prefix));
                    hop.filter(h -> !gateways.contains(h)).ifPresent(gateways::add);
                }
                wanted.put(prefix, gateways);
            }
        }
        return wanted;
    }

    private static boolean usable(IpAddress hop, IpPrefix prefix) {
        InetAddress a = hop.toInetAddress();
        boolean ipv6LinkLocal = hop.family() == IpFamily.IPV6 && a.isLinkLocalAddress();
        if (ipv6LinkLocal || a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isMulticastAddress()) {
            return false;
        }
        return hop.family() == prefix.family() || prefix.family() == IpFamily.IPV4;
    }

    private void run() {
        boolean swept = false;
        long repairAt = System.nanoTime() + repairEveryNanos;
        while (!stopping) {
            try {
                long next = swept ? repairAt : (sweepAtNanos - repairAt < 0 ? sweepAtNanos : repairAt);
                List<MultipathChange> first = queue.poll(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (first != null) {
                    List<List<MultipathChange>> batches = new ArrayList<>();
                    batches.add(first);
                    queue.drainTo(batches);
                    installer.apply(wanted(batches)).forEach(failures);
                }
                if (!swept && System.nanoTime() - sweepAtNanos >= 0) {
                    installer.sweepStale().forEach(failures);
                    swept = true;
                }
                if (System.nanoTime() - repairAt >= 0) {
                    repairAt = System.nanoTime() + repairEveryNanos;
                    installer.repair().forEach(failures);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A broken socket: the next change tries again; the speaker keeps its routes meanwhile.
                LOG.warnf("installing learned routes failed: %s", e.toString());
            }
        }
    }

    /** Routes installed now. */
    public long installed() {
        return installer.installed();
    }

    /** Route changes the kernel accepted since the start. */
    public long changesApplied() {
        return installer.changesApplied();
    }

    /** Routes the kernel lost and the repair put back since the start. */
    public long repaired() {
        return installer.repaired();
    }

    /**
     * Stops installing. The routes stay unless {@code keepRoutes} is false: then they are removed, so nothing the
     * gateway learned keeps steering traffic once it is gone.
     */
    public void close(boolean keepRoutes) {
        stopping = true;
        worker.interrupt();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (!keepRoutes) {
                installer.removeAll().forEach(failures);
            }
        } finally {
            installer.close();
        }
    }

    @Override
    public void close() {
        close(true);
    }
}
