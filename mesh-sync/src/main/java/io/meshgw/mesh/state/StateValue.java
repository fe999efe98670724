package io.meshgw.mesh.state;

/**
 * The value of a record in a cluster's state topic. Each value knows its own key, so a publisher
 * cannot put a value under the wrong key and a reader can check that a record's key and value
 * agree.
 */
public sealed interface StateValue permits ServiceExport, EndpointSlice, GatewayAddress, Heartbeat, SyncedMarker {

    StateKey key();
}
