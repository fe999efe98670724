package io.meshgw.bgp.speaker;

import io.meshgw.bgp.fsm.FsmTimers;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.AttributeScreen;
import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One BGP neighbor. Build one with {@link #builder}; {@link #toBuilder} starts from an existing one.
 *
 * @param name a unique name for logs, metrics and the API
 * @param address the neighbor's address
 * @param peerAsn the neighbor's AS; equal to ours makes it iBGP
 * @param port the neighbor's BGP port (179 normally)
 * @param passive only accept the neighbor's connections, never dial
 * @param timers FSM timers
 * @param md5Password TCP-MD5 key (RFC 2385), if any
 * @param gtsmHops GTSM (RFC 5082) for a neighbor that many routers away, 1..254: every packet leaves with TTL 255 and
 *     only packets that arrive with TTL {@code 256 - gtsmHops} or more are taken (255 for a directly connected one)
 * @param multihopTtl eBGP multihop without GTSM: packets leave with this TTL, 1..255, so they cross that many routers;
 *     empty leaves the system's default. With GTSM it must be empty or equal {@code gtsmHops}, which then counts the
 *     hops
 * @param families the address families to negotiate
 * @param gracefulRestartSeconds advertise graceful restart (RFC 4724) for {@code families} with
 *     this restart time; empty disables it
 * @param maxPrefix the prefix limit of each family that has one, each family's routes counted on their own; a
 *     family of {@code families} only
 * @param importPolicy applied to routes from the neighbor
 * @param exportPolicy applied to routes toward the neighbor (reject-all by default, RFC 8212)
 * @param ipv6NextHop the global IPv6 next hop to advertise over this session, overriding the one the session derives
 *     (its own IPv6 address, or a global address of the interface it runs on); see {@link SessionNextHops}
 * @param localAddress the source address to dial from, if not the routing table's choice
 * @param keepPrePolicy keep the Adj-RIB-In as received, before import policy (soft reconfiguration
 *     inbound), so policy changes need no ROUTE-REFRESH and operators can see what was filtered
 * @param localRole our RFC 9234 role on an eBGP session, announced in the Role capability and enforced with the
 *     Only-to-Customer attribute; empty for none. Ignored on iBGP sessions.
 * @param strictRole refuse a neighbor that does not announce its role (RFC 9234 §4.2 strict mode); needs
 *     {@code localRole}
 * @param attributeScreen what the session keeps, discards or withdraws on among the attributes it receives
 * @param extendedNextHop negotiate RFC 8950 for IPv4 unicast with IPv6 next hops, and refuse a neighbor that does not:
 *     over an IPv6 session IPv4 routes then carry the IPv6 next hop, so an IPv6-only fabric carries IPv4 routes. Needs
 *     the IPv4 family.
 */
public record PeerConfig(
        String name,
        InetAddress address,
        long peerAsn,
        int port,
        boolean passive,
        FsmTimers timers,
        Optional<String> md5Password,
        OptionalInt gtsmHops,
        OptionalInt multihopTtl,
        Set<Afi> families,
        OptionalInt gracefulRestartSeconds,
        Map<Afi, MaxPrefix> maxPrefix,
        Policy importPolicy,
        Policy exportPolicy,
        Optional<InetAddress> ipv6NextHop,
        Optional<InetAddress> localAddress,
        boolean keepPrePolicy,
        Optional<BgpRole> localRole,
        boolean strictRole,
        AttributeScreen attributeScreen,
        boolean extendedNextHop) {

    public PeerConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a peer needs a name");
        }
        if (peerAsn < 1 || peerAsn > 0xFFFFFFFFL || peerAsn == 23456) {
            throw new IllegalArgumentException("peer " + name + ": peerAsn " + peerAsn + " is not a usable AS number");
        }
        if (families.isEmpty()) {
            throw new IllegalArgumentException("peer " + name + ": at least one address family is needed");
        }
        for (Afi family : maxPrefix.keySet()) {
            if (!families.contains(family)) {
                throw new IllegalArgumentException("peer " + name + ": a prefix limit for " + family
                        + ", a family the session does not carry (" + families + ")");
            }
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("peer " + name + ": port " + port + " is outside 1..65535");
        }
        checkTtl(name, gtsmHops, multihopTtl);
        if (strictRole && localRole.isEmpty()) {
            throw new IllegalArgumentException("peer " + name + ": strictRole needs a localRole");
        }
        if (extendedNextHop && !families.contains(Afi.IPV4)) {
            throw new IllegalArgumentException("peer " + name + ": extendedNextHop carries IPv4 routes with IPv6 next"
                    + " hops (RFC 8950), but the session's families " + families + " have no IPv4");
        }
        if (ipv6NextHop.isPresent() && !(ipv6NextHop.get() instanceof java.net.Inet6Address)) {
            throw new IllegalArgumentException(
                    "peer " + name + ": ipv6NextHop " + ipv6NextHop.get().getHostAddress() + " is not an IPv6 address");
        }
        families = Set.copyOf(families);
        maxPrefix = Map.copyOf(maxPrefix);
    }

    /** RFC 5082 §3: GTSM sends with TTL 255, so a hop count says which TTL arrives, and a second TTL contradicts it. */
    private static void checkTtl(String name, OptionalInt gtsmHops, OptionalInt multihopTtl) {
        if (gtsmHops.isPresent() && (gtsmHops.getAsInt() < 1 || gtsmHops.getAsInt() > 254)) {
            throw new IllegalArgumentException("peer " + name + ": gtsmHops " + gtsmHops.getAsInt()
                    + " is outside 1..254 (GTSM accepts TTL 256 - hops, and TTL 1 is no protection)");
        }
        if (multihopTtl.isPresent() && (multihopTtl.getAsInt() < 1 || multihopTtl.getAsInt() > 255)) {
            throw new IllegalArgumentException(
                    "peer " + name + ": multihopTtl " + multihopTtl.getAsInt() + " is outside 1..255");
        }
        if (gtsmHops.isPresent() && multihopTtl.isPresent() && gtsmHops.getAsInt() != multihopTtl.getAsInt()) {
            throw new IllegalArgumentException("peer " + name + ": gtsmHops " + gtsmHops.getAsInt()
                    + " and multihopTtl "
                    + multihopTtl.getAsInt() + " contradict each other: with GTSM every packet leaves with TTL 255 and"
                    + " the hop count alone says which arrive; set gtsmHops to the hops to the neighbor");
        }
    }

    /**
     * A neighbor with defaults for everything not set: port 179, active, RFC timers, IPv4 unicast,
     * no TCP-MD5, GTSM, graceful restart or prefix limit, accept everything in, nothing out.
     */
    public static Builder builder(String name, InetAddress address, long peerAsn) {
        return new Builder(name, address, peerAsn);
    }

    /** A builder holding this configuration, to derive another from it. */
    public Builder toBuilder() {
        Builder b = new Builder(name, address, peerAsn);
        b.port = port;
        b.passive = passive;
        b.timers = timers;
        b.md5Password = md5Password;
        b.gtsmHops = gtsmHops;
        b.multihopTtl = multihopTtl;
        b.families = families;
        b.gracefulRestartSeconds = gracefulRestartSeconds;
        b.maxPrefix.putAll(maxPrefix);
        b.importPolicy = importPolicy;
        b.exportPolicy = exportPolicy;
        b.ipv6NextHop = ipv6NextHop;
        b.localAddress = localAddress;
        b.keepPrePolicy = keepPrePolicy;
        b.attributeScreen = attributeScreen;
        b.localRole = localRole;
        b.strictRole = strictRole;
        b.extendedNextHop = extendedNextHop;
        return b;
    }

    /** Collects a neighbor's settings; {@link #build} checks them. */
    public static final class Builder {
        private final String name;
        private final InetAddress address;
        private final long peerAsn;
        private int port = 179;
        private boolean passive;
        private FsmTimers timers = FsmTimers.defaults();
        private Optional<String> md5Password = Optional.empty();
        private OptionalInt gtsmHops = OptionalInt.empty();
        private OptionalInt multihopTtl = OptionalInt.empty();
        private Set<Afi> families = Set.of(Afi.IPV4);
        private OptionalInt gracefulRestartSeconds = OptionalInt.empty();
        private final Map<Afi, MaxPrefix> maxPrefix = new EnumMap<>(Afi.class);
        private OptionalInt maxPrefixes = OptionalInt.empty();
        private int maxPrefixWarningPercent = 90;
        private Optional<Duration> maxPrefixRestart = Optional.empty();
        private Policy importPolicy = Policy.acceptAll();
        private Policy exportPolicy = Policy.rejectAll();
        private Optional<InetAddress> ipv6NextHop = Optional.empty();
        private Optional<InetAddress> localAddress = Optional.empty();
        private boolean keepPrePolicy;
        private AttributeScreen attributeScreen = AttributeScreen.DEFAULT;
        private Optional<BgpRole> localRole = Optional.empty();
        private boolean strictRole;
        private boolean extendedNextHop;

        private Builder(String name, InetAddress address, long peerAsn) {
            this.name = name;
            this.address = address;
            this.peerAsn = peerAsn;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder passive(boolean v) {
            passive = v;
            return this;
        }

        public Builder timers(FsmTimers v) {
            timers = v;
            return this;
        }

        public Builder md5Password(String v) {
            md5Password = Optional.of(v);
            return this;
        }

        public Builder gtsmHops(int v) {
            gtsmHops = OptionalInt.of(v);
            return this;
        }

        public Builder multihopTtl(int v) {
            multihopTtl = OptionalInt.of(v);
            return this;
        }

        public Builder families(Set<Afi> v) {
            families = Set.copyOf(v);
            return this;
        }

        public Builder gracefulRestartSeconds(int v) {
            gracefulRestartSeconds = OptionalInt.of(v);
            return this;
        }

        /** The prefix limit of {@code family}, counted apart from the other families. */
        public Builder maxPrefix(Afi family, MaxPrefix v) {
            maxPrefix.put(family, v);
            return this;
        }

        /** A limit of {@code v} routes for each family of the session that has no {@link #maxPrefix} of its own. */
        public Builder maxPrefixes(int v) {
            maxPrefixes = OptionalInt.of(v);
            return this;
        }

        /** The warning share of the {@link #maxPrefixes} limits. */
        public Builder maxPrefixWarningPercent(int v) {
            maxPrefixWarningPercent = v;
            return this;
        }

        /** The restart time of the {@link #maxPrefixes} limits. */
        public Builder maxPrefixRestart(Duration v) {
            maxPrefixRestart = Optional.of(v);
            return this;
        }

        public Builder importPolicy(Policy v) {
            importPolicy = v;
            return this;
        }

        public Builder exportPolicy(Policy v) {
            exportPolicy = v;
            return this;
        }

        public Builder ipv6NextHop(InetAddress v) {
            ipv6NextHop = Optional.of(v);
            return this;
        }

        public Builder localAddress(InetAddress v) {
            localAddress = Optional.of(v);
            return this;
        }

        public Builder keepPrePolicy(boolean v) {
            keepPrePolicy = v;
            return this;
        }

        public Builder localRole(BgpRole v) {
            localRole = Optional.of(v);
            return this;
        }

        public Builder strictRole(boolean v) {
            strictRole = v;
            return this;
        }

        public Builder extendedNextHop(boolean v) {
            extendedNextHop = v;
            return this;
        }

        public Builder attributeScreen(AttributeScreen v) {
            attributeScreen = v;
            return this;
        }

        public PeerConfig build() {
            if (maxPrefixWarningPercent < 1 || maxPrefixWarningPercent > 100) {
                throw new IllegalArgumentException(
                        "peer " + name + ": maxPrefixWarningPercent must be 1..100, was " + maxPrefixWarningPercent);
            }
            if (maxPrefixRestart.isPresent() && !maxPrefixRestart.get().isPositive()) {
                throw new IllegalArgumentException(
                        "peer " + name + ": maxPrefixRestart must be positive, was " + maxPrefixRestart.get());
            }
            Map<Afi, MaxPrefix> limits = new EnumMap<>(maxPrefix);
            if (maxPrefixes.isPresent()) {
                if (maxPrefixes.getAsInt() < 1) {
                    throw new IllegalArgumentException(
                            "peer " + name + ": maxPrefixes must be at least 1, was " + maxPrefixes.getAsInt());
                }
                var each = new MaxPrefix(maxPrefixes.getAsInt(), maxPrefixWarningPercent, maxPrefixRestart);
                families.forEach(f -> limits.putIfAbsent(f, each));
            }
            return new PeerConfig(
                    name,
                    address,
                    peerAsn,
                    port,
                    passive,
                    timers,
                    md5Password,
                    gtsmHops,
                    multihopTtl,
                    families,
                    gracefulRestartSeconds,
                    limits,
                    importPolicy,
                    exportPolicy,
                    ipv6NextHop,
                    localAddress,
                    keepPrePolicy,
                    localRole,
                    strictRole,
                    attributeScreen,
                    extendedNextHop);
        }
    }
}
