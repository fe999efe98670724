package io.meshgw.mesh.wire;

import io.meshgw.mesh.state.StateValue;

/** A decoded value with its envelope: the format version and the cluster that owns it. */
public record WireValue(int version, int cluster, StateValue value) {}
