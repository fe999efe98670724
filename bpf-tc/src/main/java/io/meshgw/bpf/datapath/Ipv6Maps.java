package io.meshgw.bpf.datapath;

import io.meshgw.bpf.BpfMap;
import io.meshgw.bpf.LoadedObject;
import io.meshgw.bpf.PerCpuArray;
import io.meshgw.bpf.datapath.MapRecords.Backend6Value;
import io.meshgw.bpf.datapath.MapRecords.BackendEntry;
import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.Ct6Key;
import io.meshgw.bpf.datapath.MapRecords.Ct6Value;
import io.meshgw.bpf.datapath.MapRecords.FlowCacheSlot6;
import io.meshgw.bpf.datapath.MapRecords.ServiceKey;
import io.meshgw.bpf.datapath.MapRecords.Svc6Key;
import io.meshgw.bpf.datapath.MapRecords.SvcValue;
import io.meshgw.types.Ipv6Address;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The IPv6 twins of the service, backend and conntrack maps and of the flow cache ({@code mgw_v6.h}), and the split of an image's
 * family-mixed services and backends into the maps of each family. Slots, Maglev tables, policies, config, counters
 * and the clock are shared with IPv4.
 */
record Ipv6Maps(
        BpfMap<Svc6Key, SvcValue> services,
        BpfMap<Integer, Backend6Value> backends,
        BpfMap<Ct6Key, Ct6Value> conntrack,
        Optional<PerCpuArray<FlowCacheSlot6>> flowCache) {

    static final String CONNTRACK_MAP = "mgw_ct6_" + Datapath.LAYOUT;
    static final String FLOW_CACHE_MAP = "mgw_ctcache6_" + Datapath.LAYOUT;
    static final Backend6Value REMOVED = new Backend6Value(new Ipv6Address(0, 0), 0, 0);

    static Ipv6Maps of(LoadedObject o) {
        return new Ipv6Maps(
                o.map("mgw_svc6_" + Datapath.LAYOUT, MapCodecs.SVC6_KEY, MapCodecs.SVC_VALUE),
                o.map("mgw_be6_" + Datapath.LAYOUT, MapCodecs.U32_VALUE, MapCodecs.BACKEND6),
                o.map(CONNTRACK_MAP, MapCodecs.CT6_KEY, MapCodecs.CT6_VALUE),
                // Absent from objects built before it (a benchmark's baseline): their IPv6 hits go to conntrack.
                o.hasMap(FLOW_CACHE_MAP)
                        ? Optional.of(o.perCpuArray(FLOW_CACHE_MAP, MapCodecs.FLOW_CACHE_SLOT6))
                        : Optional.empty());
    }

    /** The entries of one family out of a mixed map. */
    static <K, V> Map<K, V> only(Class<K> family, Map<? super K, V> mixed) {
        Map<K, V> out = new HashMap<>();
        mixed.forEach((k, v) -> {
            if (family.isInstance(k)) {
                out.put(family.cast(k), v);
            }
        });
        return out;
    }

    /** The entries whose key is of {@code keys}' family, with their values, which are of {@code values}'. */
    static <K, V> Map<K, V> only(Class<K> keys, Class<V> values, Map<?, ?> mixed) {
        Map<K, V> out = new HashMap<>();
        mixed.forEach((k, v) -> {
            if (keys.isInstance(k)) {
                out.put(keys.cast(k), values.cast(v));
            }
        });
        return out;
    }

    static <K> Set<K> only(Class<K> family, Collection<?> mixed) {
        Set<K> out = new HashSet<>();
        mixed.stream().filter(family::isInstance).map(family::cast).forEach(out::add);
        return out;
    }

    static <V> Map<Integer, V> onlyValues(Class<V> family, Map<Integer, ? extends BackendEntry> mixed) {
        Map<Integer, V> out = new HashMap<>();
        mixed.forEach((id, v) -> {
            if (family.isInstance(v)) {
                out.put(id, family.cast(v));
            }
        });
        return out;
    }

    /**
     * How many of the services are IPv6 once {@code diff} is applied to {@code current}: a pass over all of them, so
     * {@link Datapath} counts only when the total could overflow a map.
     */
    static int ipv6ServicesAfter(Map<ServiceKey, SvcValue> current, MapDiff<ServiceKey, SvcValue> diff) {
        int n = 0;
        for (ServiceKey k : current.keySet()) {
            n += k instanceof Svc6Key && !diff.removals().contains(k) ? 1 : 0;
        }
        for (ServiceKey k : diff.upserts().keySet()) {
            n += k instanceof Svc6Key && !current.containsKey(k) ? 1 : 0;
        }
        return n;
    }

    /** A removed backend id is zeroed in both arrays: ids are one space, and each array holds zeros at the other's. */
    static Map<Integer, BackendValue> zeroedV4(Set<Integer> ids) {
        Map<Integer, BackendValue> out = new HashMap<>();
        ids.forEach(id -> out.put(id, new BackendValue(0, 0, 0)));
        return out;
    }

    static Map<Integer, Backend6Value> zeroedV6(Set<Integer> ids) {
        Map<Integer, Backend6Value> out = new HashMap<>();
        ids.forEach(id -> out.put(id, REMOVED));
        return out;
    }
}
