package io.meshgw.gateway.bgp;

import io.meshgw.bgp.fsm.FsmTimers;
import io.meshgw.bgp.speaker.BestRoute;
import io.meshgw.bgp.speaker.BgpSpeaker;
import io.meshgw.bgp.speaker.PeerConfig;
import io.meshgw.bgp.speaker.PeerStatus;
import io.meshgw.bgp.speaker.RouteAttributes;
import io.meshgw.bgp.speaker.SpeakerConfig;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.gateway.GatewayConfig;
import io.meshgw.gateway.api.v1.PeerView;
import io.meshgw.gateway.api.v1.RouteView;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Runs the BGP speaker for the gateway's lifetime, configured from {@link GatewayConfig}. */
@ApplicationScoped
public class BgpService {

    private static final Logger LOG = Logger.getLogger(BgpService.class);

    /**
     * How long sessions hold End-of-RIB for the first pass at most: it waits up to 30 s for the mesh to sync, and a
     * router's stale-path timer (FRR's 360 s by default) bounds how long it keeps our routes for End-of-RIB.
     */
    static final Duration END_OF_RIB_HOLD = Duration.ofSeconds(60);

    private final GatewayConfig config;
    private BgpSpeaker speaker;

    BgpService(GatewayConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent ev) {
        GatewayConfig.Bgp bgp = config.bgp();
        if (!bgp.enabled()) {
            LOG.info("BGP speaker disabled (meshgw.bgp.enabled=false)");
            return;
        }
        SpeakerConfig sc = speakerConfig(bgp);
        List<PeerConfig> peers = peerConfigs(bgp);
        speaker = BgpSpeaker.start(sc);
        // The routes come from the control plane's first pass, after the sessions may be up: End-of-RIB waits for it,
        // so routers that kept our routes through a restart (graceful restart) do not drop them in between.
        speaker.holdEndOfRib(END_OF_RIB_HOLD);
        peers.forEach(speaker::addPeer);
        LOG.infof(
                "BGP speaker AS %d listening on %s:%d with %d peer(s)",
                sc.localAsn(), bgp.listenAddress(), bgp.port(), peers.size());
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (speaker != null) {
            // Peers with graceful restart keep our routes while the pinned datapath keeps
            // forwarding; the others get a Cease and withdraw our announcements at once.
            speaker.closeForRestart();
        }
    }

    /** Turns configuration into the speaker's settings, with messages that name the key at fault. */
    static SpeakerConfig speakerConfig(GatewayConfig.Bgp bgp) {
        long routerId;
        try {
            routerId = bgp.routerId()
                    .map(SpeakerConfig::routerId)
                    .orElse(bgp.peers().isEmpty() ? 1L : 0L);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("meshgw.bgp.router-id: " + e.getMessage(), e);
        }
        if (routerId == 0) {
            throw new IllegalArgumentException(
                    "meshgw.bgp.router-id is required when peers are configured (an IPv4 address)");
        }
        try {
            return new SpeakerConfig(bgp.localAsn(), routerId, InetAddress.ofLiteral(bgp.listenAddress()), bgp.port());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("meshgw.bgp: " + e.getMessage(), e);
        }
    }

    static List<PeerConfig> peerConfigs(GatewayConfig.Bgp bgp) {
        List<PeerConfig> out = new ArrayList<>();
        for (Map.Entry<String, GatewayConfig.Neighbor> e : bgp.peers().entrySet()) {
            String key = "meshgw.bgp.peers." + e.getKey();
            GatewayConfig.Neighbor n = e.getValue();
            try {
                FsmTimers d = FsmTimers.defaults();
                PeerConfig.Builder pc = PeerConfig.builder(e.getKey(), InetAddress.ofLiteral(n.address()), n.asn())
                        .passive(n.passive())
                        .timers(new FsmTimers(
                                d.connectRetry(),
                                Duration.ofSeconds(n.holdTime()),
                                Duration.ofSeconds(Math.max(1, n.holdTime() / 3)),
                                d.largeHold(),
                                d.idleHoldBase(),
                                d.idleHoldMax()));
                n.password().ifPresent(pc::md5Password);
                n.maxPrefixes().ifPresentOrElse(pc::maxPrefixes, () -> SpeakerPeers.defaultPrefixLimit(pc));
                n.gracefulRestart().ifPresent(pc::gracefulRestartSeconds);
                out.add(pc.build());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(key + ": " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    /** The peers configured in properties ({@code meshgw.bgp.peers.<name>}): the plan does not manage them. */
    public java.util.Set<String> propertyPeers() {
        return config.bgp().peers().keySet();
    }

    /** The gateway's own AS number. */
    public long localAsn() {
        return config.bgp().localAsn();
    }

    public boolean running() {
        return speaker != null;
    }

    public List<PeerStatus> peers() {
        return speaker == null ? List.of() : speaker.peers();
    }

    /** Connections from addresses that are not neighbors, reset unread, since the speaker started. */
    public long connectionsRefused() {
        return speaker == null ? 0 : speaker.connectionsRefused();
    }

    public List<BestRoute> bestRoutes() {
        return speaker == null ? List.of() : speaker.bestRoutesWithSource();
    }

    public Map<Prefix, RouteAttributes> acceptedRoutes(String peer) {
        return speaker == null ? Map.of() : speaker.acceptedRoutes(peer);
    }

    /** The speaker, for the parts of the gateway that announce and withdraw; empty when disabled. */
    public Optional<BgpSpeaker> speaker() {
        return Optional.ofNullable(speaker);
    }

    /** The sessions as the admin API shows them. */
    public List<PeerView> peerViews() {
        return peers().stream()
                .map(p -> new PeerView(
                        p.name(),
                        p.address(),
                        p.peerAsn(),
                        BgpAdapter.state(p.state()).name(),
                        p.establishedSince().map(Instant::toString).orElse(null),
                        p.prefixesReceived(),
                        p.prefixesAccepted(),
                        p.prefixesAdvertised(),
                        p.messagesReceived(),
                        p.messagesSent(),
                        p.flaps(),
                        p.lastError().orElse(null),
                        p.routeLeaks(),
                        BgpAdapter.droppedAttributes(p).stream()
                                .map(d -> new PeerView.DroppedAttribute(
                                        d.type(), d.name(), d.action(), d.cause(), d.count()))
                                .toList()))
                .toList();
    }

    /** The Loc-RIB's best routes as the admin API shows them. */
    public List<RouteView> bestRouteViews() {
        return bestRoutes().stream()
                .map(r -> RouteText.view(r.prefix().toString(), r.from(), r.attributes()))
                .toList();
    }

    /** What the session {@code peer} sent and import policy accepted; empty when there is no such session. */
    public Optional<List<RouteView>> acceptedRouteViews(String peer) {
        if (peers().stream().noneMatch(p -> p.name().equals(peer))) {
            return Optional.empty();
        }
        return Optional.of(acceptedRoutes(peer).entrySet().stream()
                .map(e -> RouteText.view(e.getKey().toString(), peer, e.getValue()))
                .toList());
    }
}
