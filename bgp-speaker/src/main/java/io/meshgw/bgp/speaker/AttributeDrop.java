package io.meshgw.bgp.speaker;

import io.meshgw.bgp.wire.AttributeScreen;

/**
 * A kind of path attribute a session dropped on the way in, the key of its per-session count: an attribute of
 * {@code type} handled by {@code action} because it was malformed (RFC 7606) or because the session's {@link
 * AttributeScreen} says so.
 */
public record AttributeDrop(int type, Action action, Cause cause) {

    /** What happened to the route that carried the attribute. */
    public enum Action {
        /** The attribute was dropped, the route kept. */
        DISCARD,
        /** The route was treated as withdrawn. */
        TREAT_AS_WITHDRAW
    }

    /** Why the attribute was dropped. */
    public enum Cause {
        /** Its value broke its RFC's format. */
        MALFORMED,
        /** The operator listed its type, or meshgw does not relay it by default. */
        SCREENED
    }

    /** The attribute type's registered name, e.g. {@code TUNNEL_ENCAPSULATION}, or its number. */
    public String typeName() {
        return AttributeScreen.name(type);
    }
}
