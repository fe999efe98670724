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
 */
public record BgpNeighbor(
        String address, long asn, Optional<String> password, Optional<String> localRole, boolean strictRole) {

    public BgpNeighbor {
        localRole.ifPresent(r -> {
            if (!r.matches("provider|customer|peer|rs-server|rs-client")) {
                throw new IllegalArgumentException("unknown BGP role '" + r + "'");
            }
        });
    }

    public static BgpNeighbor of(String address, long asn) {
        return new BgpNeighbor(address, asn, Optional.empty(), Optional.empty(), false);
    }

    public BgpNeighbor withPassword(String pw) {
        return new BgpNeighbor(address, asn, Optional.of(pw), localRole, strictRole);
    }

    /** The router announces {@code role} (RFC 9234) and, when {@code strict}, insists on the neighbor's. */
    public BgpNeighbor withRole(String role, boolean strict) {
        return new BgpNeighbor(address, asn, password, Optional.of(role), strict);
    }
}
