package io.meshgw.bpf.datapath;

/**
 * How full one of the datapath's maps is: a map that fills up refuses the next apply (its configuration maps) or
 * evicts live flows (conntrack, an LRU).
 *
 * @param map the map's name, e.g. {@code mgw_svc_v1}
 * @param holds what its entries are, for people
 * @param entries entries held now (conntrack: as of the last expiry sweep)
 * @param maxEntries its size
 */
public record MapFill(String map, String holds, long entries, long maxEntries) {}
