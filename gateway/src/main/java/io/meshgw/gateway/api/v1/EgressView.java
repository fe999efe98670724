package io.meshgw.gateway.api.v1;

import java.util.List;

/**
 * One egress identity the datapath translates (source NAT), an element of
 * {@code GET /api/v1/datapath/egress}.
 *
 * @param source the stable source address the identity's pods leave with
 * @param ports the source port range, {@code min-max}
 * @param destinations the IPv4 prefixes the translation applies to
 */
public record EgressView(int identity, String source, String ports, List<String> destinations) {}
