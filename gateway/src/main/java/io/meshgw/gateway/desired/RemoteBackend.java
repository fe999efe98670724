package io.meshgw.gateway.desired;

/** A ready endpoint of a service in another cluster, as mesh-sync last read it. */
public record RemoteBackend(String address, int port, int cluster) {}
