package io.meshgw.bgp.speaker;

import io.meshgw.bgp.rib.LocRib;
import io.meshgw.bgp.transport.EpollTransport;
import io.meshgw.bgp.transport.TcpConnection;
import io.meshgw.bgp.transport.Transport;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BGP speaker: neighbors, the Loc-RIB and route propagation, all on the transport's one
 * thread so no state is shared between threads. The public methods may be called from any
 * thread; they run on that thread and wait for it. Changes are pushed to {@link
 * SpeakerListener}s; the query methods are for the CLI, the API and tests.
 */
public final class BgpSpeaker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BgpSpeaker.class);
    private static final long CALL_TIMEOUT_SECONDS = 30;

    private final SpeakerConfig config;
    private final Transport transport;
    private final LocRib<Prefix, RouteAttributes> rib = AdjRibIn.locRib();
    private final Neighbors neighbors = new Neighbors();
    private final Propagation propagation;
    private final PeerContext peerContext;
    private final EndOfRibGate endOfRib = new EndOfRibGate();
    private final RefusedConnections refused = new RefusedConnections(System::nanoTime);
    private int listenPort;

    private BgpSpeaker(SpeakerConfig config, Transport transport) {
        this.config = config;
        this.transport = transport;
        this.propagation = new Propagation(
                transport::execute, batch -> neighbors.all().forEach(p -> p.advertise(batch)), neighbors::nameOf);
        rib.observePaths(propagation::pathsChanged);
        this.peerContext = new PeerContext(config, transport, rib, propagation, neighbors::internal, endOfRib);
    }

    /** Starts the speaker on Netty's epoll transport and, unless the port is 0, listens for neighbors. */
    public static BgpSpeaker start(SpeakerConfig config) {
        return start(config, new EpollTransport());
    }

    /** Starts the speaker on {@code transport}, which it closes when it is closed. */
    static BgpSpeaker start(SpeakerConfig config, Transport transport) {
        BgpSpeaker s = new BgpSpeaker(config, transport);
        if (config.port() > 0) {
            try {
                s.listenPort = transport.listen(config.listenAddress(), config.port(), s::accepted);
            } catch (RuntimeException e) {
                transport.close();
                throw e;
            }
        }
        return s;
    }

    /** The port the speaker listens on, 0 when it does not listen. */
    public int listenPort() {
        return listenPort;
    }

    // ---- neighbors

    public void addPeer(PeerConfig pc) {
        call(() -> {
            neighbors.checkNew(pc);
            if (pc.md5Password().isPresent()) {
                // RFC 2385: the key must be on the listening socket before the neighbor connects
                transport.listenerMd5Key(pc.address(), pc.md5Password());
            }
            Peer p = new Peer(neighbors.allocateIndex(), pc, peerContext);
            neighbors.add(p);
            p.start();
            return null;
        });
    }

    public void removePeer(String name) {
        call(() -> {
            Peer p = neighbors.remove(name).orElseThrow(() -> new IllegalArgumentException("no peer named " + name));
            p.stop("peer de-configured");
            p.withdrawAll();
            if (p.config().md5Password().isPresent()) {
                transport.listenerMd5Key(p.config().address(), Optional.empty());
            }
            return null;
        });
    }

    /**
     * Applies a new configuration to the peer of its name, keeping the session where the change allows ({@link
     * PeerChange}): a changed import policy is applied to what the peer sent (from its pre-policy Adj-RIB-In, or by
     * ROUTE-REFRESH), a changed export policy sends the peer only the difference, a changed prefix limit is checked at
     * once. A change to what the connection or the OPEN exchange settled ends the session with a Cease (Other
     * Configuration Change) and starts a new one, whose status says why until something else goes wrong.
     *
     * @return what changed, and why the session was reset if it was
     */
    public PeerChange updatePeer(PeerConfig pc) {
        return call(() -> {
            Peer p = configured(pc.name());
            PeerChange change = PeerChange.between(p.config(), pc);
            change = p.liveObstacle(pc, change).map(change::resetFor).orElse(change);
            if (change.none()) {
                return change;
            }
            // Best-path changes still queued go out as the old configuration exports them, so the
            // difference sent below is taken against what the neighbor really has.
            propagation.flush();
            if (change.resetsSession()) {
                replace(p, pc, change.describe());
            } else {
                p.reconfigure(pc, change);
                LOG.info("peer {} reconfigured without a session reset: {}", pc.name(), change.describe());
            }
            return change;
        });
    }

    private void replace(Peer old, PeerConfig pc, String why) {
        neighbors.checkReplacement(pc);
        LOG.info("peer {}: session reset for a configuration change: {}", pc.name(), why);
        old.stopForReconfiguration();
        neighbors.remove(old.name());
        old.withdrawAll();
        if (old.config().md5Password().isPresent()) {
            transport.listenerMd5Key(old.config().address(), Optional.empty());
        }
        if (pc.md5Password().isPresent()) {
            transport.listenerMd5Key(pc.address(), pc.md5Password());
        }
        Peer p = new Peer(neighbors.allocateIndex(), pc, peerContext);
        p.noteStartedBecause("reset by a configuration change: " + why);
        neighbors.add(p);
        p.start();
    }

    private void accepted(TcpConnection tcp) {
        InetAddress remote = tcp.remoteAddress().getAddress();
        Optional<Peer> peer = neighbors.forRemote(remote);
        if (peer.isEmpty()) {
            tcp.abort(); // never read from: nothing it sends is buffered
            refused.refused(remote).ifPresent(LOG::warn);
            return;
        }
        peer.get().accept(tcp);
    }

    /** Connections from addresses that are not neighbors, reset unread, since the speaker started. */
    public long connectionsRefused() {
        return call(refused::refused);
    }

    /** Connections from addresses that are not neighbors: {refused, WARN lines logged}. */
    long[] refusedConnections() {
        return call(() -> new long[] {refused.refused(), refused.logged()});
    }

    /** ROUTE-REFRESH requests from {@code peer} and the table walks they cost. */
    AdjRibOut.RefreshCounts refreshCounts(String peer) {
        return call(() -> configured(peer).refreshCounts());
    }

    // ---- our routes

    /** Changed on the speaker's thread only; read from any. */
    private volatile long originations;

    /** Originates {@code prefix} with the given extra attributes (communities, MED, ...). */
    public void originate(Prefix prefix, List<PathAttribute> extra) {
        originate(Map.of(prefix, extra));
    }

    /**
     * Originates every prefix of {@code routes} with its extra attributes, in one turn of the speaker's loop: a
     * table of ten thousand routes costs one hand-over, not ten thousand.
     */
    public void originate(Map<Prefix, List<PathAttribute>> routes) {
        call(() -> {
            originations++;
            routes.forEach((prefix, extra) -> {
                List<PathAttribute> attrs = new ArrayList<>();
                attrs.add(new PathAttribute.Origin(0));
                attrs.add(new PathAttribute.AsPath(List.of()));
                attrs.addAll(extra);
                RouteAttributes ra = new RouteAttributes(attrs);
                rib.update(LocRib.LOCAL, prefix, ra, Ranking.rank(ra, 0, true, false, 0, new long[2]))
                        .ifPresent(propagation::bestPathChanged);
            });
            return null;
        });
    }

    public void withdraw(Prefix prefix) {
        withdraw(List.of(prefix));
    }

    /** Withdraws every prefix of {@code prefixes} this speaker originates, in one turn of its loop. */
    public void withdraw(Collection<Prefix> prefixes) {
        call(() -> {
            originations++;
            for (Prefix prefix : prefixes) {
                rib.withdraw(LocRib.LOCAL, prefix).ifPresent(propagation::bestPathChanged);
            }
            return null;
        });
    }

    // ---- events and queries

    /**
     * Registers {@code listener} for session and best-path changes from now on. It is called on
     * the speaker's thread after each batch of work and must hand off, never block.
     */
    public void subscribe(SpeakerListener listener) {
        call(() -> {
            propagation.subscribe(listener);
            return null;
        });
    }

    /**
     * Registers {@code listener} for the paths each prefix is forwarded over (multipath): its first call holds every
     * prefix the speaker has, the next ones what changed. Called on the speaker's thread; it must hand off.
     */
    public void subscribeMultipath(MultipathListener listener) {
        call(() -> {
            List<MultipathChange> all = new ArrayList<>();
            rib.forEachDestination(p -> all.add(multipath(p)));
            propagation.subscribe(listener, this::multipath, all);
            return null;
        });
    }

    private MultipathChange multipath(Prefix prefix) {
        List<BestRoute> paths = new ArrayList<>();
        for (var path : rib.multipath(prefix)) {
            if (path.peer() == LocRib.LOCAL) {
                return new MultipathChange(prefix, List.of());
            }
            paths.add(new BestRoute(prefix, neighbors.nameOf(path.peer()), path.attributes()));
        }
        return new MultipathChange(prefix, paths);
    }

    public List<PeerStatus> peers() {
        return call(() -> neighbors.all().stream().map(Peer::status).toList());
    }

    public Optional<PeerStatus> peer(String name) {
        return call(() -> neighbors.named(name).map(Peer::status));
    }

    /** The best path per prefix, for the CLI and for tests. */
    public Map<Prefix, RouteAttributes> bestRoutes() {
        return call(() -> {
            Map<Prefix, RouteAttributes> m = new LinkedHashMap<>();
            rib.forEachBest((p, path) -> m.put(p, path.attributes()));
            return m;
        });
    }

    /**
     * The best path per prefix with the name of the peer it came from ({@code local} for routes
     * this speaker originates).
     */
    public List<BestRoute> bestRoutesWithSource() {
        return call(() -> {
            List<BestRoute> out = new ArrayList<>();
            rib.forEachBest((p, path) -> out.add(new BestRoute(p, neighbors.nameOf(path.peer()), path.attributes())));
            return out;
        });
    }

    /**
     * The best paths {@code filter} selects, with the peer each came from, evaluated on the speaker's thread so only
     * the selected routes are copied; keep the filter quick.
     */
    public List<BestRoute> bestRoutesMatching(java.util.function.BiPredicate<Prefix, RouteAttributes> filter) {
        return call(() -> {
            List<BestRoute> out = new ArrayList<>();
            rib.forEachBest((p, path) -> {
                if (filter.test(p, path.attributes())) {
                    out.add(new BestRoute(p, neighbors.nameOf(path.peer()), path.attributes()));
                }
            });
            return out;
        });
    }

    /**
     * What {@code peer} sent, before import policy (its pre-policy Adj-RIB-In); empty unless the
     * peer is configured with {@link PeerConfig#keepPrePolicy()}.
     */
    public Map<Prefix, RouteAttributes> receivedRoutes(String peer) {
        return call(() -> configured(peer).receivedRoutes());
    }

    /** What {@code peer} sent and import policy accepted (its post-policy Adj-RIB-In). */
    public Map<Prefix, RouteAttributes> acceptedRoutes(String peer) {
        return call(() -> configured(peer).acceptedRoutes());
    }

    private Peer configured(String name) {
        return neighbors.named(name).orElseThrow(() -> new IllegalArgumentException("no peer named " + name));
    }

    /**
     * How many times what this speaker originates has been changed ({@link #originate}, {@link #withdraw}). A caller
     * that remembers what it originated, and the count its own change left, knows the speaker still holds exactly
     * that while the count stays, without reading every route back.
     */
    public long originations() {
        return originations;
    }

    /** The routes this speaker originates ({@link #originate}), with their attributes. */
    public Map<Prefix, RouteAttributes> originated() {
        return call(() -> {
            Map<Prefix, RouteAttributes> m = new LinkedHashMap<>();
            rib.forEachPath(LocRib.LOCAL, (prefix, path) -> m.put(prefix, path.attributes()));
            return m;
        });
    }

    /** The configuration of every peer, by name. */
    public Map<String, PeerConfig> peerConfigs() {
        return call(() -> {
            Map<String, PeerConfig> m = new LinkedHashMap<>();
            neighbors.all().forEach(p -> m.put(p.name(), p.config()));
            return m;
        });
    }

    public int routeCount() {
        return call(rib::destinations);
    }

    // ---- End-of-RIB after a restart

    /**
     * Sessions that come up send their table but hold End-of-RIB until {@link #routesComplete()}, or {@code atMost}
     * after this call, whichever comes first. For a process whose routes come from elsewhere (the gateway's control
     * plane): after a restart its sessions are up before the routes are originated again, and End-of-RIB then would
     * make a graceful-restart helper drop the routes it kept for us (RFC 4724 §4.1). Call before adding peers.
     */
    public void holdEndOfRib(Duration atMost) {
        call(() -> {
            endOfRib.hold();
            return null;
        });
        transport.schedule(
                () -> {
                    if (!endOfRib.open()) {
                        LOG.warn("routes not complete {} after start: End-of-RIB is sent anyway", atMost);
                        release();
                    }
                },
                atMost);
    }

    /** The speaker originates every route it should: sessions send the End-of-RIB they held back. Idempotent. */
    public void routesComplete() {
        transport.execute(this::release);
    }

    private void release() {
        if (endOfRib.release()) {
            // Queued, so UPDATEs of routes originated just before (a flush already queued) go out first.
            transport.execute(() -> neighbors.all().forEach(Peer::routesComplete));
        }
    }

    /**
     * Completes once the speaker's thread has run what was queued before it: proof that the thread
     * still turns, for a liveness probe that waits for it with a bound. Never waits itself.
     */
    public CompletableFuture<Void> turn() {
        CompletableFuture<Void> turned = new CompletableFuture<>();
        try {
            transport.execute(() -> turned.complete(null));
        } catch (RuntimeException e) {
            turned.completeExceptionally(e); // the thread no longer takes work
        }
        return turned;
    }

    // ---- shutdown

    @Override
    public void close() {
        shutdown(false);
    }

    /**
     * Shuts down for a restart: peers with graceful restart configured see the connection drop
     * without a NOTIFICATION and keep our routes until we return; the others get a Cease.
     */
    public void closeForRestart() {
        shutdown(true);
    }

    private void shutdown(boolean restarting) {
        try {
            call(() -> {
                for (Peer p : neighbors.all()) {
                    if (restarting) {
                        p.stopForRestart("speaker restarting");
                    } else {
                        p.stop("speaker shutting down");
                    }
                }
                return null;
            });
        } finally {
            transport.close();
        }
    }

    /** Runs {@code task} on the speaker's thread and waits for its result. */
    private <T> T call(Callable<T> task) {
        if (transport.inLoop()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        transport.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "the BGP speaker's event loop did not answer within " + CALL_TIMEOUT_SECONDS + " s", e);
        }
    }
}
