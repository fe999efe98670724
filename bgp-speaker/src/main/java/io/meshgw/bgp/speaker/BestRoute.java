package io.meshgw.bgp.speaker;

import io.meshgw.bgp.wire.Prefix;

/** A Loc-RIB best path and where it came from: a peer's name, or {@code local}. */
public record BestRoute(Prefix prefix, String from, RouteAttributes attributes) {}
