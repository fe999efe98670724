package io.meshgw.gateway.api.v1;

/**
 * One connection-tracking entry, an element of {@code GET /api/v1/datapath/conntrack}.
 *
 * @param kind {@code DNAT}, {@code DNAT_REPLY}, {@code SNAT} or {@code SNAT_REPLY}
 * @param protocol {@code TCP} or {@code UDP}
 * @param source {@code address:port} as the packet arrives
 * @param destination {@code address:port} as the packet arrives
 * @param translatedTo {@code address:port} the packet is rewritten to
 * @param closing a TCP flow that saw FIN from both sides or an RST: it expires soon
 */
public record ConntrackView(
        String kind,
        String protocol,
        String source,
        String destination,
        String translatedTo,
        int backendId,
        int identity,
        long ageMillis,
        long idleMillis,
        long packets,
        long bytes,
        boolean closing) {}
