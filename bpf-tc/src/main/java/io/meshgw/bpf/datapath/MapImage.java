package io.meshgw.bpf.datapath;

import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.ConfigValue;
import io.meshgw.bpf.datapath.MapRecords.EgressDstKey;
import io.meshgw.bpf.datapath.MapRecords.IdentKey;
import io.meshgw.bpf.datapath.MapRecords.PolicyKey;
import io.meshgw.bpf.datapath.MapRecords.SlotKey;
import io.meshgw.bpf.datapath.MapRecords.SnatValue;
import io.meshgw.bpf.datapath.MapRecords.SvcKey;
import io.meshgw.bpf.datapath.MapRecords.SvcValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact content of every configuration map for one {@link TranslationTable}: a pure
 * function of the table and the stable ids, so that the difference between two images is the
 * set of map writes to make.
 */
record MapImage(
        Map<SvcKey, SvcValue> services,
        Map<SlotKey, Integer> slots,
        Map<Integer, BackendValue> backends,
        Map<IdentKey, Integer> identities,
        Map<Integer, SnatValue> snat,
        Map<EgressDstKey, Integer> egressDestinations,
        Map<PolicyKey, Integer> policies,
        ConfigValue config) {

    static final MapImage EMPTY = new MapImage(
            Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), new ConfigValue(1, 1, 0));

    private static final Comparator<Backend> SLOT_ORDER = Comparator.comparing((Backend b) -> !b.local())
            .thenComparing(b -> Integer.toUnsignedLong(Ipv4.toInt(b.address())))
            .thenComparingInt(Backend::port);

    static MapImage of(TranslationTable table, IdAllocator ids) {
        int n = table.services().size();
        Map<SvcKey, SvcValue> services = HashMap.newHashMap(n);
        Map<SlotKey, Integer> slots = HashMap.newHashMap(n);
        Map<Integer, BackendValue> backends = HashMap.newHashMap(n);
        for (ServiceTranslation s : table.services()) {
            SvcKey key = new SvcKey(Ipv4.toInt(s.vip()), s.port(), s.protocol().number());
            int svcId = ids.service(key);
            // Local backends take the first slots: the program picks among them when there are any.
            List<Backend> ordered = s.backends();
            if (ordered.size() > 1) {
                ordered = new ArrayList<>(ordered);
                ordered.sort(SLOT_ORDER);
            }
            int local = 0;
            for (Backend b : ordered) {
                local += b.local() ? 1 : 0;
            }
            for (int slot = 0; slot < ordered.size(); slot++) {
                Backend b = ordered.get(slot);
                int addr = Ipv4.toInt(b.address());
                int backendId = ids.backend(addr, b.port());
                backends.putIfAbsent(backendId, new BackendValue(addr, b.port(), b.cluster()));
                slots.put(new SlotKey(svcId, slot), backendId);
            }
            services.put(key, new SvcValue(svcId, ordered.size(), local, s.identity(), 0));
        }
        Map<IdentKey, Integer> identities = new HashMap<>();
        for (IdentityPrefix p : table.identities()) {
            identities.put(new IdentKey(p.prefix().length(), p.prefix().addr()), p.identity());
        }
        Map<Integer, SnatValue> snat = new HashMap<>();
        Map<EgressDstKey, Integer> destinations = new HashMap<>();
        for (EgressTranslation e : table.egress()) {
            snat.put(e.identity(), new SnatValue(Ipv4.toInt(e.sourceAddress()), e.portMin(), e.portMax()));
            for (Ipv4Prefix d : e.destinations()) {
                destinations.put(new EgressDstKey(d.length(), e.identity(), d.addr()), 1);
            }
        }
        Map<PolicyKey, Integer> policies = new HashMap<>();
        for (PolicyRule r : table.policies()) {
            policies.put(
                    new PolicyKey(
                            r.identity(),
                            r.protocol() == null ? 0 : r.protocol().number(),
                            r.direction().value(),
                            r.port()),
                    r.verdict().value());
        }
        ConfigValue config = new ConfigValue(
                table.defaultIngress().value(), table.defaultEgress().value(), 0);
        return new MapImage(services, slots, backends, identities, snat, destinations, policies, config);
    }

    int entryCount() {
        return services.size()
                + slots.size()
                + backends.size()
                + identities.size()
                + snat.size()
                + egressDestinations.size()
                + policies.size()
                + 1;
    }
}
