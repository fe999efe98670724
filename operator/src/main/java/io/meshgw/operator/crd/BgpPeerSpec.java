package io.meshgw.operator.crd;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

public class BgpPeerSpec {
    @Required
    public String peerAddress;

    @Required
    @Min(1)
    @Max(Crds.MAX_ASN)
    public Long peerAsn;

    @Required
    @Min(1)
    @Max(Crds.MAX_ASN)
    public Long localAsn;

    /** Source address of the session; the gateway's node address when empty. */
    public String localAddress;

    public List<AddressFamily> families = new ArrayList<>(List.of(AddressFamily.IPV4_UNICAST));

    public Timers timers;

    /** TCP-MD5 (RFC 2385) password. */
    public SecretKeyRef passwordSecretRef;

    public Multihop multihop;

    /** RFC 5082 GTSM: expect TTL 255 from a directly connected peer. */
    public Boolean gtsm;

    public GracefulRestart gracefulRestart;

    public List<MaxPrefix> maxPrefix = new ArrayList<>();

    /** Name of a BgpPolicy in the same namespace applied to received routes. */
    public String importPolicy;

    /** Name of a BgpPolicy in the same namespace applied to announced routes. */
    public String exportPolicy;

    public static class Timers {
        /** Seconds; 0 disables keepalives, otherwise 3..65535 (RFC 4271 §4.2). */
        @Min(0)
        @Max(65535)
        public Integer holdTimeSeconds;

        @Min(0)
        @Max(21845)
        public Integer keepaliveSeconds;

        @Min(1)
        @Max(65535)
        public Integer connectRetrySeconds;
    }

    public static class Multihop {
        public Boolean enabled;

        @Min(1)
        @Max(255)
        public Integer ttl;
    }

    public static class GracefulRestart {
        public Boolean enabled;

        /** Seconds (RFC 4724 §3: 12-bit field). */
        @Min(0)
        @Max(4095)
        public Integer restartTimeSeconds;
    }

    public static class MaxPrefix {
        @Required
        public AddressFamily family;

        @Required
        @Min(1)
        public Long limit;

        @Min(1)
        @Max(100)
        public Integer warningPercent;

        /** Minutes before re-establishing after the limit tripped; absent means stay down. */
        @Min(1)
        @Max(65535)
        public Integer restartAfterMinutes;
    }
}
