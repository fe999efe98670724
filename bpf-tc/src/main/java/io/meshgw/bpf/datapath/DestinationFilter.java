package io.meshgw.bpf.datapath;

import io.meshgw.bpf.BpfMap;
import io.meshgw.bpf.LoadedObject;
import io.meshgw.bpf.datapath.MapRecords.BackendEntry;
import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.CtKey;
import io.meshgw.bpf.datapath.MapRecords.CtValue;
import io.meshgw.bpf.datapath.MapRecords.ServiceKey;
import io.meshgw.bpf.datapath.MapRecords.SnatValue;
import io.meshgw.bpf.datapath.MapRecords.SvcKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mgw_dst_v1}: the IPv4 destinations a packet from the legacy side can be ours at, as a bitmap over a hash of
 * the address (mgw_maps.h). A packet to an address whose bit is clear is handed on without the conntrack and service
 * lookups, so every address the programs translate toward must have its bit before the entry naming it is written:
 * VIPs, egress addresses and backends (a flow a peer gateway relays here is recorded toward its backend, and the
 * programs set that bit themselves). Bits are only ever set: a removed VIP's flows live on in conntrack, and a shared
 * bit only costs a packet that is not ours the lookups it took before.
 */
final class DestinationFilter {

    static final String MAP = "mgw_dst_" + Datapath.LAYOUT;

    /** DST_FILTER_BITS_LOG2 in mgw_maps.h. */
    static final int BITS_LOG2 = 20;

    private final BpfMap<Integer, Long> words;

    private DestinationFilter(BpfMap<Integer, Long> words) {
        this.words = words;
    }

    /** The object's filter; empty for a build of the programs without one (benchmarks run earlier builds). */
    static Optional<DestinationFilter> of(LoadedObject object) {
        return object.hasMap(MAP)
                ? Optional.of(new DestinationFilter(object.map(MAP, MapCodecs.U32_VALUE, MapCodecs.U64_VALUE)))
                : Optional.empty();
    }

    /** dst_filter_bit() in mgw_tc.c: the top bits of a multiplicative hash of the address ({@link Ipv4#toInt}). */
    static int bit(int addr) {
        return (addr * 0x9e3779b1) >>> (32 - BITS_LOG2);
    }

    /** Collects the bits of addresses, then {@link #write()} sets them in the map. */
    final class Marks {
        private final Map<Integer, Long> pending = new HashMap<>();

        Marks add(int addr) {
            int b = bit(addr);
            pending.merge(b >>> 6, 1L << (b & 63), (x, y) -> x | y);
            return this;
        }

        Marks services(Iterable<? extends ServiceKey> keys) {
            for (ServiceKey k : keys) {
                if (k instanceof SvcKey v4) {
                    add(v4.vip());
                }
            }
            return this;
        }

        Marks backends(Iterable<? extends BackendEntry> values) {
            for (BackendEntry b : values) {
                if (b instanceof BackendValue v4 && v4.addr() != 0) {
                    add(v4.addr());
                }
            }
            return this;
        }

        Marks egress(Iterable<SnatValue> values) {
            for (SnatValue s : values) {
                add(s.addr());
            }
            return this;
        }

        /** The destinations of the entries a packet from the legacy side is looked up by. */
        Marks conntrack(BpfMap<CtKey, CtValue> table) {
            table.forEachBatch(batch -> batch.keySet().forEach(k -> {
                if (k.side() == CT_FROM_LEGACY) {
                    add(k.daddr());
                }
            }));
            return this;
        }

        /**
         * Sets the collected bits, each word read and written back with its old bits: the programs only add bits too,
         * and one they add between the read and the write is a relayed flow's, met outside the tunnel only by mistake.
         */
        void write() {
            if (pending.isEmpty()) {
                return;
            }
            Map<Integer, Long> changed = new HashMap<>();
            pending.forEach((word, bits) -> {
                long old = words.get(word).orElse(0L);
                if ((old | bits) != old) {
                    changed.put(word, old | bits);
                }
            });
            words.putAll(changed);
            pending.clear();
        }
    }

    Marks marks() {
        return new Marks();
    }

    /** enum ct_side CT_FROM_LEGACY. */
    private static final int CT_FROM_LEGACY = 1;
}
