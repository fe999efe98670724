package io.meshgw.gateway.api.v1;

import java.util.List;

/**
 * The datapath at a glance, {@code GET /api/v1/datapath}.
 *
 * @param running the tc programs are loaded
 * @param attachments where they are attached, one line per program and interface, e.g. {@code tcx ingress on eth0}
 * @param services VIP translations loaded
 * @param egressIdentities egress translations loaded
 */
public record DatapathView(boolean running, List<String> attachments, int services, int egressIdentities) {}
