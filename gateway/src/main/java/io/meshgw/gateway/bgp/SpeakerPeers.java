package io.meshgw.gateway.bgp;

import io.meshgw.bgp.fsm.FsmTimers;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.speaker.BgpRole;
import io.meshgw.bgp.speaker.MaxPrefix;
import io.meshgw.bgp.speaker.PeerConfig;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.AttributeScreen;
import io.meshgw.operator.crd.AddressFamily;
import io.meshgw.operator.crd.SessionRole;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A session of the plan as the speaker's peer configuration: a pure mapping, named by the BgpPeer's key. */
final class SpeakerPeers {

    /**
     * The prefix limit of each family a session names none for: a router that leaks a full table into a gateway meant
     * to learn a datacenter's prefixes is stopped (Cease, RFC 4486) before it fills the gateway's memory, and tried
     * again later.
     */
    static final int DEFAULT_MAX_PREFIXES = 100_000;

    static final Duration DEFAULT_RESTART_AFTER = Duration.ofMinutes(15);

    private SpeakerPeers() {}

    /**
     * {@link #DEFAULT_MAX_PREFIXES} for each family without a limit of its own, warned of at 90 %, started again after
     * {@link #DEFAULT_RESTART_AFTER}.
     */
    static void defaultPrefixLimit(PeerConfig.Builder pc) {
        pc.maxPrefixes(DEFAULT_MAX_PREFIXES);
        pc.maxPrefixRestart(DEFAULT_RESTART_AFTER);
    }

    static PeerConfig of(io.meshgw.operator.plan.PeerConfig peer, long speakerAsn) {
        if (peer.localAsn() != speakerAsn) {
            throw new IllegalArgumentException("BgpPeer " + peer.peer() + ": local ASN " + peer.localAsn()
                    + " differs from the gateway's ASN " + speakerAsn
                    + " (meshgw.bgp.local-asn); one gateway speaks as one AS");
        }
        PeerConfig.Builder pc =
                PeerConfig.builder(peer.peer().toString(), peer.peerAddress().toInetAddress(), peer.peerAsn());
        peer.localAddress().ifPresent(a -> pc.localAddress(a.toInetAddress()));
        Set<Afi> families = EnumSet.noneOf(Afi.class);
        for (AddressFamily f : peer.families()) {
            families.add(afi(f));
        }
        if (!families.isEmpty()) {
            pc.families(families);
        }
        var t = peer.timers();
        FsmTimers d = FsmTimers.defaults();
        pc.timers(new FsmTimers(
                Duration.ofSeconds(t.connectRetrySeconds()),
                Duration.ofSeconds(t.holdSeconds()),
                Duration.ofSeconds(t.keepaliveSeconds()),
                d.largeHold(),
                d.idleHoldBase(),
                d.idleHoldMax(),
                t.sendHoldSeconds().isPresent()
                        ? Optional.of(Duration.ofSeconds(t.sendHoldSeconds().getAsInt()))
                        : Optional.empty()));
        peer.tcpMd5Password().ifPresent(pc::md5Password);
        if (peer.gtsm()) {
            // RFC 5082 §3: every packet leaves with TTL 255; the multihop TTL counts the hops to the router
            pc.gtsmHops(peer.multihopTtl().orElse(1));
        } else {
            peer.multihopTtl().ifPresent(pc::multihopTtl);
        }
        peer.gracefulRestartSeconds().ifPresent(pc::gracefulRestartSeconds);
        // each family counted on its own, as FRR and BIRD do; a family without a limit gets the default one
        for (var m : peer.maxPrefix()) {
            pc.maxPrefix(
                    afi(m.family()),
                    new MaxPrefix(
                            (int) Math.min(Integer.MAX_VALUE, m.limit()),
                            m.warningPercent().orElse(90),
                            m.restartAfterMinutes().isPresent()
                                    ? Optional.of(Duration.ofMinutes(
                                            m.restartAfterMinutes().getAsInt()))
                                    : Optional.empty()));
        }
        defaultPrefixLimit(pc);
        peer.localRole().ifPresent(r -> pc.localRole(role(r)));
        pc.strictRole(peer.strictRole());
        pc.attributeScreen(screen(peer.pathAttributes()));
        peer.ipv6NextHop().ifPresent(a -> pc.ipv6NextHop(a.toInetAddress()));
        pc.extendedNextHop(peer.extendedNextHop());
        peer.importPolicy().ifPresent(p -> pc.importPolicy(PolicyTranslation.of(p, speakerAsn)));
        // Without an export policy the gateway announces what it originates (VIPs, egress addresses) and nothing
        // it learned: it is not a transit for the datacenter's routes. "Originated" is the route's source, never its
        // AS path: an iBGP router's own routes (its default route too) arrive with an empty path, like ours.
        pc.exportPolicy(peer.exportPolicy()
                .map(p -> PolicyTranslation.of(p, speakerAsn))
                .orElseGet(Policy::originatedOnly));
        return pc.build();
    }

    private static AttributeScreen screen(io.meshgw.operator.plan.PeerConfig.PathAttributes a) {
        Map<Integer, AttributeScreen.Action> actions = new HashMap<>();
        a.relay().forEach(t -> actions.put(t, AttributeScreen.Action.RELAY));
        a.discard().forEach(t -> actions.put(t, AttributeScreen.Action.DISCARD));
        a.treatAsWithdraw().forEach(t -> actions.put(t, AttributeScreen.Action.TREAT_AS_WITHDRAW));
        return new AttributeScreen(actions);
    }

    private static Afi afi(AddressFamily f) {
        return switch (f) {
            case IPV4_UNICAST -> Afi.IPV4;
            case IPV6_UNICAST -> Afi.IPV6;
        };
    }

    private static BgpRole role(SessionRole r) {
        return switch (r) {
            case PROVIDER -> BgpRole.PROVIDER;
            case CUSTOMER -> BgpRole.CUSTOMER;
            case PEER -> BgpRole.PEER;
            case RS_SERVER -> BgpRole.RS_SERVER;
            case RS_CLIENT -> BgpRole.RS_CLIENT;
        };
    }
}
