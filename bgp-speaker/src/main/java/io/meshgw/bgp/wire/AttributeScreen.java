package io.meshgw.bgp.wire;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one neighbor's session does with path attributes on the way in, before any route is stored: the operator's
 * per-type choice, and the default for optional transitive attributes meshgw does not interpret.
 *
 * <p>meshgw is an edge speaker, not a transit: by default it does not relay an optional transitive attribute it
 * does not act on. An attribute relayed unchecked is the path by which one neighbor's malformed UPDATE resets a
 * second router's session with meshgw (that router understands the attribute and finds it malformed), again each
 * time the route is sent. An operator who needs such an attribute passed on lists it under {@link Action#RELAY};
 * a relayed attribute whose format is specified is validated first ({@link TransitiveFormats}).
 *
 * @param actions the configured action per attribute type (1..255); types not listed get the default
 */
public record AttributeScreen(Map<Integer, Action> actions) {

    /** What happens to one attribute type when it arrives. */
    public enum Action {
        /** Keep the attribute and pass it on (with the Partial bit when meshgw does not interpret it). */
        RELAY,
        /** Drop the attribute, keep the route (RFC 7606 §2 attribute-discard). */
        DISCARD,
        /** Treat the UPDATE's announcements as withdrawn (RFC 7606 §2 treat-as-withdraw). */
        TREAT_AS_WITHDRAW
    }

    /** The safe default: attributes meshgw interprets are kept, unknown optional transitive ones discarded. */
    public static final AttributeScreen DEFAULT = new AttributeScreen(Map.of());

    /**
     * Types an operator may not discard or withdraw on: without them no route can be used (ORIGIN, AS_PATH,
     * NEXT_HOP), or they carry the NLRI themselves (MP_REACH_NLRI, MP_UNREACH_NLRI).
     */
    public static final Set<Integer> MANDATORY = Set.of(
            PathAttribute.ORIGIN,
            PathAttribute.AS_PATH,
            PathAttribute.NEXT_HOP,
            PathAttribute.MP_REACH_NLRI,
            PathAttribute.MP_UNREACH_NLRI);

    public AttributeScreen {
        for (Map.Entry<Integer, Action> e : actions.entrySet()) {
            int type = e.getKey();
            if (type < 1 || type > 255) {
                throw new IllegalArgumentException("path attribute type " + type + " is not 1..255");
            }
            if (MANDATORY.contains(type) && e.getValue() != Action.RELAY) {
                throw new IllegalArgumentException("path attribute type " + type + " (" + name(type)
                        + ") cannot be set to " + e.getValue() + ": routes need it");
            }
        }
        actions = Map.copyOf(actions);
    }

    /** The configured action for {@code type}, if the operator named it. */
    public Optional<Action> configured(int type) {
        return Optional.ofNullable(actions.get(type));
    }

    /** The configuration in type order, for status and logs. */
    @Override
    public String toString() {
        return "AttributeScreen" + new TreeMap<>(actions);
    }

    /** The registered name of an attribute type, or its number. */
    public static String name(int type) {
        return switch (type) {
            case PathAttribute.ORIGIN -> "ORIGIN";
            case PathAttribute.AS_PATH -> "AS_PATH";
            case PathAttribute.NEXT_HOP -> "NEXT_HOP";
            case PathAttribute.MULTI_EXIT_DISC -> "MULTI_EXIT_DISC";
            case PathAttribute.LOCAL_PREF -> "LOCAL_PREF";
            case PathAttribute.ATOMIC_AGGREGATE -> "ATOMIC_AGGREGATE";
            case PathAttribute.AGGREGATOR -> "AGGREGATOR";
            case PathAttribute.COMMUNITIES -> "COMMUNITIES";
            case PathAttribute.MP_REACH_NLRI -> "MP_REACH_NLRI";
            case PathAttribute.MP_UNREACH_NLRI -> "MP_UNREACH_NLRI";
            case PathAttribute.EXTENDED_COMMUNITIES -> "EXTENDED_COMMUNITIES";
            case PathAttribute.AS4_PATH -> "AS4_PATH";
            case PathAttribute.AS4_AGGREGATOR -> "AS4_AGGREGATOR";
            case TransitiveFormats.PMSI_TUNNEL -> "PMSI_TUNNEL";
            case TransitiveFormats.TUNNEL_ENCAPSULATION -> "TUNNEL_ENCAPSULATION";
            case TransitiveFormats.IPV6_EXTENDED_COMMUNITIES -> "IPV6_EXTENDED_COMMUNITIES";
            case PathAttribute.LARGE_COMMUNITIES -> "LARGE_COMMUNITIES";
            case PathAttribute.ONLY_TO_CUSTOMER -> "ONLY_TO_CUSTOMER";
            case TransitiveFormats.PREFIX_SID -> "PREFIX_SID";
            case TransitiveFormats.ATTR_SET -> "ATTR_SET";
            default -> String.valueOf(type);
        };
    }
}
