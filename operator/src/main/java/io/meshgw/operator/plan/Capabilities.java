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
 */
public record Capabilities(Set<IpFamily> translatedFamilies, Set<Protocol> translatedProtocols, int maxBackendsPerPort) {

    /** The tc datapath of this release: IPv4, TCP and UDP, 65,535 backends per VIP port. */
    public static final Capabilities DATAPATH = new Capabilities(
            Set.of(IpFamily.IPV4), Set.of(Protocol.TCP, Protocol.UDP), 65_535);

    public Capabilities {
        translatedFamilies = Set.copyOf(translatedFamilies);
        translatedProtocols = Set.copyOf(translatedProtocols);
    }
}
