package io.meshgw.operator.plan;

import io.meshgw.operator.crd.AddressFamily;
import io.meshgw.operator.crd.SessionRole;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Everything the BGP speaker needs for one session, with defaults, referenced policies and the TCP-MD5 password
 * resolved.
 *
 * @param localAddress empty for the node's address
 * @param tcpMd5Password never logged (see {@link #toString})
 * @param multihopTtl the TTL of an eBGP multihop session; empty for a directly connected peer
 * @param gtsm RFC 5082: expect TTL 255 (minus the hops) from the peer
 * @param gracefulRestartSeconds our RFC 4724 restart time; empty when graceful restart is off
 * @param importPolicy empty accepts every route
 * @param exportPolicy empty announces what the gateway originates (the route's source, not its AS path) and nothing
 *     it learned
 * @param localRole the gateway's RFC 9234 role on an eBGP session; empty for none
 * @param strictRole refuse a router that announces no role
 * @param pathAttributes what the session relays, discards or withdraws on among the attributes it receives
 * @param ipv6NextHop the global IPv6 next hop to announce; empty for the one the session finds
 * @param extendedNextHop offer and require RFC 8950 (IPv4 routes with IPv6 next hops)
 */
public record PeerConfig(
        ObjectKey peer,
        IpAddress peerAddress,
        long peerAsn,
        long localAsn,
        Optional<IpAddress> localAddress,
        Set<AddressFamily> families,
        Timers timers,
        Optional<String> tcpMd5Password,
        OptionalInt multihopTtl,
        boolean gtsm,
        OptionalInt gracefulRestartSeconds,
        List<MaxPrefix> maxPrefix,
        Optional<PolicyConfig> importPolicy,
        Optional<PolicyConfig> exportPolicy,
        Optional<SessionRole> localRole,
        boolean strictRole,
        PathAttributes pathAttributes,
        Optional<IpAddress> ipv6NextHop,
        boolean extendedNextHop) {

    public PeerConfig {
        families = Set.copyOf(families);
        maxPrefix = List.copyOf(maxPrefix);
    }

    /**
     * Attribute types (1..255) by what the session does with them on receipt; a type in no set gets the speaker's
     * default (kept when the speaker interprets it, dropped when it is optional transitive and it does not).
     */
    public record PathAttributes(Set<Integer> relay, Set<Integer> discard, Set<Integer> treatAsWithdraw) {
        public static final PathAttributes DEFAULT = new PathAttributes(Set.of(), Set.of(), Set.of());

        public PathAttributes {
            relay = Set.copyOf(relay);
            discard = Set.copyOf(discard);
            treatAsWithdraw = Set.copyOf(treatAsWithdraw);
        }
    }

    /**
     * Session timers in seconds, RFC 4271 §10 defaults filled in.
     *
     * @param holdSeconds 0 (no keepalives) or 3..65535
     * @param keepaliveSeconds at most a third of the hold time; 0 when the hold time is 0
     * @param sendHoldSeconds the RFC 9687 send hold time; empty for the speaker's default
     */
    public record Timers(int holdSeconds, int keepaliveSeconds, int connectRetrySeconds, OptionalInt sendHoldSeconds) {
        public static final Timers DEFAULTS = new Timers(90, 30, 120);

        /** With the speaker's default send hold time. */
        public Timers(int holdSeconds, int keepaliveSeconds, int connectRetrySeconds) {
            this(holdSeconds, keepaliveSeconds, connectRetrySeconds, OptionalInt.empty());
        }

        public Timers {
            if (sendHoldSeconds.isPresent() && sendHoldSeconds.getAsInt() < Math.max(1, holdSeconds)) {
                throw new IllegalArgumentException("send hold time " + sendHoldSeconds.getAsInt()
                        + " s is below the hold time " + holdSeconds + " s or 1 s");
            }
            if (holdSeconds != 0 && (holdSeconds < 3 || holdSeconds > 65535)) {
                throw new IllegalArgumentException("hold time " + holdSeconds + " s is neither 0 nor 3..65535");
            }
            if (keepaliveSeconds < 0 || connectRetrySeconds < 1) {
                throw new IllegalArgumentException(
                        "keepalive " + keepaliveSeconds + " s, connect retry " + connectRetrySeconds + " s");
            }
        }
    }

    /**
     * A maximum-prefix limit for one family.
     *
     * @param restartAfterMinutes empty stays down after the limit tripped
     */
    public record MaxPrefix(
            AddressFamily family, long limit, OptionalInt warningPercent, OptionalInt restartAfterMinutes) {}

    @Override
    public String toString() {
        return "PeerConfig[" + peer + " " + peerAddress + " AS" + peerAsn + " local AS" + localAsn + " families="
                + families + (tcpMd5Password.isEmpty() ? "" : " tcp-md5=<redacted>") + "]";
    }
}
