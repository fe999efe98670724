package io.meshgw.bgp.speaker;

import io.meshgw.bgp.transport.Cancellable;
import io.meshgw.bgp.transport.TcpConnection;
import io.meshgw.bgp.transport.Transport;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.Notification;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.Update;
import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured neighbor: its {@link Session} and the routes the session carries, its
 * Adj-RIB-In (what it sent us), its {@link Exporter} and Adj-RIB-Out (what we send it). Runs only
 * on the speaker's thread.
 */
final class Peer implements SessionEvents {

    private static final Logger LOG = LoggerFactory.getLogger(Peer.class);

    private final int index;
    private PeerConfig config;
    private final boolean ebgp;
    private final Transport transport;
    private final Propagation propagation;
    private final Session session;
    private final AdjRibIn ribIn;
    private Exporter exporter;
    private final AdjRibOut ribOut;
    private final EndOfRibGate endOfRib;
    /** Checks of an external neighbor's announcements; null for an internal one. */
    private final EbgpIngress ingress;
    /** Routes RFC 9234 §5 found leaked, since the peer was added. */
    private long routeLeaks;
    /** The session's start after a prefix-limit Cease, while it waits. */
    private Cancellable maxPrefixRestart;
    /** The session was ceased for its prefix limit and has not been started again. */
    private boolean downForLimit;
    /** The end of a restarting neighbor's grace period (RFC 4724 §4.2), while it runs. */
    private Cancellable staleSweep;

    Peer(int index, PeerConfig config, PeerContext ctx) {
        long localAsn = ctx.local().localAsn();
        this.index = index;
        this.config = config;
        this.ebgp = config.peerAsn() != localAsn;
        this.transport = ctx.transport();
        this.propagation = ctx.propagation();
        this.session = new Session(config, ctx.local(), transport, this);
        this.ribIn = new AdjRibIn(index, config, localAsn, ctx.rib(), propagation::bestPathChanged);
        this.exporter = new Exporter(index, config, localAsn, ctx.internal());
        this.ribOut = new AdjRibOut(exporter, ctx.rib(), session, transport);
        this.endOfRib = ctx.endOfRib();
        this.ingress = ebgp ? new EbgpIngress(config.peerAsn(), config.localRole()) : null;
    }

    /** This neighbor's index in the Loc-RIB. */
    int index() {
        return index;
    }

    String name() {
        return config.name();
    }

    PeerConfig config() {
        return config;
    }

    boolean ebgp() {
        return ebgp;
    }

    PeerStatus status() {
        Map<Afi, Long> byFamily = new EnumMap<>(Afi.class);
        for (Afi family : config.families()) {
            byFamily.put(family, (long) ribIn.accepted(family));
        }
        return session.status(
                        ribIn.received(),
                        ribIn.accepted(),
                        byFamily,
                        ribOut.advertised(),
                        routeLeaks,
                        ribOut.refreshCounts())
                .withFamiliesWithoutNextHop(exporter.withheld());
    }

    AdjRibOut.RefreshCounts refreshCounts() {
        return ribOut.refreshCounts();
    }

    Map<Prefix, RouteAttributes> receivedRoutes() {
        return ribIn.prePolicy();
    }

    Map<Prefix, RouteAttributes> acceptedRoutes() {
        return ribIn.postPolicy();
    }

    /** Sends a batch of best-path changes, as this neighbor should see them. */
    void advertise(List<AdjRibOut.Change> changes) {
        ribOut.send(changes);
    }

    // ---- life cycle

    void start() {
        session.start();
    }

    /** The neighbor connected to us. */
    void accept(TcpConnection tcp) {
        session.accept(tcp);
    }

    /** Ends the session with a Cease carrying {@code reason}; the peer is not started again. */
    void stop(String reason) {
        session.stop(reason);
        cancelTimers();
    }

    /** Ends the session with a Cease, Other Configuration Change (RFC 4486): a new one takes its place. */
    void stopForReconfiguration() {
        session.stopForReconfiguration();
        cancelTimers();
    }

    /** Says in the status why this neighbor's session started (again), until something else goes wrong. */
    void noteStartedBecause(String why) {
        session.noteStartedBecause(why);
    }

    /**
     * Stops for a restart of this process. With graceful restart configured the TCP connection is
     * just closed, without a NOTIFICATION, so the router keeps our routes as stale and keeps
     * forwarding until we are back and send End-of-RIB (RFC 4724 §4.2); without it, as {@link #stop}.
     */
    void stopForRestart(String reason) {
        if (config.gracefulRestartSeconds().isEmpty()) {
            stop(reason);
            return;
        }
        session.dropForRestart();
        cancelTimers();
    }

    /** The speaker's routes are complete: End-of-RIB for what this session held back. */
    void routesComplete() {
        ribOut.sendOwedEndOfRib();
    }

    /** Drops every path the neighbor still has in the Loc-RIB, stale ones too. */
    void withdrawAll() {
        ribIn.withdrawAll();
    }

    // ---- configuration

    /**
     * Why {@code change} cannot be applied to the running session, beyond what it changes in the OPEN exchange: a
     * changed import policy needs what the neighbor sent again, and without a pre-policy Adj-RIB-In only a neighbor
     * that takes ROUTE-REFRESH can send it again without a new session.
     */
    Optional<String> liveObstacle(PeerConfig next, PeerChange change) {
        if (change.importPolicy() && session.established() && ribIn.needsRefresh(next) && !session.refreshSupported()) {
            return Optional.of("import policy changed, and the neighbor takes no ROUTE-REFRESH (RFC 2918) and"
                    + " keepPrePolicy was off");
        }
        return Optional.empty();
    }

    /**
     * Applies {@code next} to the running session ({@code change} has no reason to reset it): what the neighbor is
     * sent is exported again and only the difference goes out, what it sent is imported again from the pre-policy
     * Adj-RIB-In or asked for again by ROUTE-REFRESH, and the prefix limit is checked against the new one. A session
     * ceased for its prefix limit starts again, as a changed configuration promises.
     */
    void reconfigure(PeerConfig next, PeerChange change) {
        boolean refresh = session.established() && ribIn.needsRefresh(next);
        config = next;
        if (change.export()) {
            exporter = exporter.reconfigured(next);
            ribOut.reexport(exporter);
        }
        List<AdjRibIn.LimitCrossing> limit = ribIn.reconfigure(next, session.routerId());
        if (refresh && session.refreshSupported()) {
            session.requestRefresh(); // RFC 2918 §3: the neighbor re-advertises its Adj-RIB-Out
        }
        if (session.established()) {
            prefixLimit(limit);
        } else if (downForLimit) {
            cancelTimers();
            startAgain();
        }
    }

    /** The prefix-limit wait is over: the session starts as if configured again, unless it was stopped meanwhile. */
    private void startAgain() {
        maxPrefixRestart = null;
        downForLimit = false;
        if (!session.stopped()) {
            LOG.info("peer {}: starting again after its prefix-limit Cease", name());
            session.start();
        }
    }

    private void cancelTimers() {
        cancelStaleSweep();
        if (maxPrefixRestart != null) {
            maxPrefixRestart.cancel();
            maxPrefixRestart = null;
        }
    }

    private void cancelStaleSweep() {
        if (staleSweep != null) {
            staleSweep.cancel();
            staleSweep = null;
        }
    }

    // ---- what the session reports

    @Override
    public void up(NegotiatedSession negotiated, Optional<InetAddress> localAddress) {
        cancelStaleSweep(); // it is back: End-of-RIB will sweep what it does not send again
        ribIn.sweepStaleExcept(negotiated.forwardingPreserved());
        ribIn.negotiated(negotiated.families());
        exporter.messageFormat(negotiated.options());
        exporter.sessionUp(
                localAddress, negotiated.families(), negotiated.options().extendedNextHop());
        ribOut.sendFullTable(negotiated.families(), endOfRib.open());
    }

    @Override
    public void down(String reason, boolean wasUp, Optional<NegotiatedSession> negotiated) {
        ribOut.reset();
        ribIn.sessionDown();
        exporter.sessionDown();
        if (!wasUp) {
            return;
        }
        int restartTime = negotiated.map(NegotiatedSession::restartTimeSeconds).orElse(0);
        boolean helper = config.gracefulRestartSeconds().isPresent() && restartTime > 0 && !session.stopped();
        if (helper && reason.contains("connection")) {
            // RFC 4724 §4.2: the peer may be restarting; keep its routes, stale, for its restart time
            ribIn.markStale();
            staleSweep = transport.schedule(ribIn::sweepStale, Duration.ofSeconds(restartTime));
        } else {
            ribIn.withdrawAll();
        }
    }

    @Override
    public void update(Update received, boolean treatAsWithdraw) {
        Update update = received;
        boolean withdraw = treatAsWithdraw;
        if (ingress != null && !treatAsWithdraw && announces(received)) {
            EbgpIngress.Verdict v = ingress.check(received);
            update = v.update();
            if (v.withdraw().isPresent()) {
                withdraw = true;
                if (v.leak()) {
                    routeLeaks += announced(received);
                }
                LOG.debug(
                        "peer {}: announcements withdrawn: {}",
                        name(),
                        v.withdraw().get());
                session.noteError("treat-as-withdraw: " + v.withdraw().get());
            }
        }
        long ignoredBefore = ribIn.unnegotiated();
        prefixLimit(ribIn.apply(update, withdraw, session.routerId()));
        if (ignoredBefore == 0 && ribIn.unnegotiated() > 0) {
            // once per peer: a neighbor that keeps sending them would otherwise fill the log
            session.noteError("ignoring prefixes of a family the session did not negotiate (RFC 4760 §7)");
        }
    }

    private void prefixLimit(List<AdjRibIn.LimitCrossing> crossed) {
        for (AdjRibIn.LimitCrossing c : crossed) {
            int limit = c.limit().limit();
            if (!c.exceeded()) {
                LOG.warn(
                        "peer {} sent {} {} prefixes, {}% of its limit {}",
                        name(), c.held(), c.family(), c.held() * 100L / limit, limit);
                session.noteError(
                        c.family() + " prefix count " + c.held() + " reached the warning threshold of limit " + limit);
                continue;
            }
            // RFC 4486 §4: Cease, Maximum Number of Prefixes Reached, for the family over its limit; it stays down
            // until restarted
            Optional<Duration> restart = c.limit().restartAfter();
            session.noteError("maximum " + c.family() + " prefixes " + limit + " exceeded"
                    + restart.map(d -> "; starting again in " + d).orElse(""));
            session.cease(Notification.CEASE_MAX_PREFIXES, c.ceaseData());
            downForLimit = true;
            restart.ifPresent(d -> maxPrefixRestart = transport.schedule(this::startAgain, d));
            return;
        }
    }

    private static boolean announces(Update u) {
        return announced(u) > 0;
    }

    private static int announced(Update u) {
        return u.nlri().size()
                + u.attribute(PathAttribute.MpReachNlri.class)
                        .map(m -> m.nlri().size())
                        .orElse(0);
    }

    @Override
    public void refresh(Afi afi) {
        ribOut.resendAll(afi); // RFC 2918 §4: re-advertise the Adj-RIB-Out
    }

    @Override
    public void writable() {
        ribOut.resume();
    }

    @Override
    public void stateChanged() {
        propagation.sessionChanged(status());
    }
}
