package io.meshgw.bgp.speaker;

import io.meshgw.bgp.fsm.BgpFsm;
import io.meshgw.bgp.fsm.FsmAction;
import io.meshgw.bgp.fsm.FsmEvent;
import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.fsm.Timer;
import io.meshgw.bgp.wire.Afi;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured neighbor: its FSM, its connection(s), timers and counters. Runs only on the
 * speaker's event loop. Route handling lives in {@link BgpSpeaker}; this class turns bytes and
 * timer expiries into FSM events and carries out the FSM's actions.
 */
final class Peer {

    private static final Logger LOG = LoggerFactory.getLogger(Peer.class);

    final int index;
    final PeerConfig config;
    final BgpSpeaker speaker;
    final AdjRibOut out;

    /** Export results by source attributes (interned, so compared by identity), source peer and family. */
    record ExportKey(RouteAttributes attributes, int fromPeer, Afi afi) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ExportKey k && k.attributes == attributes && k.fromPeer == fromPeer && k.afi == afi;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(attributes) * 31 + fromPeer * 7 + afi.ordinal();
        }
    }

    final Map<ExportKey, RouteAttributes> exportCache = new java.util.HashMap<>();

    /** The pre-policy Adj-RIB-In, kept only with {@link PeerConfig#keepPrePolicy()}. */
    final Map<io.meshgw.bgp.wire.Prefix, RouteAttributes> prePolicy = new java.util.HashMap<>();

    boolean maxPrefixWarned;
    private BgpFsm fsm;
    private Connection conn;
    private Connection parked;
    private final Map<Timer, ScheduledFuture<?>> timers = new EnumMap<>(Timer.class);
    private Open peerOpen;
    private CodecOptions options = CodecOptions.INITIAL;
    private Instant establishedSince;
    private ScheduledFuture<?> staleSweep;
    private boolean removed;

    long received;
    long messagesIn;
    long messagesOut;
    long flaps;
    String lastError;

    Peer(int index, PeerConfig config, BgpSpeaker speaker) {
        this.index = index;
        this.config = config;
        this.speaker = speaker;
        this.fsm = new BgpFsm(config.timers());
        this.out = new AdjRibOut(this);
    }

    boolean ebgp() {
        return config.peerAsn() != speaker.config().localAsn();
    }

    boolean established() {
        return fsm.state() == State.ESTABLISHED && conn != null;
    }

    CodecOptions options() {
        return options;
    }

    long peerRouterId() {
        return peerOpen == null ? 0 : peerOpen.bgpId();
    }

    Connection connection() {
        return conn;
    }

    void countSent() {
        messagesOut++;
    }

    /** Why the next NOTIFICATION we send is sent, so the status shows the cause, not just codes. */
    private String notificationCause;

    void noteError(String e) {
        lastError = e;
        notificationCause = e;
    }

    void start() {
        handle(new FsmEvent.ManualStart(config.passive()));
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
        removed = true;
        if (conn != null) {
            conn.close();
        }
        timers.values().forEach(f -> f.cancel(false));
        if (staleSweep != null) {
            staleSweep.cancel(false);
        }
    }

    void stop(String reason) {
        removed = true;
        if (conn != null && fsm.state() != State.IDLE) {
            conn.send(MessageEncoder.encode(Notification.shutdown(Notification.CEASE_ADMIN_SHUTDOWN, reason), options));
        }
        handle(new FsmEvent.ManualStop());
        timers.values().forEach(f -> f.cancel(false));
        if (staleSweep != null) {
            staleSweep.cancel(false);
        }
    }

    PeerStatus status() {
        return new PeerStatus(
                config.name(),
                config.address().getHostAddress(),
                config.peerAsn(),
                fsm.state(),
                Optional.ofNullable(establishedSince),
                received,
                speaker.rib().pathsFrom(index),
                out.advertised(),
                messagesIn,
                messagesOut,
                flaps,
                Optional.ofNullable(lastError));
    }

    // ---- connections

    /** A connection from this neighbor was accepted. */
    void onInbound(Connection c) {
        switch (fsm.state()) {
            case IDLE -> c.close(); // not started, or holding off after errors
            case CONNECT, ACTIVE -> {
                if (conn != null) {
                    conn.close(); // our dial loses to the peer's finished connection
                }
                conn = c;
                handle(new FsmEvent.TcpConnected(false));
            }
            case OPEN_SENT, OPEN_CONFIRM -> {
                if (parked != null) {
                    parked.close();
                }
                // RFC 4271 §6.8: keep it until the BGP identifiers decide which one survives
                parked = c;
                c.park();
                resolveCollision();
            }
            case ESTABLISHED -> c.close(); // §6.8: an established session wins
        }
    }

    /** Our dial completed. */
    void onOutbound(Connection c) {
        if (conn == null && (fsm.state() == State.CONNECT || fsm.state() == State.ACTIVE)) {
            conn = c;
            handle(new FsmEvent.TcpConnected(true));
        } else {
            c.close();
        }
    }

    void onDialFailed(String why) {
        lastError = "connect to " + config.address().getHostAddress() + ": " + why;
        if (conn == null && fsm.state() == State.CONNECT) {
            handle(new FsmEvent.TcpFailed());
        }
    }

    void onDisconnected(Connection c) {
        if (c == parked) {
            parked = null;
        } else if (c == conn) {
            conn = null;
            handle(new FsmEvent.TcpFailed());
        }
    }

    /**
     * RFC 4271 §6.8: once the peer's BGP identifier is known, the connection opened by the
     * speaker with the higher identifier survives.
     */
    private void resolveCollision() {
        if (parked == null || peerOpen == null || conn == null) {
            return;
        }
        boolean keepOurs = speaker.config().routerId() > peerOpen.bgpId();
        boolean currentIsOurs = conn.outbound;
        if (keepOurs == currentIsOurs) {
            parked.close();
            parked = null;
            return;
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
        conn = winner;
        handle(new FsmEvent.TcpConnected(winner.outbound));
        for (byte[] m : winner.unpark()) {
            onMessage(winner, m);
        }
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
        switch (MessageDecoder.decode(bytes, options)) {
            case DecodeResult.Failed f -> {
                lastError = "received malformed message: " + f.error();
                handle(new FsmEvent.MessageError(
                        f.error().code(), f.error().subcode(), f.error().data()));
            }
            case DecodeResult.Ok ok -> {
                switch (ok.message()) {
                    case Open o -> {
                        onOpen(o);
                        c.negotiated(options);
                    }
                    case Keepalive k -> handle(new FsmEvent.KeepaliveReceived());
                    case Update u -> {
                        handle(new FsmEvent.UpdateReceived());
                        if (established()) {
                            if (!ok.repairs().isEmpty()) {
                                lastError = "repaired UPDATE (RFC 7606): " + ok.repairs();
                            }
                            speaker.onUpdate(this, u, ok.treatAsWithdraw());
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
                            out.resendAll(afi); // RFC 2918 §4: re-advertise the Adj-RIB-Out
                        }
                    }
                }
            }
        }
    }

    private void onOpen(Open o) {
        if (o.asn() != config.peerAsn()) {
            // RFC 4271 §6.2: Bad Peer AS, data = the AS field
            handle(new FsmEvent.MessageError(
                    Notification.OPEN_MESSAGE_ERROR,
                    Notification.OPEN_BAD_PEER_AS,
                    new byte[] {(byte) (o.myAs() >> 8), (byte) o.myAs()}));
            lastError = "peer AS " + o.asn() + " but " + config.peerAsn() + " is configured";
            return;
        }
        if (!ebgp() && o.bgpId() == speaker.config().routerId()) {
            // §6.2: same identifier on iBGP
            handle(new FsmEvent.MessageError(
                    Notification.OPEN_MESSAGE_ERROR, Notification.OPEN_BAD_BGP_IDENTIFIER, new byte[0]));
            lastError = "peer uses our BGP identifier";
            return;
        }
        peerOpen = o;
        boolean fourOctet = o.capability(Capability.FourOctetAs.class).isPresent();
        boolean extended = o.capability(Capability.ExtendedMessage.class).isPresent();
        options = new CodecOptions(fourOctet, extended, ebgp());
        handle(new FsmEvent.OpenReceived(o.holdTime()));
        resolveCollision();
    }

    // ---- FSM glue

    void handle(FsmEvent e) {
        for (FsmAction a : fsm.handle(e)) {
            execute(a);
        }
    }

    private void execute(FsmAction a) {
        switch (a) {
            case FsmAction.Connect c -> {
                if (!removed) {
                    speaker.dial(this);
                }
            }
            case FsmAction.Disconnect d -> {
                if (conn != null) {
                    conn.close();
                    conn = null;
                }
            }
            case FsmAction.SendOpen s -> send(MessageEncoder.encode(speaker.openFor(this), CodecOptions.INITIAL));
            case FsmAction.SendKeepalive k -> send(MessageEncoder.encode(new Keepalive(), options));
            case FsmAction.SendNotification n -> {
                lastError = "sent notification " + n.code() + "/" + n.subcode()
                        + (notificationCause == null ? "" : ": " + notificationCause);
                notificationCause = null;
                send(MessageEncoder.encode(new Notification(n.code(), n.subcode(), n.data()), options));
            }
            case FsmAction.StartTimer t -> {
                cancel(t.timer());
                timers.put(
                        t.timer(),
                        speaker.loop()
                                .schedule(
                                        () -> handle(new FsmEvent.TimerExpired(t.timer())),
                                        t.after().toMillis(),
                                        TimeUnit.MILLISECONDS));
            }
            case FsmAction.StopTimer t -> cancel(t.timer());
            case FsmAction.Established e -> {
                establishedSince = Instant.now();
                LOG.info(
                        "peer {} ({}) established: hold {}s, 4-octet AS {}",
                        config.name(),
                        config.address().getHostAddress(),
                        e.holdTime().toSeconds(),
                        options.fourOctetAs());
                if (staleSweep != null) {
                    staleSweep.cancel(false);
                    staleSweep = null;
                }
                out.sendFullTable();
            }
            case FsmAction.Down d -> onDown(d.reason());
        }
    }

    private void onDown(String reason) {
        boolean wasUp = establishedSince != null;
        establishedSince = null;
        out.reset();
        maxPrefixWarned = false;
        prePolicy.clear(); // a returning peer sends everything again
        exportCache.clear(); // next hop and negotiated families may differ on the next session
        if (wasUp) {
            flaps++;
            LOG.info("peer {} down: {}", config.name(), reason);
            int grTime = peerOpen == null
                    ? 0
                    : peerOpen.capability(Capability.GracefulRestart.class)
                            .map(Capability.GracefulRestart::restartTimeSeconds)
                            .orElse(0);
            boolean helper = config.gracefulRestartSeconds().isPresent() && grTime > 0 && !removed;
            if (helper && reason.contains("connection")) {
                // RFC 4724 §4.2: the peer may be restarting; keep its routes, stale, for its restart time
                speaker.rib().markStale(index);
                staleSweep = speaker.loop().schedule(() -> speaker.sweepStale(this), grTime, TimeUnit.SECONDS);
            } else {
                speaker.dropRoutesOf(this);
            }
        }
        peerOpen = null;
        options = CodecOptions.INITIAL;
        if (parked != null) {
            parked.close();
            parked = null;
        }
    }

    private void cancel(Timer t) {
        ScheduledFuture<?> f = timers.remove(t);
        if (f != null) {
            f.cancel(false);
        }
    }

    void send(byte[] message) {
        if (conn != null) {
            conn.send(message);
        }
    }

    /** After an UPDATE went out (RFC 4271 §10: restarts the keepalive timer). */
    void updateSent() {
        handle(new FsmEvent.UpdateSent());
    }

    InetSocketAddress localAddress() {
        return conn == null ? null : (InetSocketAddress) conn.channel.localAddress();
    }

    List<Afi> negotiatedFamilies() {
        List<Afi> fams = new ArrayList<>();
        for (Afi afi : config.families()) {
            boolean peerHas = afi == Afi.IPV4
                    && peerOpen != null
                    && peerOpen.capability(Capability.MultiProtocol.class).isEmpty();
            if (peerOpen != null) {
                peerHas |= peerOpen.capabilities().stream()
                        .anyMatch(c ->
                                c instanceof Capability.MultiProtocol mp && mp.afi() == afi.code && mp.safi() == 1);
            }
            if (peerHas) {
                fams.add(afi);
            }
        }
        return fams;
    }
}
