package io.meshgw.bpf.datapath;

import io.meshgw.types.Protocol;
import java.util.Objects;

/**
 * Traffic between the legacy side and {@code identity} on a server-side {@code port}: the VIP
 * port inbound, the destination port outbound. A rule without protocol (null) and with port 0
 * is the identity's default for the direction, used when no port rule matches.
 */
public record PolicyRule(int identity, Protocol protocol, Direction direction, int port, Verdict verdict) {

    /** The numbers are the map's (enum pol_dir in mgw_maps.h). */
    public enum Direction {
        INGRESS(1),
        EGRESS(2);

        private final int value;

        Direction(int value) {
            this.value = value;
        }

        public int value() {
            return value;
        }
    }

    public PolicyRule {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(verdict, "verdict");
        boolean identityDefault = protocol == null && port == 0;
        if (protocol != null && !ServiceTranslation.TRANSLATED.contains(protocol)) {
            throw new IllegalArgumentException(
                    "policy for identity " + identity + " names " + protocol + "; the datapath polices TCP and UDP");
        }
        if (!identityDefault && (protocol == null || port < 1 || port > 65535)) {
            throw new IllegalArgumentException("policy for identity " + identity + " has protocol " + protocol
                    + " and port " + port + "; a rule names TCP or UDP and a port 1..65535, a default neither");
        }
    }

    /** The identity's verdict for ports no rule names. */
    public static PolicyRule identityDefault(int identity, Direction direction, Verdict verdict) {
        return new PolicyRule(identity, null, direction, 0, verdict);
    }
}
