package io.meshgw.bgp.speaker;

import io.meshgw.bgp.wire.PathAttribute;
import java.util.List;

/** The path attributes of a route as held in the RIB: an immutable list, interned by value. */
public record RouteAttributes(List<PathAttribute> attributes) {

    public RouteAttributes {
        attributes = List.copyOf(attributes);
    }

    public <A extends PathAttribute> java.util.Optional<A> get(Class<A> kind) {
        return attributes.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }
}
