package io.meshgw.bgp.speaker;

import io.meshgw.bgp.fsm.BgpFsm;
import io.meshgw.bgp.fsm.FsmAction;
import io.meshgw.bgp.fsm.FsmEvent;
import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.transport.Cancellable;
import io.meshgw.bgp.transport.DialOutcome;
import io.meshgw.bgp.transport.DialRequest;
import io.meshgw.bgp.transport.TcpConnection;
import io.meshgw.bgp.transport.Transport;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.AttributeScreen;
import io.meshgw.bgp.wire.BgpError;
import io.meshgw.bgp.wire.Capability;
import io.meshgw.bgp.wire.CodecOptions;
import io.meshgw.bgp.wire.DecodeResult;
import io.meshgw.bgp.wire.Keepalive;
import io.meshgw.bgp.wire.MessageDecoder;
import io.meshgw.bgp.wire.MessageEncoder;
import io.meshgw.bgp.wire.Notification;
import io.meshgw.bgp.wire.Open;
import io.meshgw.bgp.wire.RouteRefresh;
import io.meshgw.bgp.wire.Update;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BGP session with one neighbor: its FSM (RFC 4271 §8), its connection(s) and timers. It
 * turns bytes and timer expiries into FSM events and carries out the FSM's actions; what the
 * session carries is its {@link Peer}'s business, told through {@link SessionEvents}. Runs only on the
 * speaker's thread.
 */
final class Session implements AdjRibOut.Output, DialOutcome {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final PeerConfig config;
    private final SpeakerConfig local;
    private final Transport transport;
    private final SessionEvents events;
    private final RunningTimers timers;
    private BgpFsm fsm;
    private Connection conn;
    private Connection parked;
    /** Set from the neighbor's OPEN until the session ends. */
    private NegotiatedSession negotiated;

    private Instant establishedSince;
    private boolean stopped;
    private long messagesIn;
    private long messagesOut;
    private long flaps;
    private String lastError;
    private final Map<AttributeDrop, Long> attributeDrops = new HashMap<>();
    /** Why the next NOTIFICATION we send is sent, so the status shows the cause, not just codes. */
    private String notificationCause;
    /** RFC 9687 SendHoldTimer: runs while the connection is not writable, from OpenSent on. */
    private Cancellable sendHold;

    Session(PeerConfig config, SpeakerConfig local, Transport transport, SessionEvents events) {
        this.config = config;
        this.local = local;
        this.transport = transport;
        this.events = events;
        this.fsm = new BgpFsm(config.timers());
        this.timers = new RunningTimers(transport, t -> handle(new FsmEvent.TimerExpired(t)));
    }

    State state() {
        return fsm.state();
    }

    /** The neighbor's BGP identifier, 0 before its OPEN. */
    long routerId() {
        return negotiated == null ? 0 : negotiated.routerId();
    }

    /** Whether it was stopped for good (removed, or the speaker shuts down): no more dialing. */
    boolean stopped() {
        return stopped;
    }

    /** The neighbor's status, with the route counts only its peer knows. */
    PeerStatus status(
            long prefixesReceived,
            long prefixesAccepted,
            Map<Afi, Long> prefixesAcceptedByFamily,
            long prefixesAdvertised,
            long routeLeaks,
            AdjRibOut.RefreshCounts refreshes) {
        return new PeerStatus(
                config.name(),
                config.address().getHostAddress(),
                config.peerAsn(),
                fsm.state(),
                Optional.ofNullable(establishedSince),
                prefixesReceived,
                prefixesAccepted,
                prefixesAcceptedByFamily,
                prefixesAdvertised,
                messagesIn,
                messagesOut,
                flaps,
                Optional.ofNullable(lastError),
                routeLeaks,
                attributeDrops,
                refreshes.requested(),
                refreshes.walks(),
                Map.of()); // the families without a next hop are the exporter's to say (Peer#status)
    }

    @Override
    public boolean established() {
        return fsm.state() == State.ESTABLISHED && conn != null;
    }

    @Override
    public boolean writable() {
        return conn != null && conn.writable();
    }

    @Override
    public CodecOptions options() {
        return negotiated == null ? CodecOptions.INITIAL : negotiated.options();
    }

    @Override
    public void send(Update update) {
        send(MessageEncoder.encode(update, options()));
        handle(new FsmEvent.UpdateSent()); // RFC 4271 §10: restarts the KeepaliveTimer
    }

    void countSent() {
        messagesOut++;
    }

    void noteError(String e) {
        lastError = e;
        notificationCause = e;
    }

    // ---- life cycle

    void start() {
        handle(new FsmEvent.ManualStart(config.passive()));
    }

    /** Stops with a Cease carrying {@code reason} (RFC 9003) and does not restart. */
    void stop(String reason) {
        stop(Notification.shutdown(Notification.CEASE_ADMIN_SHUTDOWN, reason));
    }

    /**
     * Stops for good because the neighbor's configuration changed in a way only a new session applies: RFC 4486's
     * Cease, Other Configuration Change.
     */
    void stopForReconfiguration() {
        stop(new Notification(Notification.CEASE, Notification.CEASE_OTHER_CONFIGURATION_CHANGE, new byte[0]));
    }

    private void stop(Notification cease) {
        stopped = true;
        if (conn != null && fsm.state() != State.IDLE) {
            conn.send(MessageEncoder.encode(cease, options()));
            // The neighbor gets this one NOTIFICATION: the FSM's plain Cease below finds no connection.
            conn.close();
            conn = null;
        }
        handle(new FsmEvent.ManualStop());
        timers.close();
    }

    /** Why this session started: its status shows it until something else goes wrong. */
    void noteStartedBecause(String why) {
        lastError = why;
    }

    /** Whether the established neighbor takes ROUTE-REFRESH (RFC 2918 §2: it advertised the capability). */
    boolean refreshSupported() {
        return established()
                && negotiated
                        .peerOpen()
                        .capability(Capability.RouteRefreshCapability.class)
                        .isPresent();
    }

    /** Asks the neighbor for its routes of every negotiated family again (RFC 2918 §3). */
    void requestRefresh() {
        for (Afi afi : negotiated.families()) {
            send(MessageEncoder.encode(new RouteRefresh(afi.code, 1, RouteRefresh.NORMAL), options()));
        }
    }

    /**
     * Drops the connection without a NOTIFICATION, so a graceful-restart helper keeps our routes
     * (RFC 4724 §4.2), and does not restart.
     */
    void dropForRestart() {
        stopped = true;
        stopSendHold();
        if (conn != null) {
            conn.close();
        }
        timers.close();
    }

    /** The speaker stops the session (RFC 4271 §8.1.2 event 8) with this Cease subcode and data. */
    void cease(int subcode, byte[] data) {
        handle(new FsmEvent.AutomaticStop(subcode, data));
    }

    // ---- connections

    /** The neighbor connected to us; its messages count from the next turn of the loop on. */
    void accept(TcpConnection tcp) {
        if (config.gtsmHops().isPresent()) {
            tcp.requireGtsm(config.gtsmHops().getAsInt());
        } else {
            config.multihopTtl().ifPresent(tcp::ttl);
        }
        Connection c = new Connection(this, false, tcp);
        transport.execute(() -> onInbound(c));
    }

    private void dial() {
        var request = new DialRequest(
                new InetSocketAddress(config.address(), config.port()),
                config.localAddress(),
                config.md5Password(),
                config.gtsmHops(),
                config.multihopTtl());
        transport.dial(request, this);
    }

    /** Our dial completed. */
    @Override
    public void connected(TcpConnection tcp) {
        Connection c = new Connection(this, true, tcp);
        if (conn == null && (fsm.state() == State.CONNECT || fsm.state() == State.ACTIVE)) {
            conn = c;
            handle(new FsmEvent.TcpConnected(true));
        } else {
            c.close();
        }
    }

    @Override
    public void failed(String why) {
        lastError = "connect to " + config.address().getHostAddress() + ": " + why;
        if (conn == null && fsm.state() == State.CONNECT) {
            handle(new FsmEvent.TcpFailed());
        }
    }

    private void onInbound(Connection c) {
        switch (fsm.state()) {
            case IDLE -> c.close(); // not started, or holding off after errors
            case CONNECT, ACTIVE -> {
                if (conn != null) {
                    conn.close(); // our dial loses to the peer's finished connection
                }
                conn = c;
                handle(new FsmEvent.TcpConnected(false));
            }
            case OPEN_SENT -> {
                if (parked != null) {
                    parked.close();
                }
                // RFC 4271 §6.8: keep it until the OPEN on ours gives the identifier that decides
                parked = c;
                c.park();
            }
            // We answered the OPEN on ours with a KEEPALIVE: see resolveCollision.
            case OPEN_CONFIRM -> cease(c);
            case ESTABLISHED -> c.close(); // §6.8: an established session wins
        }
    }

    void onDisconnected(Connection c) {
        if (c == parked) {
            parked = null;
        } else if (c == conn) {
            conn = null;
            stopSendHold();
            handle(new FsmEvent.TcpFailed());
            adoptParked();
        }
    }

    /**
     * Our connection failed while the neighbor's waited for the collision to be decided (RFC 4271 §6.8): there is
     * nothing left to decide, and the neighbor's connection becomes the session's, its OPEN answered. Left parked it
     * would sit unread while the neighbor waits in OpenSent, and a neighbor that refuses connections in OpenSent
     * (OpenBGPD) resets every one we open meanwhile: no session until its OpenSent timer ends, minutes later.
     */
    private void adoptParked() {
        if (parked == null || conn != null || (fsm.state() != State.ACTIVE && fsm.state() != State.CONNECT)) {
            return;
        }
        Connection theirs = parked;
        parked = null;
        takeOver(theirs);
    }

    /** {@code c}, which waited parked, becomes the session's connection, and what it sent meanwhile is read. */
    private void takeOver(Connection c) {
        conn = c;
        handle(new FsmEvent.TcpConnected(c.outbound()));
        for (byte[] m : c.unpark()) {
            onMessage(c, m);
        }
    }

    /**
     * The queue toward the neighbor crossed a watermark. Above the high one nothing more is
     * generated for it and the SendHoldTimer runs (RFC 9687 §3); below the low one its peer
     * sends what was held back.
     */
    void onWritabilityChanged(Connection c, boolean writable) {
        if (c != conn) {
            return;
        }
        if (writable) {
            stopSendHold();
            events.writable();
        } else if (sendHold == null && fsm.state().compareTo(State.OPEN_SENT) >= 0) {
            Duration after = config.timers().effectiveSendHold(fsm.negotiatedHoldTime());
            sendHold = transport.schedule(() -> sendHoldExpired(after), after);
        }
    }

    private void sendHoldExpired(Duration after) {
        sendHold = null;
        if (conn == null || conn.writable()) {
            return;
        }
        LOG.warn(
                "peer {} ({}) has taken nothing we sent for {}: resetting the session (RFC 9687)",
                config.name(),
                config.address().getHostAddress(),
                after);
        notificationCause = "send hold timer expired: the peer took nothing we sent for " + after;
        handle(new FsmEvent.SendHoldTimerExpired());
    }

    private void stopSendHold() {
        if (sendHold != null) {
            sendHold.cancel();
            sendHold = null;
        }
    }

    /**
     * RFC 4271 §6.8, decided when the OPEN on our connection gives the neighbor's BGP identifier and before it is
     * answered: the connection opened by the speaker with the higher identifier survives. A connection that arrives
     * once we have answered that OPEN with a KEEPALIVE is ceased instead, whatever the identifiers: the neighbor may
     * hold ours as established by then, and since nothing was opened on its own it sees no collision. Dumping ours
     * would end a session it counts as up, and a graceful-restart helper (BIRD, with no RFC 8538) then flushes the
     * routes it kept for us.
     *
     * @return whether the session moved to the parked connection (the OPEN on ours is then not answered)
     */
    private boolean resolveCollision() {
        if (parked == null || negotiated == null || conn == null) {
            return false;
        }
        boolean keepOurs = local.routerId() > negotiated.routerId();
        if (keepOurs == conn.outbound()) {
            cease(parked);
            parked = null;
            return false;
        }
        LOG.info(
                "peer {}: connection collision, switching to the connection opened by the {} identifier",
                config.name(),
                keepOurs ? "our (higher)" : "peer's (higher)");
        Connection winner = parked;
        parked = null;
        handle(new FsmEvent.OpenCollisionDump()); // sends Cease/7 on the loser and resets
        fsm = new BgpFsm(config.timers());
        handle(new FsmEvent.ManualStart(true));
        takeOver(winner);
        return true;
    }

    /** Closes a connection that lost a collision with a Cease, Connection Collision Resolution (RFC 4486 §4). */
    private void cease(Connection c) {
        var cease = new Notification(Notification.CEASE, Notification.CEASE_CONNECTION_COLLISION, new byte[0]);
        c.send(MessageEncoder.encode(cease, CodecOptions.INITIAL));
        c.close();
    }

    // ---- messages

    void onFramingError(Connection c, BgpError e) {
        if (c == conn) {
            lastError = "framing: " + e;
            handle(new FsmEvent.MessageError(e.code(), e.subcode(), e.data()));
        } else {
            c.close();
        }
    }

    void onMessage(Connection c, byte[] bytes) {
        if (c != conn) {
            return;
        }
        messagesIn++;
        switch (MessageDecoder.decode(bytes, options())) {
            case DecodeResult.Failed f -> {
                lastError = "received malformed message: " + f.error();
                handle(new FsmEvent.MessageError(
                        f.error().code(), f.error().subcode(), f.error().data()));
            }
            case DecodeResult.Ok ok -> {
                switch (ok.message()) {
                    case Open o -> {
                        onOpen(o);
                        c.negotiated(options());
                    }
                    case Keepalive k -> handle(new FsmEvent.KeepaliveReceived());
                    case Update u -> {
                        handle(new FsmEvent.UpdateReceived());
                        if (established()) {
                            if (!ok.repairs().isEmpty()) {
                                lastError = "repaired UPDATE (RFC 7606): " + ok.repairs();
                            }
                            countDrops(ok);
                            events.update(u, ok.treatAsWithdraw());
                        }
                    }
                    case Notification n -> {
                        lastError = "received notification " + n.code() + "/" + n.subcode()
                                + n.shutdownCommunication().map(s -> ": " + s).orElse("");
                        handle(new FsmEvent.NotificationReceived(
                                n.code(),
                                n.subcode(),
                                n.code() == Notification.OPEN_MESSAGE_ERROR
                                        && n.subcode() == Notification.OPEN_UNSUPPORTED_VERSION_NUMBER));
                    }
                    case RouteRefresh rr -> {
                        handle(new FsmEvent.UpdateReceived());
                        Afi afi = Afi.of(rr.afi());
                        if (established() && afi != null && rr.subtype() == RouteRefresh.NORMAL) {
                            events.refresh(afi); // RFC 2918 §4
                        }
                    }
                }
            }
        }
    }

    private void countDrops(DecodeResult.Ok ok) {
        for (BgpError e : ok.repairs()) {
            if (e.attribute() != 0 && e.handling() != BgpError.Handling.SESSION_RESET) {
                AttributeDrop.Action action = e.handling() == BgpError.Handling.ATTRIBUTE_DISCARD
                        ? AttributeDrop.Action.DISCARD
                        : AttributeDrop.Action.TREAT_AS_WITHDRAW;
                attributeDrops.merge(
                        new AttributeDrop(e.attribute(), action, AttributeDrop.Cause.MALFORMED), 1L, Long::sum);
            }
        }
        for (DecodeResult.Screened s : ok.screened()) {
            AttributeDrop.Action action = s.action() == AttributeScreen.Action.DISCARD
                    ? AttributeDrop.Action.DISCARD
                    : AttributeDrop.Action.TREAT_AS_WITHDRAW;
            attributeDrops.merge(new AttributeDrop(s.type(), action, AttributeDrop.Cause.SCREENED), 1L, Long::sum);
        }
    }

    private void onOpen(Open o) {
        Optional<NegotiatedSession.Refusal> refusal = NegotiatedSession.refusal(o, config, local);
        if (refusal.isPresent()) {
            NegotiatedSession.Refusal r = refusal.get();
            handle(new FsmEvent.MessageError(Notification.OPEN_MESSAGE_ERROR, r.subcode(), r.data()));
            lastError = r.why();
            return;
        }
        negotiated = NegotiatedSession.of(o, config, local);
        if (resolveCollision()) {
            return;
        }
        handle(new FsmEvent.OpenReceived(o.holdTime()));
    }

    // ---- FSM glue

    /** Feeds the FSM, carries out its actions, and reports a change of state. */
    private void handle(FsmEvent e) {
        State before = fsm.state();
        for (FsmAction a : fsm.handle(e)) {
            execute(a);
        }
        if (fsm.state() != before) {
            events.stateChanged();
        }
    }

    private void execute(FsmAction a) {
        switch (a) {
            case FsmAction.Connect c -> {
                if (!stopped) {
                    dial();
                }
            }
            case FsmAction.Disconnect d -> {
                stopSendHold();
                if (conn != null) {
                    conn.close();
                    conn = null;
                }
            }
            case FsmAction.SendOpen s -> send(MessageEncoder.encode(LocalOpen.of(local, config), CodecOptions.INITIAL));
            case FsmAction.SendKeepalive k -> send(MessageEncoder.encode(new Keepalive(), options()));
            case FsmAction.SendNotification n -> {
                lastError = "sent notification " + n.code() + "/" + n.subcode()
                        + (notificationCause == null ? "" : ": " + notificationCause);
                notificationCause = null;
                send(MessageEncoder.encode(new Notification(n.code(), n.subcode(), n.data()), options()));
            }
            case FsmAction.StartTimer t -> timers.start(t.timer(), t.after());
            case FsmAction.StopTimer t -> timers.stop(t.timer());
            case FsmAction.Established e -> {
                establishedSince = Instant.now();
                LOG.info(
                        "peer {} ({}) established: hold {}s, 4-octet AS {}",
                        config.name(),
                        config.address().getHostAddress(),
                        e.holdTime().toSeconds(),
                        options().fourOctetAs());
                events.up(negotiated, Optional.ofNullable(conn.localAddress()).map(InetSocketAddress::getAddress));
            }
            case FsmAction.Down d -> onDown(d.reason());
        }
    }

    private void onDown(String reason) {
        boolean wasUp = establishedSince != null;
        establishedSince = null;
        if (wasUp) {
            flaps++;
            LOG.info("peer {} down: {}", config.name(), reason);
        }
        events.down(reason, wasUp, Optional.ofNullable(negotiated));
        negotiated = null;
        if (parked != null) {
            parked.close();
            parked = null;
        }
    }

    private void send(byte[] message) {
        if (conn != null) {
            conn.send(message);
        }
    }
}
