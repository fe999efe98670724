package io.meshgw.gateway.api.v1;

/**
 * One datapath counter, summed over CPUs, an element of {@code GET /api/v1/datapath/counters}.
 *
 * @param name the counter in lower case, e.g. {@code dnat_new}, {@code drop_no_backend}
 */
public record CounterView(String name, String description, long packets, long bytes) {}
