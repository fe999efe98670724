package io.meshgw.bgp.speaker;

import io.meshgw.bgp.wire.Capability;
import java.util.Locale;

/**
 * This speaker's role on an eBGP session (RFC 9234 §3.1), the relationship the Role capability announces and the
 * Only-to-Customer attribute enforces.
 */
public enum BgpRole {
    /** We are the neighbor's transit provider; the neighbor is our customer. */
    PROVIDER(Capability.Role.PROVIDER),
    /** We are a route server; the neighbor is its client. */
    RS_SERVER(Capability.Role.RS),
    /** We are a route server's client; the neighbor is the route server (it does not prepend its AS). */
    RS_CLIENT(Capability.Role.RS_CLIENT),
    /** We are the neighbor's customer; the neighbor is our provider. */
    CUSTOMER(Capability.Role.CUSTOMER),
    /** Lateral peers: neither is the other's transit. */
    PEER(Capability.Role.PEER);

    /** The value in the Role capability. */
    public final int code;

    BgpRole(int code) {
        this.code = code;
    }

    /** RFC 9234 §4.2, table 2: the only role the neighbor may announce opposite ours. */
    public int expectedPeerCode() {
        return switch (this) {
            case PROVIDER -> Capability.Role.CUSTOMER;
            case CUSTOMER -> Capability.Role.PROVIDER;
            case RS_SERVER -> Capability.Role.RS_CLIENT;
            case RS_CLIENT -> Capability.Role.RS;
            case PEER -> Capability.Role.PEER;
        };
    }

    /** The neighbor is our customer or our route server's client: whatever it sends with OTC is a leak. */
    boolean neighborIsCustomerOrRsClient() {
        return this == PROVIDER || this == RS_SERVER;
    }

    /**
     * The neighbor is our provider, a lateral peer or our route server: routes from it get OTC if they lack it, and
     * routes with OTC never go to it.
     */
    boolean neighborIsProviderPeerOrRs() {
        return this == CUSTOMER || this == PEER || this == RS_CLIENT;
    }

    /** The neighbor is our customer, a lateral peer or our route server's client: routes to it get OTC (our AS). */
    boolean neighborIsCustomerPeerOrRsClient() {
        return this == PROVIDER || this == PEER || this == RS_SERVER;
    }

    /** The role's name in configuration, as FRR and the BgpPeer resource spell it. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
