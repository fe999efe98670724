package io.meshgw.bpf.datapath;

/**
 * The Java twins of the C structs in {@code mgw_maps.h} (layout v1). Addresses are IPv4
 * addresses as unsigned 32-bit values in the usual reading (10.0.0.1 = 0x0a000001) and ports
 * are plain numbers; {@link MapCodecs} puts them in network byte order where the C struct has
 * {@code __be} fields.
 */
public final class MapRecords {

    private MapRecords() {}

    public record SvcKey(int vip, int port, int proto) {}

    public record SvcValue(int svcId, int count, int localCount, int identity, int flags) {}

    public record SlotKey(int svcId, int slot) {}

    public record BackendValue(int addr, int port, int cluster) {}

    /** {@code side}: enum ct_side, the program that looks the entry up (1 legacy, 2 cluster). */
    public record CtKey(int saddr, int daddr, int sport, int dport, int proto, int side) {}

    public record CtValue(
            int natAddr,
            int natPort,
            int dir,
            int backendId,
            int svcId,
            int identity,
            long createdNs,
            long lastSeenNs,
            long packets,
            long bytes) {}

    /**
     * A slot of the per-CPU flow cache in front of conntrack: which entry it holds ({@code dir}
     * 0 = empty) and the packets and bytes counted there but not yet added to that entry.
     */
    public record FlowCacheSlot(CtKey key, int dir, long packets, long bytes) {
        public static final FlowCacheSlot EMPTY = new FlowCacheSlot(new CtKey(0, 0, 0, 0, 0, 0), 0, 0, 0);
    }

    public record IdentKey(int prefixLen, int addr) {}

    public record SnatValue(int addr, int portMin, int portMax) {}

    /** LPM key over (identity, destination); {@code prefixLen} is the destination's own length. */
    public record EgressDstKey(int prefixLen, int identity, int addr) {}

    public record PolicyKey(int identity, int proto, int dir, int port) {}

    public record ConfigValue(int defaultIngress, int defaultEgress, int flags) {}

    public record CounterValue(long packets, long bytes) {
        public CounterValue plus(CounterValue o) {
            return new CounterValue(packets + o.packets, bytes + o.bytes);
        }
    }
}
