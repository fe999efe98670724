package io.meshgw.testkit.routers;

import java.util.Optional;

/**
 * A BGP neighbor as a test router sees it.
 *
 * @param address the neighbor's address
 * @param asn the neighbor's AS number (4-octet values allowed)
 * @param password the TCP-MD5 password (RFC 2385), if any
 * @param localRole the test router's RFC 9234 role toward the neighbor ({@code provider}, {@code customer}, {@code
 *     peer}, {@code rs-server}, {@code rs-client}), if any
 * @param strictRole the test router refuses a neighbor that announces no role
 * @param dualStack the session carries IPv4 and IPv6 unicast, whatever the family of its addresses
 * @param extendedNextHop the session over IPv6 carries IPv4 unicast with IPv6 next hops (RFC 8950)
 * @param iface the interface of a link-local neighbor address
 */
public record BgpNeighbor(
        String address,
        long asn,
        Optional<String> password,
        Optional<String> localRole,
        boolean strictRole,
        boolean dualStack,
        boolean extendedNextHop,
        Optional<String> iface) {

    public BgpNeighbor {
        localRole.ifPresent(r -> {
            if (!r.matches("provider|customer|peer|rs-server|rs-client")) {
                throw new IllegalArgumentException("unknown BGP role '" + r + "'");
            }
        });
    }

    public static BgpNeighbor of(String address, long asn) {
        return new BgpNeighbor(address, asn, Optional.empty(), Optional.empty(), false, false, false, Optional.empty());
    }

    public BgpNeighbor withPassword(String pw) {
        return new BgpNeighbor(address, asn, Optional.of(pw), localRole, strictRole, dualStack, extendedNextHop, iface);
    }

    /** The router announces {@code role} (RFC 9234) and, when {@code strict}, insists on the neighbor's. */
    public BgpNeighbor withRole(String role, boolean strict) {
        return new BgpNeighbor(address, asn, password, Optional.of(role), strict, dualStack, extendedNextHop, iface);
    }

    /** The session carries both IPv4 and IPv6 unicast. */
    public BgpNeighbor withDualStack() {
        return new BgpNeighbor(address, asn, password, localRole, strictRole, true, extendedNextHop, iface);
    }

    /** The IPv6 session carries IPv4 unicast too, with IPv6 next hops (RFC 8950). */
    public BgpNeighbor withExtendedNextHop() {
        return new BgpNeighbor(address, asn, password, localRole, strictRole, true, true, iface);
    }

    /** The neighbor's (link-local) address is on {@code name}. */
    public BgpNeighbor via(String name) {
        return new BgpNeighbor(
                address, asn, password, localRole, strictRole, dualStack, extendedNextHop, Optional.of(name));
    }

    /** Whether the session carries IPv6 (or, with {@code false}, IPv4) unicast. */
    public boolean carries(boolean v6) {
        return dualStack || RouterSpec.v6(address) == v6;
    }
}
