package io.meshgw.testkit.routers;

import java.util.Optional;

/**
 * A BGP neighbor as a test router sees it.
 *
 * @param address the neighbor's address
 * @param asn the neighbor's AS number (4-octet values allowed)
 * @param password the TCP-MD5 password (RFC 2385), if any
 */
public record BgpNeighbor(String address, long asn, Optional<String> password) {

    public static BgpNeighbor of(String address, long asn) {
        return new BgpNeighbor(address, asn, Optional.empty());
    }

    public BgpNeighbor withPassword(String pw) {
        return new BgpNeighbor(address, asn, Optional.of(pw));
    }
}
