package io.meshgw.bgp.speaker;

import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.policy.PolicyRoute;
import io.meshgw.bgp.rib.BestPathChange;
import io.meshgw.bgp.rib.LocRib;
import io.meshgw.bgp.rib.PathRank;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.Update;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One neighbor's Adj-RIB-In: what it sent (kept as received only with {@link
 * PeerConfig#keepPrePolicy()}), the import checks and import policy, and what was accepted. The
 * accepted paths live in the Loc-RIB under the neighbor's index, one per prefix, so they are not
 * stored twice; each change to them reports the best-path change it caused. Runs on the speaker's
 * thread.
 */
final class AdjRibIn {

    /**
     * One family's accepted routes crossed a threshold of its prefix limit (RFC 4486 §4).
     *
     * @param held the family's accepted routes
     * @param exceeded more than the limit (the session must be ceased); otherwise the warning share was reached, for
     *     the first time this session
     */
    record LimitCrossing(Afi family, int held, MaxPrefix limit, boolean exceeded) {

        /** RFC 4486 §4: the Cease data: AFI, SAFI (unicast) and the limit. */
        byte[] ceaseData() {
            int n = limit.limit();
            return new byte[] {
                0, (byte) family.code, 1, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n
            };
        }
    }

    private final int peer;
    private PeerConfig config;
    private final long localAsn;
    private final boolean ebgp;
    private final long[] addressKey;
    private final LocRib<Prefix, RouteAttributes> rib;
    private final Consumer<BestPathChange<Prefix, RouteAttributes>> changes;
    private final Map<Prefix, RouteAttributes> prePolicy = new HashMap<>();
    private long received;
    private long unnegotiated;
    /** The families of the session now up; every family while none is. */
    private final Set<Afi> families = EnumSet.allOf(Afi.class);

    /** The families warned of their limit this session. */
    private final Set<Afi> limitWarned = EnumSet.noneOf(Afi.class);

    /**
     * A Loc-RIB that counts each neighbor's paths per address family, as the prefix limits need, and holds IPv4
     * prefixes as numbers.
     */
    static LocRib<Prefix, RouteAttributes> locRib() {
        return new LocRib<>(p -> p.afi().ordinal(), Afi.values().length, Ipv4PrefixPacking.INSTANCE);
    }

    /**
     * @param peer the neighbor's index in the Loc-RIB
     * @param changes where the best-path changes the neighbor's routes cause go
     */
    AdjRibIn(
            int peer,
            PeerConfig config,
            long localAsn,
            LocRib<Prefix, RouteAttributes> rib,
            Consumer<BestPathChange<Prefix, RouteAttributes>> changes) {
        this.peer = peer;
        this.config = config;
        this.localAsn = localAsn;
        this.ebgp = config.peerAsn() != localAsn;
        this.addressKey = Ranking.addressKey(config.address());
        this.rib = rib;
        this.changes = changes;
    }

    /**
     * Takes in one UPDATE of an established session.
     *
     * @param treatAsWithdraw the decoder found an error that turns the announcements into
     *     withdrawals (RFC 7606 §2)
     * @param routerId the neighbor's BGP identifier, a tie-breaker of the decision process
     */
    List<LimitCrossing> apply(Update u, boolean treatAsWithdraw, long routerId) {
        List<Prefix> gone = new ArrayList<>(u.withdrawn());
        List<Prefix> classic = new ArrayList<>(u.nlri());
        List<Prefix> reached = new ArrayList<>();
        for (PathAttribute a : u.attributes()) {
            if (a instanceof PathAttribute.MpUnreachNlri m) {
                gone.addAll(m.withdrawn());
            } else if (a instanceof PathAttribute.MpReachNlri m) {
                reached.addAll(m.nlri());
            }
        }
        // RFC 4760 §7: NLRI of a family the session did not negotiate are ignored, never stored
        unnegotiated += dropUnnegotiated(gone) + dropUnnegotiated(classic) + dropUnnegotiated(reached);
        List<Prefix> announced = new ArrayList<>(classic);
        announced.addAll(reached);
        if (u.endOfRibFamily().isPresent()) {
            // RFC 4724 §4.2: what it did not send again of this family is gone; other families wait for theirs
            Afi family = u.endOfRibFamily().get();
            rib.sweepStale(peer, p -> p.afi() == family).forEach(changes);
            return List.of();
        }
        for (Prefix p : gone) {
            withdraw(p);
            prePolicy.remove(p);
        }
        if (announced.isEmpty()) {
            return List.of();
        }
        received += announced.size();
        if (treatAsWithdraw || loops(u)) {
            announced.forEach(this::withdraw);
            announced.forEach(prePolicy::remove); // not usable under any import policy either
            return List.of();
        }
        accept(u, classic, reached, routerId);
        return checkLimit();
    }

    private int dropUnnegotiated(List<Prefix> prefixes) {
        int before = prefixes.size();
        prefixes.removeIf(p -> !families.contains(p.afi()));
        return before - prefixes.size();
    }

    /** The session came up carrying {@code negotiated}: NLRI of other families are ignored until it ends. */
    void negotiated(Collection<Afi> negotiated) {
        families.clear();
        families.addAll(negotiated);
    }

    /** Prefixes announced or withdrawn in a family the session did not negotiate, ignored, since the peer was added. */
    long unnegotiated() {
        return unnegotiated;
    }

    /** RFC 4271 §9.1.2: a path that holds our own AS is a loop and is not used. */
    private boolean loops(Update u) {
        return u.attribute(PathAttribute.AsPath.class)
                .map(ap -> ap.flatten().contains(localAsn))
                .orElse(false);
    }

    /**
     * @param classic the UPDATE's own NLRI, whose next hop is NEXT_HOP
     * @param reached the NLRI of its MP_REACH_NLRI, whose next hop is in that attribute: IPv6 routes, and IPv4 routes
     *     with an IPv4 or (RFC 8950) an IPv6 next hop
     */
    private void accept(Update u, List<Prefix> classic, List<Prefix> reached, long routerId) {
        List<PathAttribute> base = u.attributes().stream()
                .filter(a -> !(a instanceof PathAttribute.MpReachNlri) && !(a instanceof PathAttribute.MpUnreachNlri))
                .toList();
        // The attributes are the same for every prefix of the UPDATE that shares a next hop: build and rank them once
        // per next hop, unless the import policy looks at the prefix.
        RouteAttributes plain = new RouteAttributes(base);
        RouteAttributes viaMp = u.attribute(PathAttribute.MpReachNlri.class)
                .map(m -> {
                    List<PathAttribute> l = new ArrayList<>(base);
                    l.add(m.withNlri(List.of()));
                    return new RouteAttributes(l);
                })
                .orElse(plain);
        acceptAll(classic, plain, routerId);
        acceptAll(reached, viaMp, routerId);
    }

    private void acceptAll(List<Prefix> announced, RouteAttributes shared, long routerId) {
        Policy policy = config.importPolicy();
        PathRank sharedRank = null;
        for (Prefix p : announced) {
            RouteAttributes ra = shared;
            if (config.keepPrePolicy()) {
                prePolicy.put(p, ra);
            }
            PathRank rank;
            if (policy.unconditional()) {
                if (!policy.acceptByDefault()) {
                    withdraw(p);
                    continue;
                }
                rank = sharedRank != null ? sharedRank : (sharedRank = rank(ra, routerId));
            } else {
                Optional<PolicyRoute> accepted = policy.evaluate(PolicyBridge.toPolicy(p, ra.attributes()));
                if (accepted.isEmpty()) {
                    withdraw(p);
                    continue;
                }
                ra = new RouteAttributes(PolicyBridge.apply(ra.attributes(), accepted.get()));
                rank = rank(ra, routerId);
            }
            rib.update(peer, p, ra, rank).ifPresent(changes);
        }
    }

    /**
     * Takes the neighbor's new configuration. A changed import policy is applied at once to the pre-policy Adj-RIB-In
     * when it was kept, under the old configuration and the new: each route it held is accepted, rewritten or
     * withdrawn as the new policy says, and only the best-path changes that causes go on. Without it the caller asks
     * the neighbor for its routes again ({@link #needsRefresh}).
     *
     * @param routerId the neighbor's BGP identifier, for the routes ranked again
     * @return the thresholds of its (maybe new) prefix limits the neighbor's routes cross
     */
    List<LimitCrossing> reconfigure(PeerConfig next, long routerId) {
        boolean reimport = !next.importPolicy().equals(config.importPolicy()) && !needsRefresh(next);
        boolean limitChanged = !next.maxPrefix().equals(config.maxPrefix());
        config = next;
        if (!next.keepPrePolicy()) {
            prePolicy.clear();
        }
        if (reimport) {
            prePolicy.forEach((p, ra) -> reimport(p, ra, routerId));
        }
        if (limitChanged) {
            limitWarned.clear(); // a new limit warns afresh
        }
        return checkLimit();
    }

    /**
     * Whether taking {@code next} needs the neighbor's routes again (RFC 2918): its import policy changed, or it keeps
     * the pre-policy Adj-RIB-In from now on, and what the neighbor sent was not kept as received.
     */
    boolean needsRefresh(PeerConfig next) {
        boolean kept = config.keepPrePolicy() && next.keepPrePolicy();
        boolean policy = !next.importPolicy().equals(config.importPolicy());
        return (policy && !kept) || (next.keepPrePolicy() && !config.keepPrePolicy());
    }

    /** One received route under the current import policy. */
    private void reimport(Prefix p, RouteAttributes received, long routerId) {
        Optional<PolicyRoute> accepted =
                config.importPolicy().evaluate(PolicyBridge.toPolicy(p, received.attributes()));
        if (accepted.isEmpty()) {
            withdraw(p);
            return;
        }
        RouteAttributes ra = new RouteAttributes(PolicyBridge.apply(received.attributes(), accepted.get()));
        rib.update(peer, p, ra, rank(ra, routerId)).ifPresent(changes);
    }

    private PathRank rank(RouteAttributes ra, long routerId) {
        return Ranking.rank(ra, config.peerAsn(), false, ebgp, routerId, addressKey);
    }

    /** Each family against its own limit: another family's routes never count toward it. */
    private List<LimitCrossing> checkLimit() {
        List<LimitCrossing> crossed = new ArrayList<>(0);
        for (Afi family : Afi.values()) {
            MaxPrefix limit = config.maxPrefix().get(family);
            if (limit == null) {
                continue;
            }
            int held = accepted(family);
            boolean warn =
                    !limitWarned.contains(family) && held * 100L >= (long) limit.limit() * limit.warningPercent();
            if (warn) {
                limitWarned.add(family);
            }
            if (held > limit.limit() || warn) {
                crossed.add(new LimitCrossing(family, held, limit, held > limit.limit()));
            }
        }
        return crossed;
    }

    private void withdraw(Prefix p) {
        rib.withdraw(peer, p).ifPresent(changes);
    }

    /**
     * RFC 4724 §4.2: the neighbor may be restarting; keep its paths, marked stale, until it sends
     * them again or {@link #sweepStale} runs.
     */
    void markStale() {
        rib.markStale(peer);
    }

    /**
     * The restarted neighbor is back: RFC 4724 §4.2, its stale paths of a family whose forwarding it did not keep (the
     * F bit clear, or the family or the capability missing in its new OPEN) go at once; the others wait for End-of-RIB.
     */
    void sweepStaleExcept(Set<Afi> forwardingPreserved) {
        rib.sweepStale(peer, p -> !forwardingPreserved.contains(p.afi())).forEach(changes);
    }

    /** Drops the paths still stale: End-of-RIB arrived, or the restart time ran out. */
    void sweepStale() {
        rib.sweepStale(peer).forEach(changes);
    }

    /** Drops every path of the neighbor (it went down without graceful restart, or was removed). */
    void withdrawAll() {
        rib.withdrawAll(peer).forEach(changes);
    }

    /** The session ended: a returning neighbor sends everything again and is warned afresh. */
    void sessionDown() {
        prePolicy.clear();
        limitWarned.clear();
        families.addAll(EnumSet.allOf(Afi.class));
    }

    /** Prefixes announced by the neighbor since it was added, rejected ones included. */
    long received() {
        return received;
    }

    /** Paths accepted and held (the post-policy Adj-RIB-In's size). */
    int accepted() {
        return rib.pathsFrom(peer);
    }

    /** Paths of {@code family} accepted and held. */
    int accepted(Afi family) {
        return rib.pathsFrom(peer, family.ordinal());
    }

    /** The pre-policy Adj-RIB-In; empty unless {@link PeerConfig#keepPrePolicy()}. */
    Map<Prefix, RouteAttributes> prePolicy() {
        return Map.copyOf(prePolicy);
    }

    /** The post-policy Adj-RIB-In. */
    Map<Prefix, RouteAttributes> postPolicy() {
        Map<Prefix, RouteAttributes> m = new LinkedHashMap<>();
        rib.forEachPath(peer, (prefix, path) -> m.put(prefix, path.attributes()));
        return m;
    }
}
