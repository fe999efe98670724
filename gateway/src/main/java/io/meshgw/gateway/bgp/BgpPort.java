package io.meshgw.gateway.bgp;

import io.meshgw.bgp.fsm.FsmTimers;
import io.meshgw.bgp.speaker.BestRoute;
import io.meshgw.bgp.speaker.BgpSpeaker;
import io.meshgw.bgp.speaker.PeerStatus;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.operator.port.Announcement;
import io.meshgw.operator.port.BgpControl;
import io.meshgw.operator.port.BgpSessions;
import io.meshgw.operator.port.LearnedRoute;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerConfig;
import io.meshgw.operator.port.PeerSession;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The BGP speaker as the operator drives it: BgpPeer objects become sessions (named by their
 * object key), announcements become originated host routes, and the speaker's sessions and
 * Loc-RIB are read back for status and LegacyServices.
 */
@ApplicationScoped
public class BgpPort implements BgpControl, BgpSessions {

    private static final Logger LOG = Logger.getLogger(BgpPort.class);

    private final BgpService bgp;
    private final Map<ObjectKey, PeerConfig> peers = new TreeMap<>();
    private final Map<String, Announcement> announced = new TreeMap<>();

    BgpPort(BgpService bgp) {
        this.bgp = bgp;
    }

    private BgpSpeaker speaker() {
        return bgp.speaker()
                .orElseThrow(() -> new IllegalStateException("the BGP speaker is disabled (meshgw.bgp.enabled=false)"));
    }

    @Override
    public synchronized void applyPeer(PeerConfig peer) {
        BgpSpeaker s = speaker();
        io.meshgw.bgp.speaker.PeerConfig pc = speakerPeer(peer, bgp.localAsn());
        if (peers.containsKey(peer.peer())) {
            s.removePeer(peer.peer().toString()); // a changed session is re-established
        }
        s.addPeer(pc);
        peers.put(peer.peer(), peer);
        LOG.infof("BGP peer %s applied: %s", peer.peer(), peer);
    }

    /** The operator's resolved BgpPeer as the speaker's session configuration. */
    static io.meshgw.bgp.speaker.PeerConfig speakerPeer(PeerConfig peer, long speakerAsn) {
        if (peer.localAsn() != speakerAsn) {
            throw new IllegalArgumentException("local ASN " + peer.localAsn() + " differs from the gateway's ASN "
                    + speakerAsn + " (meshgw.bgp.local-asn); one gateway speaks as one AS");
        }
        io.meshgw.bgp.speaker.PeerConfig.Builder pc = io.meshgw.bgp.speaker.PeerConfig.builder(
                peer.peer().toString(), InetAddress.ofLiteral(peer.peerAddress()), peer.peerAsn());
        if (peer.localAddress() != null) {
            pc.localAddress(InetAddress.ofLiteral(peer.localAddress()));
        }
        Set<Afi> families = EnumSet.noneOf(Afi.class);
        for (String f : peer.families()) {
            families.add(
                    switch (f) {
                        case "ipv4-unicast" -> Afi.IPV4;
                        case "ipv6-unicast" -> Afi.IPV6;
                        default -> throw new IllegalArgumentException("address family " + f + " is not supported");
                    });
        }
        if (!families.isEmpty()) {
            pc.families(families);
        }
        if (peer.holdTime() != null) {
            FsmTimers d = FsmTimers.defaults();
            int keepalive = peer.keepalive() != null ? peer.keepalive() : Math.max(1, peer.holdTime() / 3);
            pc.timers(new FsmTimers(
                    peer.connectRetry() != null ? Duration.ofSeconds(peer.connectRetry()) : d.connectRetry(),
                    Duration.ofSeconds(peer.holdTime()),
                    Duration.ofSeconds(keepalive),
                    d.largeHold(),
                    d.idleHoldBase(),
                    d.idleHoldMax()));
        }
        if (peer.tcpMd5Password() != null) {
            pc.md5Password(peer.tcpMd5Password());
        }
        if (peer.gtsm()) {
            pc.gtsmHops(peer.multihopTtl() != null ? peer.multihopTtl() : 1);
        }
        if (peer.gracefulRestartTime() != null) {
            pc.gracefulRestartSeconds(peer.gracefulRestartTime());
        }
        if (!peer.maxPrefix().isEmpty()) {
            PeerConfig.MaxPrefix tightest = peer.maxPrefix().stream()
                    .min((a, b) -> Long.compare(a.limit(), b.limit()))
                    .orElseThrow();
            pc.maxPrefixes((int) Math.min(Integer.MAX_VALUE, tightest.limit()));
            if (tightest.warningPercent() != null) {
                pc.maxPrefixWarningPercent(tightest.warningPercent());
            }
        }
        if (peer.importPolicy() != null) {
            pc.importPolicy(PolicyTranslation.of(peer.importPolicy(), speakerAsn));
        }
        // Without an export policy the gateway announces what it originates (VIPs, egress
        // addresses) and nothing it learned: it is not a transit for the datacenter's routes.
        pc.exportPolicy(
                peer.exportPolicy() != null
                        ? PolicyTranslation.of(peer.exportPolicy(), speakerAsn)
                        : PolicyTranslation.originatedOnly(speakerAsn));
        return pc.build();
    }

    @Override
    public synchronized void removePeer(ObjectKey peer) {
        if (peers.remove(peer) != null) {
            speaker().removePeer(peer.toString());
            LOG.infof("BGP peer %s removed", peer);
        }
    }

    @Override
    public synchronized Map<ObjectKey, PeerConfig> appliedPeers() {
        return Map.copyOf(peers);
    }

    private volatile Runnable beforeAnnounce = () -> {};

    /** Runs before every announcement: the datapath writes what the route will lead to first. */
    public void beforeAnnounce(Runnable hook) {
        this.beforeAnnounce = hook;
    }

    @Override
    public synchronized void announce(Announcement a) {
        beforeAnnounce.run();
        List<Long> communities = a.communities().stream()
                .map(io.meshgw.bgp.policy.PolicyRoute::community)
                .toList();
        List<PathAttribute> extra =
                communities.isEmpty() ? List.of() : List.of(new PathAttribute.Communities(communities));
        speaker().originate(Prefix.parse(a.prefix()), extra);
        announced.put(a.prefix(), a);
        LOG.infof("announcing %s for %s", a.prefix(), a.owner());
    }

    @Override
    public synchronized void withdraw(String prefix) {
        if (announced.remove(prefix) != null) {
            speaker().withdraw(Prefix.parse(prefix));
            LOG.infof("withdrew %s", prefix);
        }
    }

    @Override
    public synchronized Map<String, Announcement> announcements() {
        return Map.copyOf(announced);
    }

    @Override
    public synchronized Map<ObjectKey, PeerSession> sessions() {
        Map<String, PeerStatus> byName = new LinkedHashMap<>();
        bgp.peers().forEach(p -> byName.put(p.name(), p));
        Map<ObjectKey, PeerSession> out = new TreeMap<>();
        for (ObjectKey key : peers.keySet()) {
            PeerStatus st = byName.get(key.toString());
            if (st != null) {
                out.put(
                        key,
                        new PeerSession(
                                stateName(st.state()),
                                st.establishedSince().orElse(null),
                                st.prefixesReceived(),
                                st.prefixesAccepted(),
                                st.prefixesAdvertised(),
                                st.lastError().orElse(null)));
            }
        }
        return out;
    }

    /** RFC 4271 §8.2.2 state names, as BgpPeer status shows them. */
    static String stateName(io.meshgw.bgp.fsm.State s) {
        return switch (s) {
            case IDLE -> "Idle";
            case CONNECT -> "Connect";
            case ACTIVE -> "Active";
            case OPEN_SENT -> "OpenSent";
            case OPEN_CONFIRM -> "OpenConfirm";
            case ESTABLISHED -> "Established";
        };
    }

    @Override
    public List<LearnedRoute> learnedRoutes() {
        Map<String, ObjectKey> keys = new LinkedHashMap<>();
        synchronized (this) {
            peers.keySet().forEach(k -> keys.put(k.toString(), k));
        }
        List<LearnedRoute> out = new ArrayList<>();
        for (BestRoute r : bgp.bestRoutes()) {
            ObjectKey peer = keys.get(r.from());
            if (peer == null) {
                continue; // originated here, or from a peer configured in properties
            }
            out.add(new LearnedRoute(
                    r.prefix().toString(),
                    RouteText.nextHop(r.attributes()).orElse(null),
                    peer,
                    RouteText.communities(r.attributes()),
                    r.attributes()
                            .get(PathAttribute.LargeCommunities.class)
                            .map(c -> c.values().stream()
                                    .map(v -> v.global() + ":" + v.local1() + ":" + v.local2())
                                    .toList())
                            .orElse(List.of())));
        }
        return out;
    }
}
