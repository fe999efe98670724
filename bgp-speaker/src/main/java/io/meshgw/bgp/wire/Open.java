package io.meshgw.bgp.wire;

import java.util.List;
import java.util.Optional;

/**
 * OPEN (RFC 4271 §4.2) with its capabilities.
 *
 * @param myAs the 2-octet My Autonomous System field (AS_TRANS 23456 when the real AS needs 4
 *     octets; the real one is in the FourOctetAs capability)
 * @param holdTime proposed hold time in seconds
 * @param bgpId the BGP identifier as an unsigned 32-bit value
 */
public record Open(int myAs, int holdTime, long bgpId, List<Capability> capabilities) implements BgpMessage {

    public static final int AS_TRANS = 23456;

    public Open {
        capabilities = List.copyOf(capabilities);
    }

    /** The speaker's real AS: from the 4-octet AS capability when present (RFC 6793 §4.1). */
    public long asn() {
        return capability(Capability.FourOctetAs.class)
                .map(Capability.FourOctetAs::asn)
                .orElse((long) myAs);
    }

    public <C extends Capability> Optional<C> capability(Class<C> kind) {
        return capabilities.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    @Override
    public int type() {
        return OPEN;
    }
}
