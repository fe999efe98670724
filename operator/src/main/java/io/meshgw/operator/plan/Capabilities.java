package io.meshgw.operator.plan;

import io.meshgw.types.IpFamily;
import io.meshgw.types.Protocol;
import java.util.Set;

/**
 * What the gateway's engines can do, so the planner puts in the plan only what they can apply and says in status
 * why the rest is not applied (an IPv6 egress address, which the datapath does not SNAT to, is Ready=False, never
 * Ready).
 *
 * @param translatedFamilies the address families whose VIPs the datapath translates
 * @param egressFamilies the address families of egress addresses the datapath SNATs pods' traffic to
 * @param translatedProtocols the L4 protocols the datapath translates
 * @param maxBackendsPerPort how many backends one VIP port holds in the datapath
 * @param publishedProtocols the L4 protocols mesh-sync's records carry: a port of another protocol is not published
 *     (nor, since remote backends arrive through the mesh, translated)
 */
public record Capabilities(
        Set<IpFamily> translatedFamilies,
        Set<IpFamily> egressFamilies,
        Set<Protocol> translatedProtocols,
        int maxBackendsPerPort,
        Set<Protocol> publishedProtocols) {

    /**
     * The engines of this release: the tc datapath translates VIPs of both families and SNATs to IPv4 egress
     * addresses, TCP and UDP, 65,535 backends per VIP port; mesh-sync's record format version 1 carries TCP and UDP
     * ports.
     */
    public static final Capabilities DATAPATH = new Capabilities(
            Set.of(IpFamily.IPV4, IpFamily.IPV6),
            Set.of(IpFamily.IPV4),
            Set.of(Protocol.TCP, Protocol.UDP),
            65_535,
            Set.of(Protocol.TCP, Protocol.UDP));

    /** These capabilities with the datapath translating VIPs of {@code vips} and SNATing to {@code egress}. */
    public Capabilities translating(Set<IpFamily> vips, Set<IpFamily> egress) {
        return new Capabilities(vips, egress, translatedProtocols, maxBackendsPerPort, publishedProtocols);
    }

    public Capabilities {
        translatedFamilies = Set.copyOf(translatedFamilies);
        egressFamilies = Set.copyOf(egressFamilies);
        translatedProtocols = Set.copyOf(translatedProtocols);
        publishedProtocols = Set.copyOf(publishedProtocols);
        if (maxBackendsPerPort < 1) {
            throw new IllegalArgumentException("a VIP port holds at least one backend, not " + maxBackendsPerPort);
        }
    }
}
