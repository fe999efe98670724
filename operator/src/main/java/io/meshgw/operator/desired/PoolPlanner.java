package io.meshgw.operator.desired;

import io.fabric8.kubernetes.client.CustomResource;
import io.meshgw.operator.crd.AddressPoolSpec;
import io.meshgw.operator.crd.AddressPoolStatus;
import io.meshgw.operator.crd.EgressIpPoolSpec;
import io.meshgw.operator.crd.LegacyVipPool;
import io.meshgw.operator.desired.AddressAllocator.PoolView;
import io.meshgw.operator.model.AddressPool;
import io.meshgw.operator.model.AddressPoolValidator;
import io.meshgw.operator.model.Validation;
import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.StatusFields;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Validates LegacyVipPools and EgressIpPools against each other and reports how full each is. */
final class PoolPlanner {
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** The pools of both kinds with their validation; only valid pools hand out addresses. */
    record Pools(List<Checked> checked, Map<String, Announcing> announcing) {

        Pools(List<Checked> checked) {
            this(checked, announcingOf(checked));
        }

        /** Per pool, parsed once per pass: every export of the pool asks. */
        private static Map<String, Announcing> announcingOf(List<Checked> checked) {
            var out = new java.util.HashMap<String, Announcing>();
            for (var c : checked) {
                if (!c.validation().isValid()) continue;
                var spec = c.pool().spec();
                out.put(
                        c.pool().kind() + "/" + c.pool().name(),
                        new Announcing(
                                !Boolean.FALSE.equals(spec.announce),
                                spec.communities.stream().map(Community::parse).toList()));
            }
            return Map.copyOf(out);
        }

        List<PoolView> views(AddressPool.Kind kind) {
            return checked.stream()
                    .filter(c -> c.pool().kind() == kind)
                    .map(c -> new PoolView(c.pool(), c.validation().isValid()))
                    .toList();
        }

        /** Whether the addresses of an existing pool are announced, and with which communities. */
        Announcing announcing(AddressPool.Kind kind, String name) {
            // Only a valid pool hands out addresses, and a valid pool's communities parse.
            var a = announcing.get(kind + "/" + name);
            if (a == null) throw new java.util.NoSuchElementException(kind + " '" + name + "' is not a valid pool");
            return a;
        }
    }

    record Announcing(boolean announce, List<Community> communities) {}

    record Checked(
            CustomResource<? extends AddressPoolSpec, AddressPoolStatus> resource,
            AddressPool pool,
            Validation validation) {}

    private PoolPlanner() {}

    static Pools validate(Snapshot snapshot) {
        var resources = new ArrayList<CustomResource<? extends AddressPoolSpec, AddressPoolStatus>>();
        resources.addAll(snapshot.vipPools());
        resources.addAll(snapshot.egressPools());
        var pools = resources.stream().map(PoolPlanner::pool).toList();
        var checked = new ArrayList<Checked>();
        for (int i = 0; i < resources.size(); i++) {
            var validation = resources.get(i).getSpec() == null
                    ? Validation.of("spec", "is required")
                    : AddressPoolValidator.validate(pools.get(i), pools);
            checked.add(new Checked(resources.get(i), pools.get(i), validation));
        }
        return new Pools(checked);
    }

    /** Pool outcomes once both kinds of allocation are known. */
    static void outcomes(Pools pools, Map<String, Long> allocatedByPool, PlanBuilder out) {
        for (var c : pools.checked()) {
            long allocated = allocatedByPool.getOrDefault(
                    c.pool().kind() + "/" + c.pool().name(), 0L);
            var size = c.pool().entries().stream().map(e -> e.range().size()).reduce(BigInteger.ZERO, BigInteger::add);
            long available = size.subtract(BigInteger.valueOf(allocated))
                    .min(LONG_MAX)
                    .max(BigInteger.ZERO)
                    .longValue();
            var ready = c.validation().isValid()
                    ? ConditionState.ready(true, "Valid", allocated + " allocated, " + available + " available")
                    : ConditionState.ready(
                            false, "Invalid", String.join("; ", c.validation().messages()));
            out.outcome(new ObjectOutcome(
                    Metadata.ref(c.resource()),
                    Metadata.generation(c.resource()),
                    List.of(ready),
                    new StatusFields.Pool(allocated, available)));
        }
    }

    private static AddressPool pool(CustomResource<? extends AddressPoolSpec, AddressPoolStatus> resource) {
        var kind = resource instanceof LegacyVipPool ? AddressPool.Kind.LegacyVipPool : AddressPool.Kind.EgressIpPool;
        AddressPoolSpec spec = resource.getSpec();
        if (spec == null)
            spec = kind == AddressPool.Kind.LegacyVipPool ? new AddressPoolSpec() : new EgressIpPoolSpec();
        return new AddressPool(kind, resource.getMetadata().getName(), spec);
    }
}
