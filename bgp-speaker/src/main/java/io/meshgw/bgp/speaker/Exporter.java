package io.meshgw.bgp.speaker;

import io.meshgw.bgp.policy.PolicyRoute;
import io.meshgw.bgp.rib.LocRib;
import io.meshgw.bgp.rib.Path;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.CodecOptions;
import io.meshgw.bgp.wire.MessageEncoder;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.Update;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what one neighbor is sent for a best path, and with which attributes: split horizon,
 * the iBGP rule, next hop self, our AS prepended toward eBGP, LOCAL_PREF and MED as RFC 4271
 * §5.1 wants them, the Only-to-Customer rules of our role (RFC 9234 §5), then the neighbor's export policy. Lives as long as its neighbor; the session
 * parameters it depends on (our address on the connection, the negotiated families) are set
 * when the session comes up.
 */
final class Exporter {

    /** Bounded: attribute sets churn over a session's life. */
    private static final int CACHE_LIMIT = 65_536;

    /** Export results by source attributes (interned, so compared by identity), source peer and family. */
    private record ExportKey(RouteAttributes attributes, int fromPeer, Afi afi) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ExportKey k && k.attributes == attributes && k.fromPeer == fromPeer && k.afi == afi;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(attributes) * 31 + fromPeer * 7 + afi.ordinal();
        }

        boolean matches(Path<RouteAttributes> path, Prefix prefix) {
            return attributes == path.attributes() && fromPeer == path.peer() && afi == prefix.afi();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Exporter.class);

    private final int peer;
    private final PeerConfig config;
    private final long localAsn;
    private final boolean ebgp;
    private final IntPredicate learnedOverIbgp;
    private final Map<ExportKey, RouteAttributes> cache = new HashMap<>();
    /**
     * The two keys looked up last and their results: the prefixes of one UPDATE follow each other with one source, and
     * a change of best path asks for the old source and the new one in turn.
     */
    private ExportKey lastKey;

    private RouteAttributes lastExport;
    private ExportKey previousKey;
    private RouteAttributes previousExport;
    private CodecOptions options = CodecOptions.MODERN;
    private long unencodable;
    private final SessionNextHops.Interfaces interfaces;
    private Set<Afi> families = Set.of();
    private Optional<InetAddress> localAddress = Optional.empty();
    private boolean extendedNextHop;
    private SessionNextHops nextHops = SessionNextHops.NONE;
    /** Negotiated families announced nothing for want of a next hop, and why. */
    private Map<Afi, String> withheld = Map.of();

    /**
     * @param peer the neighbor's index in the Loc-RIB
     * @param learnedOverIbgp whether the peer of a given index is an internal one
     */
    Exporter(int peer, PeerConfig config, long localAsn, IntPredicate learnedOverIbgp) {
        this(peer, config, localAsn, learnedOverIbgp, SessionNextHops.Interfaces.SYSTEM);
    }

    /** @param interfaces where a next hop of the other family than the session's is found */
    Exporter(
            int peer,
            PeerConfig config,
            long localAsn,
            IntPredicate learnedOverIbgp,
            SessionNextHops.Interfaces interfaces) {
        this.interfaces = interfaces;
        this.peer = peer;
        this.config = config;
        this.localAsn = localAsn;
        this.ebgp = config.peerAsn() != localAsn;
        this.learnedOverIbgp = learnedOverIbgp;
    }

    /**
     * The session is up.
     *
     * @param localAddress our address on the connection, from which the session's next hops follow
     * @param families the families both sides carry
     * @param extendedNextHop both sides negotiated IPv4 routes with IPv6 next hops (RFC 8950)
     */
    void sessionUp(Optional<InetAddress> localAddress, List<Afi> families, boolean extendedNextHop) {
        forget(); // results depend on all of them
        this.localAddress = localAddress;
        this.families = Set.copyOf(families);
        this.extendedNextHop = extendedNextHop;
        settleNextHops();
    }

    private void settleNextHops() {
        nextHops = SessionNextHops.of(localAddress, config, interfaces);
        Map<Afi, String> missing = new java.util.EnumMap<>(Afi.class);
        for (Afi family : families) {
            if (nextHop(family) == null) {
                missing.put(family, nextHops.missing(family));
                LOG.warn("peer {}: no {} routes announced: {}", config.name(), family, nextHops.missing(family));
            }
        }
        withheld = Map.copyOf(missing);
    }

    /** The families the session carries but announces nothing in for want of a next hop, and why. */
    Map<Afi, String> withheld() {
        return withheld;
    }

    /** The session's message format (its maximum length above all): a route whose UPDATE cannot fit is not sent. */
    void messageFormat(CodecOptions options) {
        forget();
        this.options = options;
    }

    /** An exporter for the same neighbor and session with the export settings of {@code next}. */
    Exporter reconfigured(PeerConfig next) {
        Exporter e = new Exporter(peer, next, localAsn, learnedOverIbgp, interfaces);
        e.families = families;
        e.localAddress = localAddress;
        e.extendedNextHop = extendedNextHop;
        e.options = options;
        if (localAddress.isPresent()) {
            e.settleNextHops(); // the configured IPv6 next hop may have changed
        }
        return e;
    }

    /** Routes not sent because their attributes do not fit one UPDATE of the session, since it was configured. */
    long unencodable() {
        return unencodable;
    }

    /** The session is gone; the next one may have another address and other families. */
    void sessionDown() {
        forget();
        families = Set.of();
        localAddress = Optional.empty();
        extendedNextHop = false;
        nextHops = SessionNextHops.NONE;
        withheld = Map.of();
    }

    /** The attributes the neighbor receives for {@code path}, or null when it must not get it. */
    RouteAttributes export(Prefix prefix, Path<RouteAttributes> path) {
        if (!config.exportPolicy().unconditional()) {
            return compute(prefix, path);
        }
        // Same source attributes, same family and peer -> same result: reuse it.
        if (lastKey != null && lastKey.matches(path, prefix)) {
            return lastExport;
        }
        if (previousKey != null && previousKey.matches(path, prefix)) {
            return previousExport;
        }
        var key = new ExportKey(path.attributes(), path.peer(), prefix.afi());
        RouteAttributes result = cache.get(key);
        if (result == null && !cache.containsKey(key)) {
            result = compute(prefix, path);
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(key, result);
        }
        previousKey = lastKey;
        previousExport = lastExport;
        lastKey = key;
        lastExport = result;
        return result;
    }

    private void forget() {
        cache.clear();
        lastKey = null;
        lastExport = null;
        previousKey = null;
        previousExport = null;
    }

    private RouteAttributes compute(Prefix prefix, Path<RouteAttributes> path) {
        if (path.peer() == peer) {
            return null; // split horizon: never back to where it came from
        }
        if (!ebgp && learnedOverIbgp.test(path.peer())) {
            return null; // RFC 4271 §9.2: iBGP-learned routes are not sent to iBGP peers
        }
        PathAttribute nextHop = families.contains(prefix.afi()) ? nextHop(prefix.afi()) : null;
        if (nextHop == null) {
            return null; // a family without a next hop was logged when the session came up
        }
        List<PathAttribute> out = new ArrayList<>();
        for (PathAttribute a : path.attributes().attributes()) {
            switch (a) {
                // RFC 4271 §5.1.2: toward an external peer our AS goes in front
                case PathAttribute.AsPath ap -> out.add(ebgp ? Ranking.prepend(ap, localAsn) : ap);
                // the next hop is ours (below)
                case PathAttribute.NextHop nh -> {}
                case PathAttribute.MpReachNlri mp -> {}
                // RFC 4271 §5.1.5: LOCAL_PREF is for internal peers only
                case PathAttribute.LocalPref lp -> {
                    if (!ebgp) {
                        out.add(lp);
                    }
                }
                // RFC 4271 §5.1.4: a MED learned from a neighbouring AS is not passed to another one
                case PathAttribute.MultiExitDisc med -> {
                    if (!ebgp || path.peer() == LocRib.LOCAL) {
                        out.add(med);
                    }
                }
                default -> out.add(a);
            }
        }
        if (ebgp
                && config.localRole().isPresent()
                && !onlyToCustomer(out, config.localRole().get())) {
            return null;
        }
        if (!ebgp && out.stream().noneMatch(a -> a instanceof PathAttribute.LocalPref)) {
            out.add(new PathAttribute.LocalPref(100)); // RFC 4271 §5.1.5: internal peers always get one
        }
        out.add(nextHop);
        Optional<PolicyRoute> exported =
                config.exportPolicy().evaluate(PolicyBridge.toPolicy(prefix, out, path.peer() == LocRib.LOCAL));
        RouteAttributes result = exported.map(r -> new RouteAttributes(PolicyBridge.apply(out, r)))
                .orElse(null);
        if (result != null && !fits(prefix, result)) {
            // Not an exception in the middle of a flush (the peers after this one would miss the batch): the route
            // is not this neighbor's, so a version it holds is withdrawn, and the other neighbors get theirs.
            if (unencodable++ == 0) {
                LOG.warn(
                        "peer {}: {} not announced: its attributes do not fit a {}-byte UPDATE; withdrawn toward"
                                + " this peer only (later ones are counted, not logged)",
                        config.name(),
                        prefix,
                        options.maxMessageLength());
            }
            return null;
        }
        return result;
    }

    /**
     * Whether one UPDATE announcing {@code prefix} with {@code attrs} fits the session's maximum length. A generous
     * size estimate answers for ordinary routes; only a route near the limit is encoded to know.
     */
    private boolean fits(Prefix prefix, RouteAttributes attrs) {
        int estimate = 23 + 40; // header, lengths, one prefix and an MP_REACH_NLRI's fixed part
        for (PathAttribute a : attrs.attributes()) {
            estimate += 4
                    + switch (a) {
                        case PathAttribute.Communities c -> 4 * c.values().size();
                        case PathAttribute.ExtendedCommunities c ->
                            8 * c.values().size();
                        case PathAttribute.LargeCommunities c -> 12 * c.values().size();
                        case PathAttribute.AsPath ap ->
                            ap.segments().stream()
                                    .mapToInt(g -> 2 + 4 * g.asns().size())
                                    .sum();
                        case PathAttribute.As4Path ap ->
                            ap.segments().stream()
                                    .mapToInt(g -> 2 + 4 * g.asns().size())
                                    .sum();
                        case PathAttribute.Unknown u -> u.value().length;
                        default -> 40;
                    };
        }
        if (estimate <= options.maxMessageLength()) {
            return true;
        }
        // the longest prefix of the family, so the answer holds for every prefix these attributes are cached for
        List<Prefix> nlri =
                List.of(new Prefix(prefix.afi(), new byte[prefix.afi().addressBytes], prefix.afi().addressBytes * 8));
        List<PathAttribute> all = new ArrayList<>();
        for (PathAttribute a : attrs.attributes()) {
            if (a instanceof PathAttribute.MpReachNlri m) {
                all.add(m.withNlri(nlri));
                nlri = List.of();
            } else {
                all.add(a);
            }
        }
        try {
            MessageEncoder.encode(new Update(List.of(), all, nlri), options);
            return true;
        } catch (IllegalArgumentException tooLong) {
            return false;
        }
    }

    /**
     * RFC 9234 §5, the egress procedure: a route marked Only-to-Customer does not go to a provider, a lateral peer or
     * a route server; one going to a customer, a lateral peer or a route-server client gets marked with our AS.
     *
     * @return false when the route must not be sent
     */
    private boolean onlyToCustomer(List<PathAttribute> out, BgpRole role) {
        boolean marked = out.stream().anyMatch(a -> a instanceof PathAttribute.OnlyToCustomer);
        if (marked && role.neighborIsProviderPeerOrRs()) {
            return false;
        }
        if (!marked && role.neighborIsCustomerPeerOrRsClient()) {
            out.add(new PathAttribute.OnlyToCustomer(localAsn));
        }
        return true;
    }

    /**
     * Our next hop for a route of {@code family}, as the attribute that carries it: NEXT_HOP for IPv4, or an
     * MP_REACH_NLRI without NLRI (the UPDATE fills them in) for IPv6 and for IPv4 over an IPv6 session that negotiated
     * RFC 8950; null when the session has none for the family.
     */
    private PathAttribute nextHop(Afi family) {
        Optional<byte[]> ipv6 = nextHops.ipv6Bytes();
        return switch (family) {
            case IPV6 ->
                ipv6.map(nh -> new PathAttribute.MpReachNlri(Afi.IPV6, 1, nh, List.of()))
                        .orElse(null);
            case IPV4 -> {
                if (extendedNextHop && localAddress.orElse(null) instanceof java.net.Inet6Address) {
                    // RFC 8950 §4: the IPv4 route goes in MP_REACH_NLRI with the IPv6 next hop of the session
                    yield ipv6.map(nh -> new PathAttribute.MpReachNlri(Afi.IPV4, 1, nh, List.of()))
                            .orElse(null);
                }
                yield nextHops.ipv4()
                        .map(a -> (PathAttribute) new PathAttribute.NextHop(a.getAddress()))
                        .orElse(null);
            }
        };
    }

    /** Whether IPv4 routes go in MP_REACH_NLRI on this session (RFC 8950), so their withdrawals go in MP_UNREACH. */
    boolean ipv4InMpReach() {
        return nextHop(Afi.IPV4) instanceof PathAttribute.MpReachNlri;
    }
}
