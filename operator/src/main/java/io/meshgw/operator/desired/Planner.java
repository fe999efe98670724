package io.meshgw.operator.desired;

import io.meshgw.operator.model.AddressPool;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.Translation;
import io.meshgw.operator.port.ResourceRef;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The one pure function of a pass: from a {@link Snapshot} (the cluster's objects and the engines' read side) to the
 * {@link Plan} every engine applies, with each object's status. No I/O, no clock: the same snapshot always gives the
 * same plan.
 *
 * <p>An instance remembers what the last pass decided for each export and what it read to decide it
 * ({@link ExportMemo}), so a pass over a large table plans again only the exports whose objects changed; the plan is
 * the one {@link #plan(Snapshot)} computes afresh. One instance serves one sequence of passes (one thread).
 */
public final class Planner {
    private final ExportMemo exports = new ExportMemo();
    private ExportInputs lastInputs;
    private Map<PlanBuilder.TranslationDraft, Translation> translations = new IdentityHashMap<>();

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
        var exportInputs = lastInputs == null ? ExportInputs.of(snapshot) : ExportInputs.of(snapshot, lastInputs);
        lastInputs = exportInputs;
        var vips = AddressAllocator.allocate(
                ExportPlanner.POOL_KIND,
                pools.views(AddressPool.Kind.LegacyVipPool),
                ExportPlanner.claims(exportInputs));
        ExportPlanner.plan(snapshot, exportInputs, vips, pools, out, exports);
        exports.passed();
        var sources = AddressAllocator.allocate(
                EgressPlanner.POOL_KIND, pools.views(AddressPool.Kind.EgressIpPool), EgressPlanner.claims(snapshot));
        EgressPlanner.plan(snapshot, sources, pools, out);
        PoolPlanner.outcomes(pools, allocatedByPool(vips, sources), out);
        LegacyServicePlanner.plan(snapshot, out);
        MeshClusterPlanner.plan(snapshot, out);
        var built = new IdentityHashMap<PlanBuilder.TranslationDraft, Translation>();
        var plan = out.build(translations, built);
        translations = built;
        return plan;
    }

    private static Map<String, Long> allocatedByPool(
            Map<ResourceRef, Allocation> vips, Map<ResourceRef, Allocation> sources) {
        var counts = new HashMap<String, Long>();
        vips.values().forEach(a -> count(counts, AddressPool.Kind.LegacyVipPool, a));
        sources.values().forEach(a -> count(counts, AddressPool.Kind.EgressIpPool, a));
        return counts;
    }

    private static void count(Map<String, Long> counts, AddressPool.Kind kind, Allocation allocation) {
        if (allocation instanceof Allocation.Assigned(var address, String pool)) {
            counts.merge(kind + "/" + pool, 1L, Long::sum);
        }
    }
}
