package io.meshgw.operator.desired;

import io.meshgw.operator.model.AddressPool;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.ResourceRef;
import java.util.HashMap;
import java.util.Map;

/**
 * The one pure function of a pass: from a {@link Snapshot} (the cluster's objects and the engines' read side) to the
 * {@link Plan} every engine applies, with each object's status. No I/O, no clock: the same snapshot always gives the
 * same plan.
 */
public final class Planner {
    private Planner() {}

    public static Plan plan(Snapshot snapshot) {
        var out = new PlanBuilder();
        var pools = PoolPlanner.validate(snapshot);
        var policies = PolicyPlanner.plan(snapshot, out);
        PeerPlanner.plan(snapshot, policies, out);
        var exports = ExportInputs.of(snapshot);
        var vips = AddressAllocator.allocate(
                ExportPlanner.POOL_KIND, pools.views(AddressPool.Kind.LegacyVipPool), ExportPlanner.claims(exports));
        ExportPlanner.plan(snapshot, exports, vips, pools, out);
        var sources = AddressAllocator.allocate(
                EgressPlanner.POOL_KIND, pools.views(AddressPool.Kind.EgressIpPool), EgressPlanner.claims(snapshot));
        EgressPlanner.plan(snapshot, sources, pools, out);
        PoolPlanner.outcomes(pools, allocatedByPool(vips, sources), out);
        LegacyServicePlanner.plan(snapshot, out);
        MeshClusterPlanner.plan(snapshot, out);
        return out.build();
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
