package io.meshgw.bgp.speaker;

import io.meshgw.bgp.transport.Cancellable;
import io.meshgw.bgp.transport.TcpConnection;
import io.meshgw.bgp.transport.Transport;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.Notification;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.Update;
import java.net.InetAddress;
import java.time.Duration;
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
    private final PeerConfig config;
    private final boolean ebgp;
    private final Transport transport;
    private final Propagation propagation;
    private final Session session;
    private final AdjRibIn ribIn;
    private final Exporter exporter;
    private final AdjRibOut ribOut;
    private final EndOfRibGate endOfRib;
    /** The session's start after a prefix-limit Cease, while it waits. */
    private Cancellable maxPrefixRestart;
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
        return session.status(ribIn.received(), ribIn.accepted(), ribOut.advertised());
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

    /** The prefix-limit wait is over: the session starts as if configured again, unless it was stopped meanwhile. */
    private void startAgain() {
        maxPrefixRestart = null;
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
        exporter.sessionUp(localAddress, negotiated.families());
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
    public void update(Update update, boolean treatAsWithdraw) {
        switch (ribIn.apply(update, treatAsWithdraw, session.routerId())) {
            case WITHIN -> {}
            case WARNING -> {
                int limit = config.maxPrefixes().orElseThrow();
                int held = ribIn.accepted();
                LOG.warn("peer {} sent {} prefixes, {}% of its limit {}", name(), held, held * 100L / limit, limit);
                session.noteError("prefix count " + held + " reached the warning threshold of limit " + limit);
            }
            case EXCEEDED -> {
                // RFC 4486 §4: Cease, Maximum Number of Prefixes Reached; it stays down until restarted
                session.noteError("maximum prefixes " + config.maxPrefixes().orElseThrow() + " exceeded"
                        + config.maxPrefixRestart()
                                .map(d -> "; starting again in " + d)
                                .orElse(""));
                session.cease(Notification.CEASE_MAX_PREFIXES, ribIn.limitCeaseData());
                config.maxPrefixRestart().ifPresent(d -> maxPrefixRestart = transport.schedule(this::startAgain, d));
            }
        }
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
