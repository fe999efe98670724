package io.meshgw.bpf.datapath;

import io.meshgw.types.Protocol;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A legacy VIP (address, port, protocol) and the backends it is translated to: an IPv4 VIP to IPv4
 * backends, an IPv6 VIP to IPv6 backends (the datapath has no NAT64).
 *
 * @param identity the service's identity, which ingress policy rules name
 */
public record ServiceTranslation(InetAddress vip, int port, Protocol protocol, int identity, List<Backend> backends) {

    /** The L4 protocols the programs parse and rewrite. */
    public static final java.util.Set<Protocol> TRANSLATED = java.util.EnumSet.of(Protocol.TCP, Protocol.UDP);

    public ServiceTranslation {
        Objects.requireNonNull(vip, "VIP");
        Objects.requireNonNull(protocol, "protocol");
        if (!TRANSLATED.contains(protocol)) {
            throw new IllegalArgumentException("VIP " + vip.getHostAddress() + ":" + port + " is " + protocol
                    + "; the datapath translates TCP and UDP");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(
                    "VIP " + vip.getHostAddress() + " has port " + port + "; a port is 1..65535");
        }
        if (identity < 0) {
            throw new IllegalArgumentException(
                    "VIP " + vip.getHostAddress() + ":" + port + " has identity " + identity);
        }
        backends = List.copyOf(backends);
        boolean v4 = vip instanceof Inet4Address;
        for (Backend b : backends) {
            if (b.address() instanceof Inet4Address != v4) {
                throw new IllegalArgumentException("VIP " + vip.getHostAddress() + ":" + port + " is IPv" + (v4 ? 4 : 6)
                        + " but its backend " + b + " is not; a VIP is translated within its family");
            }
        }
        if (backends.size() > 65535) {
            throw new IllegalArgumentException("VIP " + vip.getHostAddress() + ":" + port + " has " + backends.size()
                    + " backends; at most 65535 fit a service");
        }
        if (backends.stream()
                        .map(b -> b.address().getHostAddress() + ":" + b.port())
                        .distinct()
                        .count()
                != backends.size()) {
            throw new IllegalArgumentException("VIP " + vip.getHostAddress() + ":" + port + " lists a backend twice");
        }
    }

    /** The map key: what a packet is matched on. */
    public String key() {
        return vip.getHostAddress() + ":" + port + "/" + protocol;
    }
}
