package io.meshgw.operator.desired;

import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.model.AddressPool;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.IpFamily;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The one pure function of a pass: from a {@link Snapshot} (the cluster's objects and the engines' read side) to the
 * {@link Plan} every engine applies, with each object's status. No I/O, no clock: the same snapshot always gives the
 * same plan.
 *
 * <p>An instance remembers the last pass, so the next one costs what changed, not the size of the table: the
 * exports' inputs are indexed once and updated from the objects that changed ({@link ExportInputs}), only the exports
 * whose inputs changed are planned again ({@link ExportResults}), VIPs are allocated again only when a claim changed,
 * and the plan's maps share with the last plan everything that stayed ({@link io.meshgw.operator.plan.ChunkedMap}).
 * The plan is the one {@link #plan(Snapshot)} computes afresh. One instance serves one sequence of passes (one
 * thread).
 */
public final class Planner {
    private final ExportInputs inputs = new ExportInputs();
    private final ExportResults exports = new ExportResults();
    private Snapshot last;
    private Map<ResourceRef, Allocation> vips = Map.of();
    /** The Services' families the VIPs were last allocated with, by exported Service (what the claims prefer). */
    private Map<ObjectKey, List<IpFamily>> vipFamilies = Map.of();

    private Map<String, Long> vipsByPool = Map.of();

    /** The plan of one snapshot, computed afresh. */
    public static Plan plan(Snapshot snapshot) {
        return new Planner().next(snapshot);
    }

    /** The plan of the next pass; what did not change since the last pass is not planned again. */
    public synchronized Plan next(Snapshot snapshot) {
        var out = new PlanBuilder();
        var pools = PoolPlanner.validate(snapshot);
        var policies = PolicyPlanner.plan(snapshot, out);
        PeerPlanner.plan(snapshot, policies, out);

        var update = inputs.update(last, snapshot);
        // What every export reads: a change there plans every export again (the memo still keeps what is the same).
        boolean everything = update.everything()
                || !ListChanges.sameInstances(last.vipPools(), snapshot.vipPools())
                || !ListChanges.sameInstances(last.egressPools(), snapshot.egressPools())
                || !last.capabilities().equals(snapshot.capabilities());
        Collection<ObjectKey> keys = update.dirty();
        if (everything || claimsChanged(update.exports()) || familiesChanged(update.dirty())) {
            var allocated = AddressAllocator.allocate(
                    ExportPlanner.POOL_KIND, pools.views(AddressPool.Kind.LegacyVipPool), ExportPlanner.claims(inputs));
            if (everything) {
                var all = new HashSet<>(inputs.liveKeys());
                all.addAll(exports.planned());
                keys = all;
            } else {
                keys = withMovedVips(update.dirty(), vips, allocated);
            }
            vips = allocated;
            vipsByPool = countByPool(AddressPool.Kind.LegacyVipPool, vips);
            vipFamilies = new HashMap<>();
            for (var key : inputs.liveKeys()) {
                vipFamilies.put(key, ExportPlanner.families(inputs.service(key)));
            }
        }
        var pass = exports.begin();
        ExportPlanner.plan(snapshot, inputs, keys, vips, pools, pass);
        out.exportOutcomesHere();

        var sources = AddressAllocator.allocate(
                EgressPlanner.POOL_KIND, pools.views(AddressPool.Kind.EgressIpPool), EgressPlanner.claims(snapshot));
        EgressPlanner.plan(snapshot, sources, pools, out);
        pass.end(inputs, update.reordered(), out.egressIdentities());
        var allocated = new HashMap<>(vipsByPool);
        countByPool(AddressPool.Kind.EgressIpPool, sources).forEach((pool, n) -> allocated.merge(pool, n, Long::sum));
        PoolPlanner.outcomes(pools, allocated, out);
        LegacyServicePlanner.plan(snapshot, inputs::service, out);
        MeshClusterPlanner.plan(snapshot, out);
        last = snapshot;
        return out.build(exports);
    }

    /**
     * Whether the exports that changed claim VIPs differently (another pool, address, age or kept address): only
     * then can the allocation of any export change. An export edited in place, or given a new status, claims the
     * same.
     */
    private static boolean claimsChanged(ListChanges<MeshServiceExport> changes) {
        if (changes.isEmpty()) {
            return false;
        }
        if (changes.removed().size() != changes.added().size()) {
            return true;
        }
        var before = new HashMap<ObjectKey, java.util.Optional<AddressClaim>>();
        for (var e : changes.removed()) {
            if (Metadata.deleting(e)) return true;
            before.put(Metadata.key(e), ExportPlanner.claim(e, Metadata.createdAt(e), List.of()));
        }
        for (var e : changes.added()) {
            var key = Metadata.key(e);
            if (Metadata.deleting(e) || !before.containsKey(key)) return true;
            if (!before.get(key).equals(ExportPlanner.claim(e, Metadata.createdAt(e), List.of()))) return true;
        }
        return false;
    }

    /**
     * Whether a changed Service's families differ from those its export's VIP was allocated with: the claim prefers
     * other families now (a Service created after its export, or given a second family).
     */
    private boolean familiesChanged(Collection<ObjectKey> dirty) {
        for (var key : dirty) {
            if (inputs.live(key).isEmpty()) continue;
            if (!ExportPlanner.families(inputs.service(key)).equals(vipFamilies.getOrDefault(key, List.of())))
                return true;
        }
        return false;
    }

    /** The changed Services, and those whose export's allocation differs from the last one. */
    private static Collection<ObjectKey> withMovedVips(
            Collection<ObjectKey> dirty, Map<ResourceRef, Allocation> before, Map<ResourceRef, Allocation> after) {
        var keys = new HashSet<>(dirty);
        after.forEach((ref, allocation) -> {
            if (!allocation.equals(before.get(ref))) keys.add(ref.key());
        });
        before.keySet().forEach(ref -> {
            if (!after.containsKey(ref)) keys.add(ref.key());
        });
        return keys;
    }

    private static Map<String, Long> countByPool(AddressPool.Kind kind, Map<ResourceRef, Allocation> allocations) {
        var counts = new HashMap<String, Long>();
        allocations.values().forEach(a -> {
            if (a instanceof Allocation.Assigned(var address, String pool)) {
                counts.merge(kind + "/" + pool, 1L, Long::sum);
            }
        });
        return counts;
    }
}
