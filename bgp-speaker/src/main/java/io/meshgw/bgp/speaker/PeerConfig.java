package io.meshgw.bgp.speaker;

import io.meshgw.bgp.fsm.FsmTimers;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.wire.Afi;
import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One BGP neighbor.
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
 * @param importPolicy applied to routes from the neighbor
 * @param exportPolicy applied to routes toward the neighbor (reject-all by default, RFC 8212)
 * @param ipv6NextHop the next hop to advertise for IPv6 routes over this session, if any
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
        Policy importPolicy,
        Policy exportPolicy,
        Optional<InetAddress> ipv6NextHop) {

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
                Policy.acceptAll(),
                Policy.rejectAll(),
                Optional.empty());
    }

    public PeerConfig withExportPolicy(Policy p) {
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
                importPolicy,
                p,
                ipv6NextHop);
    }

    public PeerConfig withImportPolicy(Policy p) {
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
                p,
                exportPolicy,
                ipv6NextHop);
    }

    public PeerConfig withTimers(FsmTimers t) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                port,
                passive,
                t,
                md5Password,
                gtsmHops,
                families,
                gracefulRestartSeconds,
                maxPrefixes,
                importPolicy,
                exportPolicy,
                ipv6NextHop);
    }

    public PeerConfig withMd5Password(String pw) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                port,
                passive,
                timers,
                Optional.of(pw),
                gtsmHops,
                families,
                gracefulRestartSeconds,
                maxPrefixes,
                importPolicy,
                exportPolicy,
                ipv6NextHop);
    }

    public PeerConfig withMaxPrefixes(int limit) {
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
                OptionalInt.of(limit),
                importPolicy,
                exportPolicy,
                ipv6NextHop);
    }

    public PeerConfig withGracefulRestart(int seconds) {
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
                OptionalInt.of(seconds),
                maxPrefixes,
                importPolicy,
                exportPolicy,
                ipv6NextHop);
    }

    public PeerConfig withPassive(boolean p) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                port,
                p,
                timers,
                md5Password,
                gtsmHops,
                families,
                gracefulRestartSeconds,
                maxPrefixes,
                importPolicy,
                exportPolicy,
                ipv6NextHop);
    }

    public PeerConfig withPort(int p) {
        return new PeerConfig(
                name,
                address,
                peerAsn,
                p,
                passive,
                timers,
                md5Password,
                gtsmHops,
                families,
                gracefulRestartSeconds,
                maxPrefixes,
                importPolicy,
                exportPolicy,
                ipv6NextHop);
    }
}
