package io.meshgw.gateway.api.v1;

/**
 * Which gateway build answers, {@code GET /api/v1/info}.
 *
 * @param java the JDK's runtime version
 * @param kernel the operating system's release
 */
public record InfoView(String name, String version, String java, String kernel) {}
