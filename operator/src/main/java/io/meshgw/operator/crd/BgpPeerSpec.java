package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

@ValidationRule(
        value = "!has(self.localAddress) || !isIP(self.localAddress) || !isIP(self.peerAddress)"
                + " || ip(self.localAddress).family() == ip(self.peerAddress).family()",
        message = "localAddress must be of the same address family as peerAddress",
        fieldPath = ".localAddress")
@ValidationRule(
        value = "!has(self.gtsm) || !self.gtsm || !has(self.multihop) || !has(self.multihop.enabled)"
                + " || !self.multihop.enabled || (has(self.multihop.ttl) && self.multihop.ttl <= 254)",
        message = "gtsm with multihop needs multihop.ttl, the number of hops to the router, 1..254: GTSM (RFC 5082)"
                + " sends with TTL 255 and accepts only packets that arrive with TTL 256 - ttl or more",
        fieldPath = ".multihop")
@ValidationRule(
        value = "!has(self.maxPrefix) || self.maxPrefix.all(m, m.family in self.families)",
        message = "every maxPrefix family must be one of spec.families",
        fieldPath = ".maxPrefix")
@ValidationRule(
        value = "!has(self.localRole) || self.peerAsn != self.localAsn",
        message = "localRole is for eBGP sessions (RFC 9234): peerAsn equals localAsn",
        fieldPath = ".localRole")
@ValidationRule(
        value = "!has(self.strictRole) || !self.strictRole || has(self.localRole)",
        message = "strictRole needs a localRole",
        fieldPath = ".strictRole")
@ValidationRule(
        value = "!has(self.extendedNextHop) || !self.extendedNextHop || !has(self.families)"
                + " || 'ipv4-unicast' in self.families",
        message = "extendedNextHop carries IPv4 routes with IPv6 next hops (RFC 8950): families needs ipv4-unicast",
        fieldPath = ".extendedNextHop")
public class BgpPeerSpec {
    @JsonPropertyDescription("The router's address, IPv4 or IPv6, without prefix length. One BgpPeer per address: a"
            + " second BgpPeer to the same address is not applied (DuplicatePeer).")
    @Required
    @Size(max = Crds.MAX_ADDRESS_LENGTH)
    @ValidationRule(
            value = "isIP(self)",
            message = "peerAddress must be an IPv4 or IPv6 address, without prefix length")
    public String peerAddress;

    @JsonPropertyDescription("The router's AS number, 1..4294967295 (4-octet, RFC 6793), not 23456 (AS_TRANS).")
    @Required
    @Min(1)
    @Max(Crds.MAX_ASN)
    @ValidationRule(value = "self != 23456", message = "peerAsn 23456 is AS_TRANS (RFC 6793), never a real AS")
    public Long peerAsn;

    @JsonPropertyDescription("The gateway's AS number on this session, 1..4294967295, not 23456 (AS_TRANS). Equal to"
            + " peerAsn for iBGP.")
    @Required
    @Min(1)
    @Max(Crds.MAX_ASN)
    @ValidationRule(value = "self != 23456", message = "localAsn 23456 is AS_TRANS (RFC 6793), never a real AS")
    public Long localAsn;

    /**
     * The nodes whose gateway runs this session (their labels, e.g. the rack's top-of-rack pair); every gateway node
     * when absent. Two BgpPeers may name the same peer address for disjoint sets of nodes.
     */
    @JsonPropertyDescription("The gateway nodes that run this session, by their Node labels (a label selector, e.g."
            + " the rack's top-of-rack pair); every gateway node when absent. Two BgpPeers may name the same"
            + " peerAddress for disjoint sets of nodes.")
    public NodeSelector nodeSelector;

    /** Source address of the session; the gateway's node address when empty. */
    @JsonPropertyDescription("Source address of the session, IPv4 or IPv6 of the same family as peerAddress; the"
            + " node's address toward the router when absent.")
    @Size(max = Crds.MAX_ADDRESS_LENGTH)
    @ValidationRule(
            value = "isIP(self)",
            message = "localAddress must be an IPv4 or IPv6 address, without prefix length")
    public String localAddress;

    @JsonPropertyDescription("MP-BGP address families negotiated on the session: ipv4-unicast, ipv6-unicast."
            + " Default [ipv4-unicast].")
    @Default("[\"ipv4-unicast\"]")
    @Size(min = 1, max = 2)
    @ValidationRule(value = "self.all(f, self.exists_one(g, g == f))", message = "families lists a family twice")
    public List<AddressFamily> families = new ArrayList<>(List.of(AddressFamily.IPV4_UNICAST));

    @JsonPropertyDescription("Session timers in seconds; RFC 4271 §10's suggested values where absent.")
    public Timers timers;

    /** TCP-MD5 (RFC 2385) password. */
    @JsonPropertyDescription("The TCP-MD5 (RFC 2385) password, a key of a Secret in the BgpPeer's namespace, which"
            + " must be the namespace the operator reads Secrets in. No password when absent.")
    public SecretKeyRef passwordSecretRef;

    @JsonPropertyDescription("eBGP multihop, for a router that is not directly connected. Absent: a directly"
            + " connected router (TTL 1).")
    public Multihop multihop;

    /** RFC 5082 GTSM: send with TTL 255, accept TTL 256 - hops (255 from a directly connected peer). */
    @JsonPropertyDescription("RFC 5082 GTSM: send with TTL 255 and accept only packets that arrive with TTL 255, or"
            + " 256 - multihop.ttl with multihop, which then needs multihop.ttl (1..254). The router must do GTSM too."
            + " Default false.")
    public Boolean gtsm;

    @JsonPropertyDescription("RFC 4724 graceful restart: the router keeps the gateway's routes while the session"
            + " restarts. Off when absent.")
    public GracefulRestart gracefulRestart;

    @JsonPropertyDescription("At most one limit per address family on the routes accepted from the router, each"
            + " family counted on its own (as FRR's and BIRD's per-family maximum-prefix): IPv6 routes never count"
            + " toward the IPv4 limit. A family of spec.families not listed has a limit of 100,000 routes (warned of at"
            + " 90 %, started again after 15 minutes); list a larger limit to allow more.")
    @Size(max = 2)
    @ValidationRule(
            value = "self.all(m, self.exists_one(n, n.family == m.family))",
            message = "maxPrefix has more than one limit for a family")
    public List<MaxPrefix> maxPrefix = new ArrayList<>();

    @JsonPropertyDescription("What the session does with path attributes it receives, by attribute type (1..255,"
            + " IANA's BGP Path Attributes registry), before any policy. By default an optional transitive attribute"
            + " the gateway does not interpret is dropped, not relayed, so a malformed one from this router cannot"
            + " reset another router's session with the gateway; list it under relay to pass it on (checked against"
            + " its RFC first where the format is specified: 22, 23, 25, 40, 128).")
    public PathAttributes pathAttributes;

    /** Name of a BgpPolicy in the same namespace applied to received routes. */
    @JsonPropertyDescription("Name of a BgpPolicy in the BgpPeer's namespace applied to the routes received; every"
            + " route is accepted when absent. A missing or invalid policy leaves the BgpPeer not applied.")
    @Pattern(Crds.OBJECT_NAME)
    @Size(max = 253)
    public String importPolicy;

    /** Name of a BgpPolicy in the same namespace applied to announced routes. */
    @JsonPropertyDescription("Name of a BgpPolicy in the BgpPeer's namespace applied to the routes announced. When"
            + " absent the gateway announces the routes it originates itself (its addresses) and none it learned,"
            + " whatever their AS path. A missing or invalid policy leaves the BgpPeer not applied.")
    @Pattern(Crds.OBJECT_NAME)
    @Size(max = 253)
    public String exportPolicy;

    @JsonPropertyDescription("The gateway's role on this eBGP session (RFC 9234): provider, customer, peer, rs-server"
            + " or rs-client (the router is a route server). Announced in the OPEN; a router announcing a role that"
            + " does not pair with it (customer with provider, peer with peer, rs-client with rs-server) is refused"
            + " with Role Mismatch. The Only-to-Customer attribute then keeps routes from one provider or peer from"
            + " reaching another. No role when absent; not for iBGP.")
    public SessionRole localRole;

    @JsonPropertyDescription(
            "RFC 9234 strict mode: refuse a router that announces no role. Needs localRole. Default" + " false.")
    public Boolean strictRole;

    @JsonPropertyDescription("The global IPv6 next hop of the IPv6 routes the gateway announces on this session (and"
            + " of its IPv4 routes with extendedNextHop). When absent: the session's own address if it is a global"
            + " IPv6 one, else the lowest global IPv6 address of the interface the session runs on; with neither, no"
            + " IPv6 route is announced and the status says so. Over a link-local session the link-local address"
            + " follows the global one (RFC 2545).")
    @Size(max = Crds.MAX_ADDRESS_LENGTH)
    @ValidationRule(
            value = "isIP(self) && ip(self).family() == 6 && !self.matches('^[fF][eE][89abAB]')",
            message = "ipv6NextHop must be a global IPv6 address, without prefix length")
    public String ipv6NextHop;

    @JsonPropertyDescription("RFC 8950 extended next hop: offer and require the capability for IPv4 unicast with"
            + " IPv6 next hops, so an IPv6 session (an IPv6-only fabric) carries the IPv4 routes too, each with the"
            + " session's IPv6 next hop. A router that does not announce the capability is refused (OPEN error"
            + " Unsupported Capability). Needs ipv4-unicast in families. Default false.")
    public Boolean extendedNextHop;

    @ValidationRule(
            value = "!has(self.keepaliveSeconds) || self.holdTimeSeconds != 0 || self.keepaliveSeconds == 0",
            message = "keepaliveSeconds must be 0 or absent when holdTimeSeconds is 0 (no keepalives are sent)",
            fieldPath = ".keepaliveSeconds")
    @ValidationRule(
            value = "!has(self.keepaliveSeconds) || self.holdTimeSeconds == 0"
                    + " || self.keepaliveSeconds * 3 <= self.holdTimeSeconds",
            message = "keepaliveSeconds must be at most a third of holdTimeSeconds (RFC 4271 §4.4), or the peer's"
                    + " hold timer expires between keepalives",
            fieldPath = ".keepaliveSeconds")
    @ValidationRule(
            value = "!has(self.sendHoldTimeSeconds) || self.sendHoldTimeSeconds >= self.holdTimeSeconds",
            message = "sendHoldTimeSeconds must be at least holdTimeSeconds: a shorter one resets a session whose"
                    + " router would still wait for it",
            fieldPath = ".sendHoldTimeSeconds")
    public static class Timers {
        /** Seconds; 0 disables keepalives, otherwise 3..65535 (RFC 4271 §4.2). */
        @JsonPropertyDescription("Hold time offered in the OPEN, in seconds: 0 (no keepalives, the session never"
                + " times out) or 3..65535 (RFC 4271 §4.2). Default 90.")
        @Min(0)
        @Max(65535)
        @Default("90")
        @ValidationRule(
                value = "self == 0 || self >= 3",
                message = "holdTimeSeconds must be 0 or 3..65535 (RFC 4271 §4.2)")
        public Integer holdTimeSeconds;

        @JsonPropertyDescription("Interval between KEEPALIVE messages, in seconds, 0..21845 and at most a third of"
                + " holdTimeSeconds. Default a third of the hold time; none when the hold time is 0.")
        @Min(0)
        @Max(21845)
        public Integer keepaliveSeconds;

        @JsonPropertyDescription("Wait between connection attempts, in seconds, 1..65535. Default 120.")
        @Min(1)
        @Max(65535)
        @Default("120")
        public Integer connectRetrySeconds;

        @JsonPropertyDescription("RFC 9687 send hold time, in seconds, 1..65535 and at least holdTimeSeconds: a"
                + " router that takes none of what the gateway sends for this long (its TCP window stays shut) gets a"
                + " NOTIFICATION (8, Send Hold Timer Expired) and the session is reset, so it cannot hold the gateway's"
                + " memory. Default 480 (8 minutes) or twice the negotiated hold time, whichever is longer. A change"
                + " resets the session.")
        @Min(1)
        @Max(65535)
        public Integer sendHoldTimeSeconds;
    }

    @ValidationRule(
            value = "!has(self.discard) || !has(self.treatAsWithdraw)"
                    + " || self.discard.all(t, !(t in self.treatAsWithdraw))",
            message = "an attribute type is listed under both discard and treatAsWithdraw")
    @ValidationRule(
            value = "!has(self.relay) || ((!has(self.discard) || self.relay.all(t, !(t in self.discard)))"
                    + " && (!has(self.treatAsWithdraw) || self.relay.all(t, !(t in self.treatAsWithdraw))))",
            message = "an attribute type is listed under relay and under discard or treatAsWithdraw")
    public static class PathAttributes {
        @JsonPropertyDescription("Optional transitive attribute types to pass on to other routers with the Partial"
                + " bit, 1..255. A type whose format is specified (22 PMSI Tunnel, 23 Tunnel Encapsulation, 25 IPv6"
                + " Address Specific Extended Community, 40 Prefix-SID, 128 ATTR_SET) is checked"
                + " first, and a malformed one is handled as its RFC says (treat-as-withdraw, or discard for 40).")
        @Size(max = 255)
        @ValidationRule(value = "self.all(t, t >= 1 && t <= 255)", message = "relay lists a type outside 1..255")
        public List<Integer> relay = new ArrayList<>();

        @JsonPropertyDescription("Attribute types dropped on receipt, well-formed or not, the route kept (RFC 7606"
                + " attribute-discard), 1..255 but not 1, 2, 3, 14 or 15, which routes need.")
        @Size(max = 255)
        @ValidationRule(
                value = "self.all(t, t >= 1 && t <= 255 && !(t in [1, 2, 3, 14, 15]))",
                message = "discard lists a type outside 1..255, or ORIGIN, AS_PATH, NEXT_HOP, MP_REACH_NLRI or"
                        + " MP_UNREACH_NLRI (1, 2, 3, 14, 15), which routes need")
        public List<Integer> discard = new ArrayList<>();

        @JsonPropertyDescription("Attribute types whose presence withdraws the routes of the UPDATE carrying them"
                + " (RFC 7606 treat-as-withdraw), 1..255 but not 1, 2, 3, 14 or 15.")
        @Size(max = 255)
        @ValidationRule(
                value = "self.all(t, t >= 1 && t <= 255 && !(t in [1, 2, 3, 14, 15]))",
                message = "treatAsWithdraw lists a type outside 1..255, or ORIGIN, AS_PATH, NEXT_HOP, MP_REACH_NLRI"
                        + " or MP_UNREACH_NLRI (1, 2, 3, 14, 15), which routes need")
        public List<Integer> treatAsWithdraw = new ArrayList<>();
    }

    public static class Multihop {
        @JsonPropertyDescription("Whether the session may cross routers. Default false.")
        public Boolean enabled;

        // No schema default: GTSM needs to tell an absent TTL (any distance) from a hop count.
        @JsonPropertyDescription("Hops to the router when enabled, 1..255: the session's packets leave with this TTL;"
                + " with gtsm they leave with TTL 255 and this counts the hops, 1..254. Default 255 (any distance),"
                + " which gtsm refuses.")
        @Min(1)
        @Max(255)
        public Integer ttl;
    }

    public static class GracefulRestart {
        @JsonPropertyDescription("Whether the capability is advertised. Default false.")
        public Boolean enabled;

        /** Seconds (RFC 4724 §3: 12-bit field). */
        @JsonPropertyDescription("How long the router keeps the gateway's routes after the session went down, in"
                + " seconds, 0..4095 (RFC 4724 §3: a 12-bit field). Default 120.")
        @Min(0)
        @Max(4095)
        @Default("120")
        public Integer restartTimeSeconds;
    }

    public static class MaxPrefix {
        @JsonPropertyDescription("The address family the limit counts, one of spec.families.")
        @Required
        public AddressFamily family;

        @JsonPropertyDescription("Most accepted routes of the family the router may announce, at least 1; one more"
                + " closes the session with a Cease NOTIFICATION naming the family (RFC 4486).")
        @Required
        @Min(1)
        public Long limit;

        @JsonPropertyDescription("Percentage of limit, 1..100, at which a warning is logged. Default 90.")
        @Min(1)
        @Max(100)
        public Integer warningPercent;

        /** Minutes before re-establishing after the limit tripped; absent means stay down. */
        @JsonPropertyDescription("Minutes, 1..65535, before the session is re-established after the limit closed it;"
                + " it stays down until the BgpPeer changes when absent.")
        @Min(1)
        @Max(65535)
        public Integer restartAfterMinutes;
    }
}
