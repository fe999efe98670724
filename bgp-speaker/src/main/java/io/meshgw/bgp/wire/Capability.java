package io.meshgw.bgp.wire;

import java.util.Arrays;
import java.util.List;

/** Capabilities advertised in OPEN (RFC 5492), one record per kind we understand. */
public sealed interface Capability {

    int code();

    /** RFC 4760 §8. */
    record MultiProtocol(int afi, int safi) implements Capability {
        @Override
        public int code() {
            return 1;
        }
    }

    /** RFC 2918. */
    record RouteRefreshCapability() implements Capability {
        @Override
        public int code() {
            return 2;
        }
    }

    /**
     * RFC 8950 §3: the families whose NLRI the sender takes with a next hop of another family, one entry per NLRI
     * family and next-hop family (for meshgw: IPv4 unicast NLRI with an IPv6 next hop).
     */
    record ExtendedNextHop(List<Entry> entries) implements Capability {
        /** IPv4 unicast NLRI with an IPv6 next hop, the one combination meshgw carries. */
        public static final Entry IPV4_UNICAST_OVER_IPV6 = new Entry(Afi.IPV4.code, 1, Afi.IPV6.code);

        /** One NLRI AFI/SAFI and the AFI of its next hop. */
        public record Entry(int nlriAfi, int nlriSafi, int nextHopAfi) {}

        public ExtendedNextHop {
            entries = List.copyOf(entries);
        }

        @Override
        public int code() {
            return 5;
        }
    }

    /** RFC 8654. */
    record ExtendedMessage() implements Capability {
        @Override
        public int code() {
            return 6;
        }
    }

    /**
     * RFC 9234 §4.1: the sender's role on the session, one of the values below; others are reserved and match no
     * role.
     */
    record Role(int role) implements Capability {
        public static final int PROVIDER = 0;
        public static final int RS = 1;
        public static final int RS_CLIENT = 2;
        public static final int CUSTOMER = 3;
        public static final int PEER = 4;

        public Role {
            if (role < 0 || role > 255) {
                throw new IllegalArgumentException("a role is one octet, was " + role);
            }
        }

        @Override
        public int code() {
            return 9;
        }
    }

    /**
     * RFC 4724 §3: restart flags (R bit = 0x8 of the top nibble), restart time in seconds, and per
     * family whether forwarding state was preserved.
     */
    record GracefulRestart(boolean restarting, int restartTimeSeconds, List<Family> families) implements Capability {
        public record Family(int afi, int safi, boolean forwardingPreserved) {}

        public GracefulRestart {
            families = List.copyOf(families);
            if (restartTimeSeconds < 0 || restartTimeSeconds > 4095) {
                throw new IllegalArgumentException("restart time is 12 bits (0..4095 s), was " + restartTimeSeconds);
            }
        }

        @Override
        public int code() {
            return 64;
        }
    }

    /** RFC 6793 §3. */
    record FourOctetAs(long asn) implements Capability {
        @Override
        public int code() {
            return 65;
        }
    }

    /** RFC 7313. */
    record EnhancedRouteRefresh() implements Capability {
        @Override
        public int code() {
            return 70;
        }
    }

    /** Anything else, kept as received. */
    record Unknown(int code, byte[] value) implements Capability {
        public Unknown {
            value = value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && u.code == code && Arrays.equals(u.value, value);
        }

        @Override
        public int hashCode() {
            return code * 31 + Arrays.hashCode(value);
        }
    }
}
