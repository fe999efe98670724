package io.meshgw.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The gateway's configuration, from application properties or environment variables. */
@ConfigMapping(prefix = "meshgw")
public interface GatewayConfig {

    /** The BGP speaker toward the datacenter routers. */
    Bgp bgp();

    interface Bgp {
        /** Whether the gateway runs its BGP speaker at all. */
        @WithDefault("true")
        boolean enabled();

        /** The gateway's AS number (4-octet allowed). */
        @WithDefault("65000")
        long localAsn();

        /** The BGP identifier, an IPv4 address; required as soon as a peer is configured. */
        Optional<String> routerId();

        /** Address the speaker accepts sessions on. */
        @WithDefault("0.0.0.0")
        String listenAddress();

        /** BGP port; 0 disables listening (the speaker only dials). */
        @WithDefault("179")
        int port();

        /** Neighbors, by name: {@code meshgw.bgp.peers.<name>.address=...}. */
        Map<String, Neighbor> peers();
    }

    interface Neighbor {
        /** The router's address. */
        String address();

        /** The router's AS number. */
        long asn();

        /** TCP-MD5 password (RFC 2385); take it from a Secret through the environment. */
        Optional<String> password();

        /** Only accept the router's connection, never dial. */
        @WithDefault("false")
        boolean passive();

        /** Proposed hold time in seconds: 0 or 3..65535. */
        @WithDefault("90")
        int holdTime();

        /** Cease the session above this many accepted prefixes. */
        OptionalInt maxPrefixes();

        /** Graceful restart time to advertise (RFC 4724), in seconds; unset disables it. */
        OptionalInt gracefulRestart();
    }
}
