package io.meshgw.bgp.rib;

import java.util.Optional;

/** The best path of a destination changed: announce {@code now}, or withdraw when it is empty. */
public record BestPathChange<K, A>(K destination, Optional<Path<A>> before, Optional<Path<A>> now) {}
