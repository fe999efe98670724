package io.meshgw.gateway.api.v1;

/**
 * One port of a service in {@link ServiceView}.
 *
 * @param name empty for a Service's lone unnamed port
 * @param protocol {@code TCP} or {@code UDP}
 */
public record PortView(String name, int port, String protocol) {}
