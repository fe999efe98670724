package io.meshgw.operator.model;

import io.meshgw.operator.crd.AddressFamily;
import io.meshgw.operator.crd.BgpPeerSpec;
import io.meshgw.operator.plan.PeerConfig;
import io.meshgw.types.IpAddress;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules a BgpPeer must satisfy. The CRD's schema and CEL rules refuse most of them before an object is stored; these
 * hold them where no schema is in front (standalone mode's file) and behind the schema, whatever stored the object.
 */
public final class BgpPeerValidator {
    private BgpPeerValidator() {}

    /** The rules of the spec alone; the password Secret and the policies are other objects, checked by the model. */
    public static Validation validate(BgpPeerSpec spec) {
        var result = Asn.validate("spec.peerAsn", spec.peerAsn)
                .and(Asn.validate("spec.localAsn", spec.localAsn))
                .and(address("spec.peerAddress", spec.peerAddress, true))
                .and(address("spec.localAddress", spec.localAddress, false))
                .and(LabelSelectors.validate("spec.nodeSelector", spec.nodeSelector));
        result = result.and(sameFamily(spec)).and(gtsm(spec)).and(role(spec)).and(nextHops(spec));
        if (spec.timers != null) {
            result = result.and(holdTime(spec.timers.holdTimeSeconds))
                    .and(atLeast("spec.timers.keepaliveSeconds", spec.timers.keepaliveSeconds, 0))
                    .and(atLeast("spec.timers.connectRetrySeconds", spec.timers.connectRetrySeconds, 1))
                    .and(keepalive(spec.timers))
                    .and(sendHold(spec.timers));
        }
        if (spec.pathAttributes != null) result = result.and(pathAttributes(spec.pathAttributes));
        var limited = EnumSet.noneOf(AddressFamily.class);
        for (int i = 0; i < spec.maxPrefix.size(); i++) {
            var limit = spec.maxPrefix.get(i);
            var path = "spec.maxPrefix[" + i + "]";
            // The schema requires both; a file in standalone mode has no schema in front of it.
            if (limit.family == null) result = result.and(Validation.of(path + ".family", "is required"));
            if (limit.limit == null) result = result.and(Validation.of(path + ".limit", "is required"));
            result = result.and(warningPercent(path + ".warningPercent", limit.warningPercent));
            if (limit.family != null && !spec.families.contains(limit.family)) {
                result = result.and(Validation.of(
                        path + ".family", family(limit.family) + " is not one of spec.families " + families(spec)));
            } else if (limit.family != null && !limited.add(limit.family)) {
                result = result.and(Validation.of(path + ".family", "a second limit for " + family(limit.family)));
            }
        }
        return result;
    }

    /**
     * Types that routes need: ORIGIN, AS_PATH, NEXT_HOP, MP_REACH_NLRI, MP_UNREACH_NLRI. The speaker refuses to drop
     * the same ones (bgp-speaker's {@code AttributeScreen.MANDATORY}, which the gateway's tests hold equal to this), and
     * the CRD's validation rules list them too ({@code BgpPeerSpec.PathAttributes}, held equal by this module's tests).
     */
    public static final Set<Integer> MANDATORY_ATTRIBUTES = Set.of(1, 2, 3, 14, 15);

    /** Each type 1..255, in one list only; none a route cannot do without is discarded or withdrawn on. */
    private static Validation pathAttributes(BgpPeerSpec.PathAttributes a) {
        var result = Validation.OK;
        var seen = new HashMap<Integer, String>();
        for (var list : List.of(
                Map.entry("relay", nonNull(a.relay)),
                Map.entry("discard", nonNull(a.discard)),
                Map.entry("treatAsWithdraw", nonNull(a.treatAsWithdraw)))) {
            for (int i = 0; i < list.getValue().size(); i++) {
                var path = "spec.pathAttributes." + list.getKey() + "[" + i + "]";
                Integer type = list.getValue().get(i);
                if (type == null || type < 1 || type > 255) {
                    result = result.and(Validation.of(path, "attribute type " + type + " is not 1..255"));
                    continue;
                }
                if (!list.getKey().equals("relay") && MANDATORY_ATTRIBUTES.contains(type)) {
                    result = result.and(Validation.of(
                            path,
                            "attribute type " + type + " cannot be dropped: routes need ORIGIN, AS_PATH, NEXT_HOP and"
                                    + " the MP_REACH/MP_UNREACH attributes (1, 2, 3, 14, 15)"));
                }
                var before = seen.putIfAbsent(type, list.getKey());
                if (before != null && !before.equals(list.getKey())) {
                    result = result.and(
                            Validation.of(path, "attribute type " + type + " is also listed under " + before));
                }
            }
        }
        return result;
    }

    private static List<Integer> nonNull(List<Integer> l) {
        return l == null ? List.of() : l;
    }

    /** RFC 9234 roles are for eBGP sessions; strict mode needs a role to insist on. */
    private static Validation role(BgpPeerSpec spec) {
        if (spec.localRole != null && spec.peerAsn != null && spec.peerAsn.equals(spec.localAsn)) {
            return Validation.of("spec.localRole", "is for eBGP sessions (RFC 9234), but peerAsn equals localAsn");
        }
        if (Boolean.TRUE.equals(spec.strictRole) && spec.localRole == null) {
            return Validation.of("spec.strictRole", "needs a localRole");
        }
        return Validation.OK;
    }

    /** The configured IPv6 next hop is a global IPv6 address; RFC 8950 carries IPv4, which the session must have. */
    private static Validation nextHops(BgpPeerSpec spec) {
        var result = Validation.OK;
        if (spec.ipv6NextHop != null && !spec.ipv6NextHop.isEmpty()) {
            var nh = IpAddress.tryParse(spec.ipv6NextHop);
            if (nh.isEmpty()
                    || nh.get().family() != io.meshgw.types.IpFamily.IPV6
                    || nh.get().toInetAddress().isLinkLocalAddress()) {
                result = result.and(Validation.of(
                        "spec.ipv6NextHop",
                        spec.ipv6NextHop + " is not a global IPv6 address (without prefix length)"));
            }
        }
        if (Boolean.TRUE.equals(spec.extendedNextHop)
                && spec.families != null
                && !spec.families.contains(AddressFamily.IPV4_UNICAST)) {
            result = result.and(Validation.of(
                    "spec.extendedNextHop",
                    "carries IPv4 routes with IPv6 next hops (RFC 8950), but spec.families " + families(spec)
                            + " has no ipv4-unicast"));
        }
        return result;
    }

    /** A session runs over one address family: the source address must be of the peer's. */
    private static Validation sameFamily(BgpPeerSpec spec) {
        if (spec.localAddress == null || spec.localAddress.isEmpty()) return Validation.OK;
        var local = IpAddress.tryParse(spec.localAddress);
        var peer = IpAddress.tryParse(spec.peerAddress);
        if (local.isEmpty()
                || peer.isEmpty()
                || local.get().family() == peer.get().family()) return Validation.OK;
        return Validation.of(
                "spec.localAddress",
                spec.localAddress + " is not of the address family of peerAddress " + spec.peerAddress);
    }

    /**
     * RFC 5082 §3: with GTSM every packet leaves with TTL 255 and the multihop TTL counts the hops to the router, so
     * only packets that arrive with TTL 256 - hops or more are taken. A multihop session without a TTL may cross any
     * number of routers: with GTSM it would check nothing (the kernel refuses a minimum TTL of 1), so the session
     * could never connect. The hop count must be given, 1..254.
     */
    static Validation gtsm(BgpPeerSpec spec) {
        if (spec.multihop != null && spec.multihop.ttl != null && (spec.multihop.ttl < 1 || spec.multihop.ttl > 255)) {
            return Validation.of("spec.multihop.ttl", spec.multihop.ttl + " is not a valid TTL (1..255)");
        }
        boolean multihop = spec.multihop != null && Boolean.TRUE.equals(spec.multihop.enabled);
        if (!Boolean.TRUE.equals(spec.gtsm) || !multihop) return Validation.OK;
        if (spec.multihop.ttl == null || spec.multihop.ttl > 254) {
            return Validation.of(
                    "spec.multihop.ttl",
                    (spec.multihop.ttl == null ? "is required" : spec.multihop.ttl + " is too many")
                            + " with gtsm: the number of hops to the router, 1..254; GTSM (RFC 5082) sends with TTL"
                            + " 255 and accepts only packets that arrive with TTL 256 - ttl or more");
        }
        return Validation.OK;
    }

    /**
     * RFC 4271 §4.2: with a hold time of 0 no keepalives are sent, so a keepalive interval contradicts it; otherwise
     * the interval is at most a third of the hold time (§4.4), or the peer's hold timer expires between keepalives.
     * The hold time is the default one when unset.
     */
    static Validation keepalive(BgpPeerSpec.Timers timers) {
        if (timers.keepaliveSeconds == null) return Validation.OK;
        int hold = timers.holdTimeSeconds == null ? PeerConfig.Timers.DEFAULTS.holdSeconds() : timers.holdTimeSeconds;
        int keepalive = timers.keepaliveSeconds;
        if (hold == 0 && keepalive != 0) {
            return Validation.of(
                    "spec.timers.keepaliveSeconds",
                    keepalive + " with holdTimeSeconds 0: no keepalives are sent without a hold time");
        }
        if (hold != 0 && keepalive * 3 > hold) {
            return Validation.of(
                    "spec.timers.keepaliveSeconds",
                    keepalive + " is more than a third of the hold time " + hold + " s");
        }
        return Validation.OK;
    }

    /**
     * RFC 9687: the send hold timer resets a session whose router takes nothing the gateway sends; one shorter than the
     * hold time resets a session the router would still wait for. The hold time is the default one when unset.
     */
    static Validation sendHold(BgpPeerSpec.Timers timers) {
        if (timers.sendHoldTimeSeconds == null) return Validation.OK;
        int hold = timers.holdTimeSeconds == null ? PeerConfig.Timers.DEFAULTS.holdSeconds() : timers.holdTimeSeconds;
        int sendHold = timers.sendHoldTimeSeconds;
        if (sendHold < 1 || sendHold > 65535) {
            return Validation.of("spec.timers.sendHoldTimeSeconds", sendHold + " is outside 1..65535");
        }
        if (sendHold < hold) {
            return Validation.of(
                    "spec.timers.sendHoldTimeSeconds", sendHold + " is below the hold time " + hold + " s");
        }
        return Validation.OK;
    }

    private static String family(AddressFamily family) {
        return family == AddressFamily.IPV4_UNICAST ? "ipv4-unicast" : "ipv6-unicast";
    }

    private static String families(BgpPeerSpec spec) {
        return spec.families.stream().map(BgpPeerValidator::family).toList().toString();
    }

    static Validation address(String path, String text, boolean required) {
        if (text == null || text.isEmpty()) return required ? Validation.of(path, "is required") : Validation.OK;
        return IpAddress.tryParse(text).isPresent()
                ? Validation.OK
                : Validation.of(path, "'" + text + "' is not an IPv4 or IPv6 address");
    }

    /** RFC 4271 §4.2: the hold time MUST be either zero or at least three seconds. */
    static Validation holdTime(Integer seconds) {
        if (seconds == null || seconds == 0 || (seconds >= 3 && seconds <= 65535)) return Validation.OK;
        return Validation.of(
                "spec.timers.holdTimeSeconds", seconds + " is not a valid hold time (0 or 3..65535 seconds)");
    }

    /** What the schema's minimum says, for files read without a schema in front (standalone mode). */
    private static Validation atLeast(String path, Integer value, int min) {
        if (value == null || value >= min) return Validation.OK;
        return Validation.of(path, value + " is below the minimum " + min);
    }

    static Validation warningPercent(String path, Integer percent) {
        if (percent == null || (percent >= 1 && percent <= 100)) return Validation.OK;
        return Validation.of(path, percent + " is not a valid percentage (1..100)");
    }
}
