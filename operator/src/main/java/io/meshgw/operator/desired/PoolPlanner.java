package io.meshgw.operator.desired;

import io.fabric8.kubernetes.client.CustomResource;
import io.meshgw.operator.crd.AddressPoolSpec;
import io.meshgw.operator.crd.AddressPoolStatus;
import io.meshgw.operator.crd.LegacyVipPool;
import io.meshgw.operator.desired.AddressAllocator.PoolView;
import io.meshgw.operator.model.AddressPool;
import io.meshgw.operator.model.AddressPoolValidator;
import io.meshgw.operator.model.Validation;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Validates LegacyVipPools and EgressIpPools against each other and reports how full each is. */
final class PoolPlanner {
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** The pools of both kinds with their validation; only valid pools hand out addresses. */
    record Plan(List<Checked> checked) {
        List<PoolView> views(AddressPool.Kind kind) {
            return checked.stream()
                    .filter(c -> c.pool().kind() == kind)
                    .map(c -> new PoolView(c.pool(), c.validation().isValid()))
                    .toList();
        }

        AddressPoolSpec spec(AddressPool.Kind kind, String name) {
            return checked.stream()
                    .filter(c -> c.pool().kind() == kind && c.pool().name().equals(name))
                    .map(c -> c.pool().spec())
                    .findFirst()
                    .orElseThrow();
        }
    }

    record Checked(
            CustomResource<AddressPoolSpec, AddressPoolStatus> resource, AddressPool pool, Validation validation) {}

    private PoolPlanner() {}

    static Plan validate(Snapshot snapshot) {
        var resources = new ArrayList<CustomResource<AddressPoolSpec, AddressPoolStatus>>();
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
        return new Plan(checked);
    }

    /** Pool outcomes once both kinds of allocation are known. */
    static void outcomes(Plan plan, Map<String, Long> allocatedByPool, DesiredState.Builder out) {
        for (var c : plan.checked()) {
            long allocated = allocatedByPool.getOrDefault(
                    c.pool().kind() + "/" + c.pool().name(), 0L);
            var size = c.pool().entries().stream()
                    .map(e -> e.range().last().subtract(e.range().first()).add(BigInteger.ONE))
                    .reduce(BigInteger.ZERO, BigInteger::add);
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

    private static AddressPool pool(CustomResource<AddressPoolSpec, AddressPoolStatus> resource) {
        var kind = resource instanceof LegacyVipPool ? AddressPool.Kind.LegacyVipPool : AddressPool.Kind.EgressIpPool;
        var spec = resource.getSpec() == null ? new AddressPoolSpec() : resource.getSpec();
        return new AddressPool(kind, resource.getMetadata().getName(), spec);
    }
}
