package io.meshgw.gateway.api.v1;

import java.util.List;

/**
 * One VIP the datapath translates (destination NAT), an element of
 * {@code GET /api/v1/datapath/translations}.
 *
 * @param vip {@code address:port}
 * @param protocol {@code TCP} or {@code UDP}
 * @param backends in slot order, each as {@code address:port (local)} or
 *     {@code address:port (cluster N)}; empty when packets to the VIP are dropped
 */
public record TranslationView(String vip, String protocol, int identity, List<String> backends) {}
