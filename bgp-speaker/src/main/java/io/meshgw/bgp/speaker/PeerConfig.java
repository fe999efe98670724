package io.meshgw.bgp.speaker;

import io.meshgw.bgp.fsm.FsmTimers;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.wire.Afi;
import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One BGP neighbor. Build one with {@link #of} and the {@code with...} methods.
 *
 * @param name a unique name for logs, metrics and the API
 * @param address the neighbor's address
 * @param peerAsn the neighbor's AS; equal to ours makes it iBGP
 * @param port the neighbor's BGP port (179 normally)
 * @param passive only accept the neighbor's connections, never dial
 * @param timers FSM timers
 * @param md5Password TCP-MD5 key (RFC 2385), if any
 * @param gtsmHops GTSM (RFC 5082) with that many hops, if enabled
 * @param families the address families to negotiate
 * @param gracefulRestartSeconds advertise graceful restart (RFC 4724) for {@code families} with
 *     this restart time; empty disables it
 * @param maxPrefixes Cease (subcode 1) the session when the neighbor sends more; empty for none
 * @param maxPrefixWarningPercent log a warning once accepted prefixes reach this share of {@code maxPrefixes}
 * @param importPolicy applied to routes from the neighbor
 * @param exportPolicy applied to routes toward the neighbor (reject-all by default, RFC 8212)
 * @param ipv6NextHop the next hop to advertise for IPv6 routes over this session, if any
 * @param localAddress the source address to dial from, if not the routing table's choice
 * @param keepPrePolicy keep the Adj-RIB-In as received, before import policy (soft reconfiguration
 *     inbound), so policy changes need no ROUTE-REFRESH and operators can see what was filtered
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
        Set<Afi> families,
        OptionalInt gracefulRestartSeconds,
        OptionalInt maxPrefixes,
        int maxPrefixWarningPercent,
        Policy importPolicy,
        Policy exportPolicy,
        Optional<InetAddress> ipv6NextHop,
        Optional<InetAddress> localAddress,
        boolean keepPrePolicy) {

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
        if (maxPrefixWarningPercent < 1 || maxPrefixWarningPercent > 100) {
            throw new IllegalArgumentException(
                    "peer " + name + ": maxPrefixWarningPercent must be 1..100, was " + maxPrefixWarningPercent);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("peer " + name + ": port " + port + " is outside 1..65535");
        }
        families = Set.copyOf(families);
    }

    /** A neighbor with defaults: IPv4 unicast, RFC timers, accept everything in, nothing out. */
    public static PeerConfig of(String name, InetAddress address, long peerAsn) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                179,
                false,
                FsmTimers.defaults(),
                Optional.empty(),
                OptionalInt.empty(),
                Set.of(Afi.IPV4),
                OptionalInt.empty(),
                OptionalInt.empty(),
                90,
                Policy.acceptAll(),
                Policy.rejectAll(),
                Optional.empty(),
                Optional.empty(),
                false);
    }

    public PeerConfig withExportPolicy(Policy v) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                port,
                passive,
                timers,
                md5Password,
                gtsmHops,
                families,
                gracefulRestartSeconds,
                maxPrefixes,
                maxPrefixWarningPercent,
                importPolicy,
                v,
                ipv6NextHop,
                localAddress,
                keepPrePolicy);
    }

    public PeerConfig withImportPolicy(Policy v) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                port,
                passive,
                timers,
                md5Password,
                gtsmHops,
                families,
                gracefulRestartSeconds,
                maxPrefixes,
                maxPrefixWarningPercent,
                v,
                exportPolicy,
                ipv6NextHop,
                localAddress,
                keepPrePolicy);
    }

    public PeerConfig withTimers(FsmTimers v) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                port,
                passive,
                v,
                md5Password,
                gtsmHops,
                families,
                gracefulRestartSeconds,
                maxPrefixes,
                maxPrefixWarningPercent,
                importPolicy,
                exportPolicy,
                ipv6NextHop,
                localAddress,
                keepPrePolicy);
    }

    public PeerConfig withMd5Password(String v) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                port,
                passive,
                timers,
                Optional.of(v),
                gtsmHops,
                families,
                gracefulRestartSeconds,
                maxPrefixes,
                maxPrefixWarningPercent,
                importPolicy,
                exportPolicy,
                ipv6NextHop,
                localAddress,
                keepPrePolicy);
    }

    public PeerConfig withMaxPrefixes(int v) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                port,
                passive,
                timers,
                md5Password,
                gtsmHops,
                families,
                gracefulRestartSeconds,
                OptionalInt.of(v),
                maxPrefixWarningPercent,
                importPolicy,
                exportPolicy,
                ipv6NextHop,
                localAddress,
                keepPrePolicy);
    }

    public PeerConfig withMaxPrefixWarningPercent(int v) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                port,
                passive,
                timers,
                md5Password,
                gtsmHops,
                families,
                gracefulRestartSeconds,
                maxPrefixes,
                v,
                importPolicy,
                exportPolicy,
                ipv6NextHop,
                localAddress,
                keepPrePolicy);
    }

    public PeerConfig withGracefulRestart(int v) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                port,
                passive,
                timers,
                md5Password,
                gtsmHops,
                families,
                OptionalInt.of(v),
                maxPrefixes,
                maxPrefixWarningPercent,
                importPolicy,
                exportPolicy,
                ipv6NextHop,
                localAddress,
                keepPrePolicy);
    }

    public PeerConfig withPassive(boolean v) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                port,
                v,
                timers,
                md5Password,
                gtsmHops,
                families,
                gracefulRestartSeconds,
                maxPrefixes,
                maxPrefixWarningPercent,
                importPolicy,
                exportPolicy,
                ipv6NextHop,
                localAddress,
                keepPrePolicy);
    }

    public PeerConfig withPort(int v) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                v,
                passive,
                timers,
                md5Password,
                gtsmHops,
                families,
                gracefulRestartSeconds,
                maxPrefixes,
                maxPrefixWarningPercent,
                importPolicy,
                exportPolicy,
                ipv6NextHop,
                localAddress,
                keepPrePolicy);
    }

    public PeerConfig withGtsm(int v) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                port,
                passive,
                timers,
                md5Password,
                OptionalInt.of(v),
                families,
                gracefulRestartSeconds,
                maxPrefixes,
                maxPrefixWarningPercent,
                importPolicy,
                exportPolicy,
                ipv6NextHop,
                localAddress,
                keepPrePolicy);
    }

    public PeerConfig withFamilies(Set<Afi> v) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                port,
                passive,
                timers,
                md5Password,
                gtsmHops,
                Set.copyOf(v),
                gracefulRestartSeconds,
                maxPrefixes,
                maxPrefixWarningPercent,
                importPolicy,
                exportPolicy,
                ipv6NextHop,
                localAddress,
                keepPrePolicy);
    }

    public PeerConfig withIpv6NextHop(InetAddress v) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                port,
                passive,
                timers,
                md5Password,
                gtsmHops,
                families,
                gracefulRestartSeconds,
                maxPrefixes,
                maxPrefixWarningPercent,
                importPolicy,
                exportPolicy,
                Optional.of(v),
                localAddress,
                keepPrePolicy);
    }

    public PeerConfig withLocalAddress(InetAddress v) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                port,
                passive,
                timers,
                md5Password,
                gtsmHops,
                families,
                gracefulRestartSeconds,
                maxPrefixes,
                maxPrefixWarningPercent,
                importPolicy,
                exportPolicy,
                ipv6NextHop,
                Optional.of(v),
                keepPrePolicy);
    }

    public PeerConfig withKeepPrePolicy(boolean v) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                port,
                passive,
                timers,
                md5Password,
                gtsmHops,
                families,
                gracefulRestartSeconds,
                maxPrefixes,
                maxPrefixWarningPercent,
                importPolicy,
                exportPolicy,
                ipv6NextHop,
                localAddress,
                v);
    }
}
