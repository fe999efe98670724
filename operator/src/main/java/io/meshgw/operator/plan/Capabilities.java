package io.meshgw.operator.plan;

import io.meshgw.types.IpFamily;
import io.meshgw.types.Protocol;
import java.util.Set;

/**
 * What the gateway's engines can do, so the planner puts in the plan only what they can apply and says in status
 * why the rest is not applied (an IPv6 VIP before the datapath translates IPv6 is Ready=False, never Ready).
 *
 * @param translatedFamilies the address families the datapath translates
 * @param translatedProtocols the L4 protocols the datapath translates
 * @param maxBackendsPerPort how many backends one VIP port holds in the datapath
 * @param publishedProtocols the L4 protocols mesh-sync's records carry: a port of another protocol is not published
 *     (nor, since remote backends arrive through the mesh, translated)
 */
public record Capabilities(
        Set<IpFamily> translatedFamilies,
        Set<Protocol> translatedProtocols,
        int maxBackendsPerPort,
        Set<Protocol> publishedProtocols) {

    /**
     * The engines of this release: the tc datapath translates IPv4, TCP and UDP, 65,535 backends per VIP port;
     * mesh-sync's record format version 1 carries TCP and UDP ports.
     */
    public static final Capabilities DATAPATH = new Capabilities(
            Set.of(IpFamily.IPV4), Set.of(Protocol.TCP, Protocol.UDP), 65_535, Set.of(Protocol.TCP, Protocol.UDP));

    /** These capabilities with the datapath translating {@code families}, as it reports them. */
    public Capabilities translating(Set<IpFamily> families) {
        return new Capabilities(families, translatedProtocols, maxBackendsPerPort, publishedProtocols);
    }

    public Capabilities {
        translatedFamilies = Set.copyOf(translatedFamilies);
        translatedProtocols = Set.copyOf(translatedProtocols);
        publishedProtocols = Set.copyOf(publishedProtocols);
        if (maxBackendsPerPort < 1) {
            throw new IllegalArgumentException("a VIP port holds at least one backend, not " + maxBackendsPerPort);
        }
    }
}
