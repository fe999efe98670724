package io.meshgw.bpf.datapath;

import io.meshgw.types.Ipv6Address;

/**
 * The Java twins of the C structs in {@code mgw_maps.h} and {@code mgw_v6.h} (layout v1). IPv4
 * addresses are unsigned 32-bit values in the usual reading (10.0.0.1 = 0x0a000001), IPv6 ones
 * {@link Ipv6Address}es, and ports are plain numbers; {@link MapCodecs} puts them in network byte
 * order where the C struct has {@code __be} fields.
 */
public final class MapRecords {

    private MapRecords() {}

    /** A VIP's key in the service map of its family: {@link SvcKey} or {@link Svc6Key}. */
    public sealed interface ServiceKey permits SvcKey, Svc6Key {}

    /**
     * A backend map entry: {@link BackendValue} ({@code mgw_be_v1}) or {@link Backend6Value} ({@code mgw_be6_v1}),
     * both indexed by ids of the one space the shared slot and Maglev maps name.
     */
    public sealed interface BackendEntry permits BackendValue, Backend6Value {
        int port();

        int cluster();
    }

    public record SvcKey(int vip, int port, int proto) implements ServiceKey {}

    /** {@code struct svc6_key}; its value is {@link SvcValue}. */
    public record Svc6Key(Ipv6Address vip, int port, int proto) implements ServiceKey {}

    /** {@code struct backend6}. */
    public record Backend6Value(Ipv6Address addr, int port, int cluster) implements BackendEntry {}

    /** {@code struct ct6_key}; {@code side} as in {@link CtKey}. */
    public record Ct6Key(Ipv6Address saddr, Ipv6Address daddr, int sport, int dport, int proto, int side) {}

    /** {@code struct ct6_val}: the IPv4 entry, whose own address is unused (0), and the IPv6 address it rewrites to. */
    public record Ct6Value(CtValue ct, Ipv6Address natAddr) {}

    public record SvcValue(int svcId, int count, int localCount, int identity, int flags) {}

    public record SlotKey(int svcId, int slot) {}

    public record BackendValue(int addr, int port, int cluster) implements BackendEntry {}

    /** A service's Maglev table ({@code struct maglev}): the backend id of each of its {@value Maglev#SIZE} entries. */
    public record MaglevValue(int[] backendIds) {
        public MaglevValue {
            if (backendIds.length != Maglev.SIZE) {
                throw new IllegalArgumentException(
                        "a Maglev table has " + Maglev.SIZE + " entries, not " + backendIds.length);
            }
            backendIds = backendIds.clone();
        }

        @Override
        public int[] backendIds() {
            return backendIds.clone();
        }

        /** The backend id of entry {@code i}, without a copy. */
        public int backendId(int i) {
            return backendIds[i];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MaglevValue m && java.util.Arrays.equals(backendIds, m.backendIds);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(backendIds);
        }

        @Override
        public String toString() {
            return "MaglevValue"
                    + java.util.Arrays.stream(backendIds)
                            .distinct()
                            .sorted()
                            .boxed()
                            .toList();
        }
    }

    /** {@code side}: enum ct_side, the program that looks the entry up (1 legacy, 2 cluster). */
    public record CtKey(int saddr, int daddr, int sport, int dport, int proto, int side) {}

    /**
     * {@code flags}: enum ct_flags, the flow's TCP state (FIN from either side, RST) and whether {@code seqNext}
     * holds this direction's highest TCP sequence end ({@link #SEQ}), against which an RST is checked.
     */
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
            long bytes,
            int flags,
            int seqNext) {

        public static final int FIN_FROM_LEGACY = 1;
        public static final int FIN_FROM_CLUSTER = 2;
        public static final int RST = 4;
        /** A new TCP flow nobody answered yet; the first packet the reply way clears it. */
        public static final int UNREPLIED = 8;
        /** {@code seqNext} is tracked (per entry). */
        public static final int SEQ = 16;

        /** An entry with no TCP sequence tracked. */
        public CtValue(
                int natAddr,
                int natPort,
                int dir,
                int backendId,
                int svcId,
                int identity,
                long createdNs,
                long lastSeenNs,
                long packets,
                long bytes,
                int flags) {
            this(natAddr, natPort, dir, backendId, svcId, identity, createdNs, lastSeenNs, packets, bytes, flags, 0);
        }

        /** An entry with no TCP state recorded. */
        public CtValue(
                int natAddr,
                int natPort,
                int dir,
                int backendId,
                int svcId,
                int identity,
                long createdNs,
                long lastSeenNs,
                long packets,
                long bytes) {
            this(natAddr, natPort, dir, backendId, svcId, identity, createdNs, lastSeenNs, packets, bytes, 0);
        }

        /** FIN both ways, or an RST: the entry expires soon after its last packet. */
        public boolean closing() {
            return (flags & RST) != 0
                    || (flags & (FIN_FROM_LEGACY | FIN_FROM_CLUSTER)) == (FIN_FROM_LEGACY | FIN_FROM_CLUSTER);
        }

        /** A TCP flow whose reply direction has not carried a packet yet (half-open). */
        public boolean unreplied() {
            return (flags & UNREPLIED) != 0;
        }

        public CtValue withLastSeen(long ns) {
            return new CtValue(
                    natAddr, natPort, dir, backendId, svcId, identity, createdNs, ns, packets, bytes, flags, seqNext);
        }

        /** The same entry with other packet and byte counts. */
        public CtValue withCounts(long packets, long bytes) {
            return new CtValue(
                    natAddr,
                    natPort,
                    dir,
                    backendId,
                    svcId,
                    identity,
                    createdNs,
                    lastSeenNs,
                    packets,
                    bytes,
                    flags,
                    seqNext);
        }
    }

    /**
     * A slot of a per-CPU flow cache in front of conntrack: which entry it holds ({@code dir} 0 = empty) and the packets
     * and bytes counted there but not yet added to that entry.
     *
     * @param <K> the conntrack key of its family
     */
    public sealed interface CachedFlow<K> permits FlowCacheSlot, FlowCacheSlot6 {
        K key();

        int dir();

        long packets();

        long bytes();
    }

    /** A slot of the IPv4 flow cache ({@code struct ct_cache_slot}). */
    public record FlowCacheSlot(CtKey key, int dir, long packets, long bytes) implements CachedFlow<CtKey> {
        public static final FlowCacheSlot EMPTY = new FlowCacheSlot(new CtKey(0, 0, 0, 0, 0, 0), 0, 0, 0);
    }

    /** A slot of the IPv6 flow cache ({@code struct ct6_cache_slot}, mgw_v6.h). */
    public record FlowCacheSlot6(Ct6Key key, int dir, long packets, long bytes) implements CachedFlow<Ct6Key> {
        public static final FlowCacheSlot6 EMPTY = new FlowCacheSlot6(
                new Ct6Key(new io.meshgw.types.Ipv6Address(0, 0), new io.meshgw.types.Ipv6Address(0, 0), 0, 0, 0, 0),
                0,
                0,
                0);
    }

    public record IdentKey(int prefixLen, int addr) {}

    public record SnatValue(int addr, int portMin, int portMax) {}

    /** LPM key over (identity, destination); {@code prefixLen} is the destination's own length. */
    public record EgressDstKey(int prefixLen, int identity, int addr) {}

    public record PolicyKey(int identity, int proto, int dir, int port) {}

    public record ConfigValue(int defaultIngress, int defaultEgress, int flags) {}

    /**
     * mgw_l3in_v1's one entry: the interface mgw_from_l3 hands the tunnel's packets to, and its MAC address.
     *
     * @param ifindex 0: no tunnel device
     */
    public record L3Entry(int ifindex, byte[] mac) {
        public L3Entry {
            if (mac.length != 6) {
                throw new IllegalArgumentException("a MAC address has 6 bytes, not " + mac.length);
            }
            mac = mac.clone();
        }

        @Override
        public byte[] mac() {
            return mac.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof L3Entry e && e.ifindex == ifindex && java.util.Arrays.equals(e.mac, mac);
        }

        @Override
        public int hashCode() {
            return 31 * ifindex + java.util.Arrays.hashCode(mac);
        }

        @Override
        public String toString() {
            return "L3Entry[ifindex=" + ifindex + ", mac="
                    + java.util.HexFormat.ofDelimiter(":").formatHex(mac) + "]";
        }
    }

    /** A backend tuple's key in the reply map of its family: {@link RevKey} or {@link Rev6Key}. */
    public sealed interface ReplyKey permits RevKey, Rev6Key {}

    /** The VIP and port a backend tuple's replies leave with, of the key's family. */
    public sealed interface ReplyValue permits RevValue, Rev6Value {}

    /** {@code struct rev_key} ({@code mgw_rev_v1}): a backend's address, port and protocol, which its replies come from. */
    public record RevKey(int addr, int port, int proto) implements ReplyKey {}

    /** {@code struct rev_val}: the VIP and port a backend's reply leaves with. */
    public record RevValue(int vip, int vport) implements ReplyValue {}

    /** {@code struct svc6_key} as the key of {@code mgw_rev6_v1}: an IPv6 backend's address, port and protocol. */
    public record Rev6Key(Ipv6Address addr, int port, int proto) implements ReplyKey {}

    /** {@code struct rev6_val}: the IPv6 VIP and port a backend's reply leaves with. */
    public record Rev6Value(Ipv6Address vip, int vport) implements ReplyValue {}

    public record CounterValue(long packets, long bytes) {
        public CounterValue plus(CounterValue o) {
            return new CounterValue(packets + o.packets, bytes + o.bytes);
        }
    }
}
