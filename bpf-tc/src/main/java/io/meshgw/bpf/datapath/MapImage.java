package io.meshgw.bpf.datapath;

import io.meshgw.bpf.datapath.MapRecords.BackendEntry;
import io.meshgw.bpf.datapath.MapRecords.ConfigValue;
import io.meshgw.bpf.datapath.MapRecords.EgressDstKey;
import io.meshgw.bpf.datapath.MapRecords.IdentKey;
import io.meshgw.bpf.datapath.MapRecords.MaglevValue;
import io.meshgw.bpf.datapath.MapRecords.PolicyKey;
import io.meshgw.bpf.datapath.MapRecords.ReplyKey;
import io.meshgw.bpf.datapath.MapRecords.ReplyValue;
import io.meshgw.bpf.datapath.MapRecords.ServiceKey;
import io.meshgw.bpf.datapath.MapRecords.SlotKey;
import io.meshgw.bpf.datapath.MapRecords.SnatValue;
import io.meshgw.bpf.datapath.MapRecords.SvcValue;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The exact content of every configuration map for one {@link TranslationTable}: a pure
 * function of the table and the stable ids, so that the difference between two images is the
 * set of map writes to make. {@code services} and {@code backends} hold both families; each key
 * or value goes to the map of its own ({@link Datapath} splits them). {@code replies} is what {@code mgw_rev_v1} and
 * {@code mgw_rev6_v1} hold ({@link ReplyClaims}): the backend tuples one (VIP, port) alone names, of both families.
 */
record MapImage(
        Map<ServiceKey, SvcValue> services,
        Map<SlotKey, Integer> slots,
        Map<Integer, MaglevValue> maglev,
        Map<Integer, BackendEntry> backends,
        Map<IdentKey, Integer> identities,
        Map<Integer, SnatValue> snat,
        Map<EgressDstKey, Integer> egressDestinations,
        Map<PolicyKey, Integer> policies,
        ConfigValue config,
        Map<ReplyKey, ReplyValue> replies) {

    static final MapImage EMPTY = new MapImage(
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(),
            new ConfigValue(1, 1, 0),
            Map.of());

    static MapImage of(TranslationTable table, IdAllocator ids) {
        return of(table, ids, piece -> {});
    }

    /** As {@link #of(TranslationTable, IdAllocator)}, handing each service's piece to {@code pieces}. */
    static MapImage of(TranslationTable table, IdAllocator ids, Consumer<ServicePiece> pieces) {
        return of(table, ids, pieces, new ReplyClaims());
    }

    /** As {@link #of(TranslationTable, IdAllocator, Consumer)}, counting the backend tuples' claims in {@code claims}. */
    static MapImage of(TranslationTable table, IdAllocator ids, Consumer<ServicePiece> pieces, ReplyClaims claims) {
        int n = table.services().size();
        Map<ServiceKey, SvcValue> services = HashMap.newHashMap(n);
        Map<SlotKey, Integer> slots = HashMap.newHashMap(n);
        Map<Integer, MaglevValue> maglev = new HashMap<>();
        Map<Integer, BackendEntry> backends = HashMap.newHashMap(n);
        for (ServiceTranslation s : table.services()) {
            ServicePiece piece = ServicePiece.of(s, ids);
            int svcId = piece.value().svcId();
            for (int slot = 0; slot < piece.slots().size(); slot++) {
                int backendId = piece.slots().get(slot);
                // A backend named with two cluster ids keeps the first in table order.
                backends.putIfAbsent(backendId, piece.backends().get(slot));
                slots.put(new SlotKey(svcId, slot), backendId);
            }
            piece.maglev().ifPresent(m -> maglev.put(svcId, m));
            services.put(piece.key(), piece.value());
            claims.add(piece);
            pieces.accept(piece);
        }
        return new MapImage(
                services,
                slots,
                maglev,
                backends,
                identities(table),
                snat(table),
                egressDestinations(table),
                policies(table),
                config(table),
                claims.entries());
    }

    static Map<IdentKey, Integer> identities(TranslationTable table) {
        Map<IdentKey, Integer> identities =
                HashMap.newHashMap(table.identities().size());
        for (IdentityPrefix p : table.identities()) {
            identities.put(new IdentKey(p.prefix().length(), p.prefix().addr()), p.identity());
        }
        return identities;
    }

    static Map<Integer, SnatValue> snat(TranslationTable table) {
        Map<Integer, SnatValue> snat = HashMap.newHashMap(table.egress().size());
        for (EgressTranslation e : table.egress()) {
            snat.put(e.identity(), new SnatValue(Ipv4.toInt(e.sourceAddress()), e.portMin(), e.portMax()));
        }
        return snat;
    }

    static Map<EgressDstKey, Integer> egressDestinations(TranslationTable table) {
        Map<EgressDstKey, Integer> destinations = new HashMap<>();
        for (EgressTranslation e : table.egress()) {
            for (Ipv4Prefix d : e.destinations()) {
                destinations.put(new EgressDstKey(d.length(), e.identity(), d.addr()), 1);
            }
        }
        return destinations;
    }

    static Map<PolicyKey, Integer> policies(TranslationTable table) {
        Map<PolicyKey, Integer> policies = HashMap.newHashMap(table.policies().size());
        for (PolicyRule r : table.policies()) {
            policies.put(
                    new PolicyKey(
                            r.identity(),
                            r.protocol() == null ? 0 : r.protocol().number(),
                            r.direction().value(),
                            r.port()),
                    r.verdict().value());
        }
        return policies;
    }

    /** enum config_flags: some identity is SNATed (routed IPv6 from the clusters is then dropped). */
    static final int CFG_EGRESS = 1;

    static ConfigValue config(TranslationTable table) {
        return new ConfigValue(
                table.defaultIngress().value(),
                table.defaultEgress().value(),
                table.egress().isEmpty() ? 0 : CFG_EGRESS);
    }

    MapImage withConfig(ConfigValue c) {
        return new MapImage(
                services, slots, maglev, backends, identities, snat, egressDestinations, policies, c, replies);
    }

    int entryCount() {
        return services.size()
                + slots.size()
                + maglev.size()
                + backends.size()
                + identities.size()
                + snat.size()
                + egressDestinations.size()
                + policies.size()
                + replies.size()
                + 1;
    }
}
