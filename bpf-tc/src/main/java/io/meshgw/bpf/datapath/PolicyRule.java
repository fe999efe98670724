package io.meshgw.bpf.datapath;

import java.util.Objects;

/**
 * Traffic between the legacy side and {@code identity} on a server-side {@code port}: the VIP
 * port inbound, the destination port outbound.
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
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(verdict, "verdict");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("policy for identity " + identity + " has port " + port);
        }
    }
}
