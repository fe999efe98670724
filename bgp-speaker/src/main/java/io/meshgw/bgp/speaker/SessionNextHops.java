package io.meshgw.bgp.speaker;

import io.meshgw.bgp.wire.Afi;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The next hops one session announces, settled when it comes up: our own address on the connection for its family,
 * and for the other family a configured address or one of the interface the session runs on (as FRR and BIRD do). A
 * family without one is announced nothing, never a made-up next hop.
 *
 * @param ipv4 the NEXT_HOP of IPv4 routes (RFC 4271 §5.1.3)
 * @param ipv6Global the global IPv6 next hop (RFC 2545 §3)
 * @param ipv6LinkLocal our link-local address, present when the session runs over link-local addresses: RFC 2545 §3
 *     then sends it after the global one, 32 bytes in all
 * @param via the interface the session runs on, for messages; empty when unknown
 */
record SessionNextHops(
        Optional<Inet4Address> ipv4,
        Optional<Inet6Address> ipv6Global,
        Optional<Inet6Address> ipv6LinkLocal,
        Optional<String> via) {

    static final SessionNextHops NONE =
            new SessionNextHops(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /** The addresses of the interface that holds one of ours, and its name. */
    interface Interfaces {
        /** The interface that holds {@code local}, empty when none does (the address left meanwhile). */
        Optional<Interface> holding(InetAddress local);

        record Interface(String name, List<InetAddress> addresses) {
            public Interface {
                addresses = List.copyOf(addresses);
            }
        }

        /** This host's interfaces; a scoped link-local address names its own. */
        Interfaces SYSTEM = local -> {
            try {
                NetworkInterface ni = local instanceof Inet6Address a && a.getScopedInterface() != null
                        ? a.getScopedInterface()
                        : local instanceof Inet6Address a && a.getScopeId() != 0
                                ? NetworkInterface.getByIndex(a.getScopeId())
                                : NetworkInterface.getByInetAddress(local);
                return Optional.ofNullable(ni)
                        .map(n -> new Interface(n.getName(), n.inetAddresses().toList()));
            } catch (SocketException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /**
     * The next hops of a session from {@code local}, our address on its connection: the configured IPv6 next hop
     * first, then the connection's own address for its family, then the lowest usable address of the interface that
     * holds it.
     */
    static SessionNextHops of(Optional<InetAddress> local, PeerConfig config, Interfaces interfaces) {
        if (local.isEmpty()) {
            return NONE;
        }
        InetAddress ours = local.get();
        Optional<Interfaces.Interface> nic = interfaces.holding(ours);
        List<InetAddress> beside = nic.map(Interfaces.Interface::addresses).orElse(List.of());
        Optional<Inet4Address> v4 = ours instanceof Inet4Address a
                ? Optional.of(a)
                : lowest(beside, Inet4Address.class, x -> !x.isLoopbackAddress() && !x.isLinkLocalAddress());
        Optional<Inet6Address> linkLocal =
                ours instanceof Inet6Address a && a.isLinkLocalAddress() ? Optional.of(unscoped(a)) : Optional.empty();
        Optional<Inet6Address> global = config.ipv6NextHop().map(a -> (Inet6Address) a);
        if (global.isEmpty()) {
            global = ours instanceof Inet6Address a && usableGlobal(a)
                    ? Optional.of(a)
                    : lowest(beside, Inet6Address.class, SessionNextHops::usableGlobal);
        }
        return new SessionNextHops(v4, global, linkLocal, nic.map(Interfaces.Interface::name));
    }

    /** RFC 2545 §3: the global address, then the link-local one when the session has it. */
    Optional<byte[]> ipv6Bytes() {
        if (ipv6Global.isEmpty()) {
            return Optional.empty();
        }
        byte[] global = ipv6Global.get().getAddress();
        if (ipv6LinkLocal.isEmpty()) {
            return Optional.of(global);
        }
        byte[] both = Arrays.copyOf(global, 32);
        System.arraycopy(ipv6LinkLocal.get().getAddress(), 0, both, 16, 16);
        return Optional.of(both);
    }

    /** Why a family has no next hop on this session, for a log line and the peer's status. */
    String missing(Afi family) {
        String where = via.map(n -> "interface " + n).orElse("the session's interface");
        return switch (family) {
            case IPV4 ->
                "no IPv4 next hop: the session runs over IPv6 and " + where + " has no IPv4 address"
                        + " (or negotiate extendedNextHop, RFC 8950)";
            case IPV6 ->
                "no global IPv6 next hop: " + where + " has no global IPv6 address; set the peer's ipv6NextHop";
        };
    }

    private static boolean usableGlobal(Inet6Address a) {
        return !a.isLinkLocalAddress() && !a.isLoopbackAddress() && !a.isMulticastAddress() && !a.isAnyLocalAddress();
    }

    private static Inet6Address unscoped(Inet6Address a) {
        try {
            return (Inet6Address) InetAddress.getByAddress(a.getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes: cannot happen
        }
    }

    private static <A extends InetAddress> Optional<A> lowest(
            List<InetAddress> addresses, Class<A> family, java.util.function.Predicate<A> usable) {
        return addresses.stream()
                .filter(family::isInstance)
                .map(family::cast)
                .filter(usable)
                .min(Comparator.comparing(InetAddress::getAddress, Arrays::compareUnsigned));
    }
}
