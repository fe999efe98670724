package io.meshgw.operator.port;

/** A ready endpoint of a Service port: pod address and target port. */
public record Backend(String address, int port) {}
