package io.meshgw.bgp.speaker;

import io.meshgw.bgp.policy.PolicyRoute;
import io.meshgw.bgp.rib.BestPathChange;
import io.meshgw.bgp.rib.LocRib;
import io.meshgw.bgp.rib.Path;
import io.meshgw.bgp.transport.LinuxSocketOptions;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.Capability;
import io.meshgw.bgp.wire.Open;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.Update;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BGP speaker: neighbors, the Loc-RIB and route propagation, all on one event-loop thread so
 * no state is shared between threads. The public methods may be called from any thread; they
 * run on the loop and wait for it.
 */
public final class BgpSpeaker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BgpSpeaker.class);

    private final SpeakerConfig config;
    private final EpollEventLoopGroup group = new EpollEventLoopGroup(1);
    private final EventLoop loop = group.next();
    private final LocRib<Prefix, RouteAttributes> rib = new LocRib<>();
    private final Map<String, Peer> peers = new LinkedHashMap<>();
    private final Map<Integer, Peer> peersByIndex = new java.util.HashMap<>();
    private final Map<Prefix, AdjRibOut.Change> pendingChanges = new LinkedHashMap<>();
    private boolean flushScheduled;
    private final List<Consumer<BestPathChange<Prefix, RouteAttributes>>> listeners = new CopyOnWriteArrayList<>();
    private EpollServerSocketChannel server;
    private int nextIndex = 1;

    private BgpSpeaker(SpeakerConfig config) {
        this.config = config;
    }

    /** Starts the speaker and, unless the port is 0, listens for neighbors. */
    public static BgpSpeaker start(SpeakerConfig config) {
        BgpSpeaker s = new BgpSpeaker(config);
        if (config.port() > 0) {
            try {
                s.server = (EpollServerSocketChannel) new ServerBootstrap()
                        .group(s.group)
                        .channel(EpollServerSocketChannel.class)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childHandler(new ChannelInitializer<EpollSocketChannel>() {
                            @Override
                            protected void initChannel(EpollSocketChannel ch) {
                                s.accepted(ch);
                            }
                        })
                        .bind(new InetSocketAddress(config.listenAddress(), config.port()))
                        .sync()
                        .channel();
            } catch (Exception e) {
                s.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw new IllegalStateException(
                        "cannot listen for BGP on "
                                + (config.listenAddress() == null
                                        ? "*"
                                        : config.listenAddress().getHostAddress()) + ":"
                                + config.port() + ": " + e.getMessage(),
                        e);
            }
        }
        return s;
    }

    SpeakerConfig config() {
        return config;
    }

    EventLoop loop() {
        return loop;
    }

    LocRib<Prefix, RouteAttributes> rib() {
        return rib;
    }

    /** The port the speaker listens on, 0 when it does not listen. */
    public int listenPort() {
        return server == null ? 0 : server.localAddress().getPort();
    }

    // ---- public API

    public void addPeer(PeerConfig pc) {
        call(() -> {
            if (peers.containsKey(pc.name())) {
                throw new IllegalArgumentException("a peer named " + pc.name() + " exists already");
            }
            for (Peer p : peers.values()) {
                if (p.config.address().equals(pc.address())) {
                    throw new IllegalArgumentException("peer " + p.config.name() + " already uses "
                            + pc.address().getHostAddress());
                }
            }
            if (server != null && pc.md5Password().isPresent()) {
                LinuxSocketOptions.setMd5Key(server.fd().intValue(), pc.address(), md5Key(pc));
            }
            Peer p = new Peer(nextIndex++, pc, this);
            peers.put(pc.name(), p);
            peersByIndex.put(p.index, p);
            p.start();
            return null;
        });
    }

    public void removePeer(String name) {
        call(() -> {
            Peer p = peers.remove(name);
            if (p == null) {
                throw new IllegalArgumentException("no peer named " + name);
            }
            peersByIndex.remove(p.index);
            p.stop("peer de-configured");
            dropRoutesOf(p);
            if (server != null && p.config.md5Password().isPresent()) {
                LinuxSocketOptions.setMd5Key(server.fd().intValue(), p.config.address(), new byte[0]);
            }
            return null;
        });
    }

    /** Originates {@code prefix} with the given extra attributes (communities, MED, ...). */
    public void originate(Prefix prefix, List<PathAttribute> extra) {
        call(() -> {
            List<PathAttribute> attrs = new ArrayList<>();
            attrs.add(new PathAttribute.Origin(0));
            attrs.add(new PathAttribute.AsPath(List.of()));
            attrs.addAll(extra);
            RouteAttributes ra = new RouteAttributes(attrs);
            rib.update(LocRib.LOCAL, prefix, ra, Ranking.rank(ra, 0, true, false, 0, new long[2]))
                    .ifPresent(this::propagate);
            return null;
        });
    }

    public void withdraw(Prefix prefix) {
        call(() -> {
            rib.withdraw(LocRib.LOCAL, prefix).ifPresent(this::propagate);
            return null;
        });
    }

    /** Best-path changes, delivered on the speaker's thread: keep the listener quick. */
    public void subscribe(Consumer<BestPathChange<Prefix, RouteAttributes>> listener) {
        listeners.add(listener);
    }

    public List<PeerStatus> peers() {
        return call(() -> peers.values().stream().map(Peer::status).toList());
    }

    public Optional<PeerStatus> peer(String name) {
        return call(() -> Optional.ofNullable(peers.get(name)).map(Peer::status));
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
            Map<Integer, String> names = new java.util.HashMap<>();
            peers.values().forEach(p -> names.put(p.index, p.config.name()));
            List<BestRoute> out = new ArrayList<>();
            rib.forEachBest((p, path) -> out.add(new BestRoute(
                    p,
                    path.peer() == LocRib.LOCAL ? "local" : names.getOrDefault(path.peer(), "?"),
                    path.attributes())));
            return out;
        });
    }

    /**
     * What {@code peer} sent, before import policy (its pre-policy Adj-RIB-In); empty unless the
     * peer is configured with {@link PeerConfig#keepPrePolicy()}.
     */
    public Map<Prefix, RouteAttributes> receivedRoutes(String peer) {
        return call(() -> {
            Peer p = peers.get(peer);
            if (p == null) {
                throw new IllegalArgumentException("no peer named " + peer);
            }
            return Map.copyOf(p.prePolicy);
        });
    }

    /** What {@code peer} sent and import policy accepted (its post-policy Adj-RIB-In). */
    public Map<Prefix, RouteAttributes> acceptedRoutes(String peer) {
        return call(() -> {
            Peer p = peers.get(peer);
            if (p == null) {
                throw new IllegalArgumentException("no peer named " + peer);
            }
            Map<Prefix, RouteAttributes> m = new LinkedHashMap<>();
            rib.forEachPath(p.index, (prefix, path) -> m.put(prefix, path.attributes()));
            return m;
        });
    }

    public int routeCount() {
        return call(rib::destinations);
    }

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
                for (Peer p : peers.values()) {
                    if (restarting) {
                        p.stopForRestart("speaker restarting");
                    } else {
                        p.stop("speaker shutting down");
                    }
                }
                return null;
            });
            if (server != null) {
                server.close().sync();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private <T> T call(Callable<T> task) {
        if (loop.inEventLoop()) {
            try {
                return task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return loop.submit(task).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the BGP speaker's event loop did not answer within 30 s", e);
        }
    }

    // ---- connections

    private void accepted(EpollSocketChannel ch) {
        InetAddress remote = ch.remoteAddress().getAddress();
        Peer peer = null;
        for (Peer p : peers.values()) {
            if (p.config.address().equals(remote) || mapped(p.config.address(), remote)) {
                peer = p;
            }
        }
        if (peer == null) {
            LOG.warn("closing BGP connection from {}: not a configured neighbor", remote.getHostAddress());
            ch.close();
            return;
        }
        Peer p = peer;
        p.config
                .gtsmHops()
                .ifPresent(h -> LinuxSocketOptions.setGtsm(ch.fd().intValue(), remote instanceof Inet6Address, h));
        Connection c = new Connection(p, false, ch);
        ch.pipeline().addLast(c);
        ch.eventLoop().execute(() -> p.onInbound(c));
    }

    private static boolean mapped(InetAddress configured, InetAddress remote) {
        byte[] r = remote.getAddress();
        byte[] c = configured.getAddress();
        if (r.length != 16 || c.length != 4) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (r[i] != 0) {
                return false;
            }
        }
        return r[10] == (byte) 0xFF
                && r[11] == (byte) 0xFF
                && r[12] == c[0]
                && r[13] == c[1]
                && r[14] == c[2]
                && r[15] == c[3];
    }

    void dial(Peer p) {
        PeerConfig pc = p.config;
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(EpollSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInitializer<EpollSocketChannel>() {
                    @Override
                    protected void initChannel(EpollSocketChannel ch) {}
                });
        b.register().addListener(reg -> {
            if (!reg.isSuccess()) {
                p.onDialFailed(String.valueOf(reg.cause()));
                return;
            }
            EpollSocketChannel ch = (EpollSocketChannel) ((io.netty.channel.ChannelFuture) reg).channel();
            try {
                pc.md5Password()
                        .ifPresent(pw -> LinuxSocketOptions.setMd5Key(ch.fd().intValue(), pc.address(), md5Key(pc)));
                pc.gtsmHops()
                        .ifPresent(h -> LinuxSocketOptions.setGtsm(
                                ch.fd().intValue(), pc.address() instanceof Inet6Address, h));
            } catch (RuntimeException e) {
                ch.close();
                p.onDialFailed(e.getMessage());
                return;
            }
            Connection c = new Connection(p, true, ch);
            ch.pipeline().addLast(c);
            var remote = new InetSocketAddress(pc.address(), pc.port());
            var connect = pc.localAddress().isPresent()
                    ? ch.connect(remote, new InetSocketAddress(pc.localAddress().get(), 0))
                    : ch.connect(remote);
            connect.addListener(f -> {
                if (f.isSuccess()) {
                    p.onOutbound(c);
                } else {
                    ch.close();
                    p.onDialFailed(f.cause() == null ? "failed" : f.cause().getMessage());
                }
            });
        });
    }

    private static byte[] md5Key(PeerConfig pc) {
        return pc.md5Password().orElseThrow().getBytes(StandardCharsets.US_ASCII);
    }

    Open openFor(Peer p) {
        List<Capability> caps = new ArrayList<>();
        for (Afi afi : p.config.families()) {
            caps.add(new Capability.MultiProtocol(afi.code, 1));
        }
        caps.add(new Capability.RouteRefreshCapability());
        caps.add(new Capability.ExtendedMessage()); // RFC 8654: used when the peer sends it too
        caps.add(new Capability.FourOctetAs(config.localAsn()));
        p.config
                .gracefulRestartSeconds()
                .ifPresent(t -> caps.add(new Capability.GracefulRestart(
                        false,
                        t,
                        // Forwarding state is preserved: the gateway's datapath lives on in pinned
                        // maps while the process restarts, so peers keep our routes until End-of-RIB.
                        p.config.families().stream()
                                .map(a -> new Capability.GracefulRestart.Family(a.code, 1, true))
                                .toList())));
        int myAs = config.localAsn() > 0xFFFF ? Open.AS_TRANS : (int) config.localAsn();
        return new Open(myAs, (int) p.config.timers().holdTime().toSeconds(), config.routerId(), caps);
    }

    // ---- routes

    void onUpdate(Peer from, Update u, boolean treatAsWithdraw) {
        List<Prefix> gone = new ArrayList<>(u.withdrawn());
        List<Prefix> announced = new ArrayList<>(u.nlri());
        for (PathAttribute a : u.attributes()) {
            if (a instanceof PathAttribute.MpUnreachNlri m) {
                gone.addAll(m.withdrawn());
            } else if (a instanceof PathAttribute.MpReachNlri m) {
                announced.addAll(m.nlri());
            }
        }
        if (u.endOfRibFamily().isPresent()) {
            sweepStale(from);
            return;
        }
        for (Prefix p : gone) {
            rib.withdraw(from.index, p).ifPresent(this::propagate);
            from.prePolicy.remove(p);
        }
        if (announced.isEmpty()) {
            return;
        }
        from.received += announced.size();
        if (from.config.keepPrePolicy()) {
            for (Prefix p : gone) {
                from.prePolicy.remove(p);
            }
        }
        if (treatAsWithdraw) {
            // RFC 7606 §2: the announcement is handled as a withdrawal of its prefixes
            for (Prefix p : announced) {
                rib.withdraw(from.index, p).ifPresent(this::propagate);
            }
            return;
        }
        boolean loop = u.attribute(PathAttribute.AsPath.class)
                .map(ap -> ap.flatten().contains(config.localAsn()))
                .orElse(false);
        if (loop) {
            // RFC 4271 §9.1.2: a path holding our own AS is a loop and is not used
            for (Prefix p : announced) {
                rib.withdraw(from.index, p).ifPresent(this::propagate);
            }
            return;
        }
        List<PathAttribute> base = u.attributes().stream()
                .filter(a -> !(a instanceof PathAttribute.MpReachNlri) && !(a instanceof PathAttribute.MpUnreachNlri))
                .toList();
        Optional<PathAttribute.MpReachNlri> mp = u.attribute(PathAttribute.MpReachNlri.class);
        // The attributes are the same for every prefix of the UPDATE: build and rank them once
        // per family, unless the import policy looks at the prefix.
        RouteAttributes v4 = new RouteAttributes(base);
        RouteAttributes v6 = mp.map(m -> {
                    List<PathAttribute> l = new ArrayList<>(base);
                    l.add(new PathAttribute.MpReachNlri(Afi.IPV6, 1, m.nextHop(), List.of()));
                    return new RouteAttributes(l);
                })
                .orElse(v4);
        var policy = from.config.importPolicy();
        long[] addrKey = Ranking.addressKey(from.config.address());
        io.meshgw.bgp.rib.PathRank rank4 = null;
        io.meshgw.bgp.rib.PathRank rank6 = null;
        for (Prefix p : announced) {
            RouteAttributes ra = p.afi() == Afi.IPV6 ? v6 : v4;
            if (from.config.keepPrePolicy()) {
                from.prePolicy.put(p, ra);
            }
            io.meshgw.bgp.rib.PathRank rank;
            if (policy.unconditional()) {
                if (!policy.acceptByDefault()) {
                    rib.withdraw(from.index, p).ifPresent(this::propagate);
                    continue;
                }
                if (p.afi() == Afi.IPV6) {
                    rank = rank6 != null ? rank6 : (rank6 = rankFor(ra, from, addrKey));
                } else {
                    rank = rank4 != null ? rank4 : (rank4 = rankFor(ra, from, addrKey));
                }
            } else {
                Optional<PolicyRoute> accepted = policy.evaluate(PolicyBridge.toPolicy(p, ra.attributes()));
                if (accepted.isEmpty()) {
                    rib.withdraw(from.index, p).ifPresent(this::propagate);
                    continue;
                }
                ra = new RouteAttributes(PolicyBridge.apply(ra.attributes(), accepted.get()));
                rank = rankFor(ra, from, addrKey);
            }
            rib.update(from.index, p, ra, rank).ifPresent(this::propagate);
        }
        from.config.maxPrefixes().ifPresent(limit -> {
            int held = rib.pathsFrom(from.index);
            if (!from.maxPrefixWarned && held * 100L >= (long) limit * from.config.maxPrefixWarningPercent()) {
                from.maxPrefixWarned = true;
                LOG.warn(
                        "peer {} sent {} prefixes, {}% of its limit {}",
                        from.config.name(), held, held * 100L / limit, limit);
                from.noteError("prefix count " + held + " reached the warning threshold of limit " + limit);
            }
            if (held > limit) {
                // RFC 4486 §4: Cease, Maximum Number of Prefixes Reached, data = AFI, SAFI, limit
                from.noteError("maximum prefixes " + limit + " exceeded");
                from.handle(new io.meshgw.bgp.fsm.FsmEvent.AutomaticStop(
                        io.meshgw.bgp.wire.Notification.CEASE_MAX_PREFIXES, new byte[] {
                            0, 1, 1, (byte) (limit >>> 24), (byte) (limit >>> 16), (byte) (limit >>> 8), (byte) limit
                        }));
            }
        });
    }

    private static io.meshgw.bgp.rib.PathRank rankFor(RouteAttributes ra, Peer from, long[] addrKey) {
        return Ranking.rank(ra, from.config.peerAsn(), false, from.ebgp(), from.peerRouterId(), addrKey);
    }

    void sweepStale(Peer p) {
        rib.sweepStale(p.index).forEach(this::propagate);
    }

    void dropRoutesOf(Peer p) {
        rib.withdrawAll(p.index).forEach(this::propagate);
    }

    /**
     * Queues a best-path change; changes are coalesced per prefix (first "before", last "now")
     * and sent to every neighbor once the loop has drained its current work.
     */
    private void propagate(BestPathChange<Prefix, RouteAttributes> change) {
        pendingChanges.merge(
                change.destination(),
                new AdjRibOut.Change(change.destination(), change.before(), change.now()),
                (old, neu) -> new AdjRibOut.Change(old.prefix(), old.before(), neu.now()));
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(this::flushChanges);
        }
        for (var l : listeners) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("best-path listener failed: {}", e.toString());
            }
        }
    }

    private void flushChanges() {
        flushScheduled = false;
        if (pendingChanges.isEmpty()) {
            return;
        }
        List<AdjRibOut.Change> batch = new ArrayList<>(pendingChanges.values());
        pendingChanges.clear();
        for (Peer p : peers.values()) {
            p.out.send(batch);
        }
    }

    /** The attributes {@code to} receives for the best path, or null when it must not get it. */
    RouteAttributes exportAttributes(Peer to, Prefix prefix, Path<RouteAttributes> path) {
        if (to.config.exportPolicy().unconditional()) {
            // Same source attributes, same family and peer -> same result: reuse it.
            var key = new Peer.ExportKey(path.attributes(), path.peer(), prefix.afi());
            RouteAttributes cached = to.exportCache.get(key);
            if (cached != null || to.exportCache.containsKey(key)) {
                return cached;
            }
            RouteAttributes computed = computeExport(to, prefix, path);
            if (to.exportCache.size() >= 65_536) {
                to.exportCache.clear(); // bounded: attribute sets churn over a session's life
            }
            to.exportCache.put(key, computed);
            return computed;
        }
        return computeExport(to, prefix, path);
    }

    private RouteAttributes computeExport(Peer to, Prefix prefix, Path<RouteAttributes> path) {
        if (path.peer() == to.index) {
            return null; // never back to where it came from
        }
        Peer from = peerByIndex(path.peer());
        boolean fromIbgp = from != null && !from.ebgp();
        if (fromIbgp && !to.ebgp()) {
            return null; // RFC 4271 §9.2: iBGP-learned routes are not sent to iBGP peers
        }
        if (prefix.afi() == Afi.IPV6 && to.config.ipv6NextHop().isEmpty()) {
            return null;
        }
        if (!to.negotiatedFamilies().contains(prefix.afi())) {
            return null;
        }
        List<PathAttribute> out = new ArrayList<>();
        for (PathAttribute a : path.attributes().attributes()) {
            switch (a) {
                case PathAttribute.AsPath ap -> out.add(to.ebgp() ? Ranking.prepend(ap, config.localAsn()) : ap);
                case PathAttribute.NextHop nh -> {}
                case PathAttribute.MpReachNlri mp -> {}
                case PathAttribute.LocalPref lp -> {
                    if (!to.ebgp()) {
                        out.add(lp);
                    }
                }
                // RFC 4271 §5.1.4: a MED learned from a neighbouring AS is not passed to another one
                case PathAttribute.MultiExitDisc med -> {
                    if (!to.ebgp() || path.peer() == LocRib.LOCAL) {
                        out.add(med);
                    }
                }
                default -> out.add(a);
            }
        }
        if (!to.ebgp() && out.stream().noneMatch(a -> a instanceof PathAttribute.LocalPref)) {
            out.add(new PathAttribute.LocalPref(100));
        }
        if (prefix.afi() == Afi.IPV4) {
            InetSocketAddress local = to.localAddress();
            if (local == null) {
                return null;
            }
            byte[] nh = local.getAddress().getAddress();
            if (nh.length == 16) {
                nh = java.util.Arrays.copyOfRange(nh, 12, 16); // IPv4-mapped
            }
            out.add(new PathAttribute.NextHop(nh));
        }
        Optional<PolicyRoute> exported = to.config.exportPolicy().evaluate(PolicyBridge.toPolicy(prefix, out));
        return exported.map(r -> new RouteAttributes(PolicyBridge.apply(out, r)))
                .orElse(null);
    }

    PathAttribute.MpReachNlri ipv6Reach(Peer to, List<Prefix> nlri) {
        return to.config
                .ipv6NextHop()
                .map(nh -> new PathAttribute.MpReachNlri(Afi.IPV6, 1, nh.getAddress(), nlri))
                .orElse(null);
    }

    private Peer peerByIndex(int index) {
        return peersByIndex.get(index);
    }
}
