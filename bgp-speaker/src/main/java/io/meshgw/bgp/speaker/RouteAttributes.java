package io.meshgw.bgp.speaker;

import io.meshgw.bgp.wire.PathAttribute;
import java.util.List;
import java.util.Optional;

/**
 * The path attributes of a route as held in the RIB: immutable, compared by value and interned,
 * with its hash computed once because the RIB hashes it for every prefix it is attached to.
 */
public final class RouteAttributes {

    private final List<PathAttribute> attributes;
    private final int hash;

    public RouteAttributes(List<PathAttribute> attributes) {
        this.attributes = List.copyOf(attributes);
        this.hash = this.attributes.hashCode();
    }

    public List<PathAttribute> attributes() {
        return attributes;
    }

    public <A extends PathAttribute> Optional<A> get(Class<A> kind) {
        for (PathAttribute a : attributes) {
            if (kind.isInstance(a)) {
                return Optional.of(kind.cast(a));
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof RouteAttributes r && r.hash == hash && r.attributes.equals(attributes));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return attributes.toString();
    }
}
