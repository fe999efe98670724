package io.meshgw.operator.desired;

import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.model.AddressPool;
import io.meshgw.operator.model.Cidr;
import io.meshgw.operator.model.IpAddresses;
import io.meshgw.operator.model.Validation;
import io.meshgw.operator.port.Announcement;
import io.meshgw.operator.port.EgressRule;
import io.meshgw.operator.port.ResourceRef;
import java.util.List;
import java.util.Map;

/** EgressIdentities to SNAT rules with a stable source address from an EgressIpPool, announced when the pool says. */
final class EgressPlanner {
    static final String POOL_KIND = "EgressIpPool";

    private EgressPlanner() {}

    static List<AddressClaim> claims(Snapshot snapshot) {
        return live(snapshot).stream()
                .filter(e -> validate(e).isValid())
                .map(e -> new AddressClaim(
                        Metadata.ref(e),
                        Metadata.createdAt(e),
                        e.getSpec().poolRef,
                        e.getSpec().requestedSourceIp,
                        false,
                        e.getStatus() == null ? null : e.getStatus().assignedSourceIp))
                .toList();
    }

    static void plan(
            Snapshot snapshot, Map<ResourceRef, Allocation> sources, PoolPlanner.Plan pools, DesiredState.Builder out) {
        for (var identity : live(snapshot)) {
            var ref = Metadata.ref(identity);
            long generation = Metadata.generation(identity);
            var validation = validate(identity);
            if (!validation.isValid()) {
                out.outcome(new ObjectOutcome(
                        ref,
                        generation,
                        List.of(
                                ConditionState.ready(false, "Invalid", String.join("; ", validation.messages())),
                                ConditionState.unknown(ConditionState.CONFLICT, "not evaluated: invalid")),
                        new StatusFields.Egress(null)));
                continue;
            }
            switch (sources.get(ref)) {
                case Allocation.Rejected(String reason, String message, boolean conflict, String kept) ->
                    out.outcome(new ObjectOutcome(
                            ref,
                            generation,
                            List.of(
                                    ConditionState.ready(false, reason, message),
                                    conflict
                                            ? ConditionState.conflict(true, reason, message)
                                            : ConditionState.conflict(false, "NoConflict", "no conflict found so far")),
                            new StatusFields.Egress(kept)));
                case Allocation.Assigned(String address, String pool) -> {
                    var spec = identity.getSpec();
                    var selector = spec.selector;
                    String namespace =
                            selector.namespace == null ? identity.getMetadata().getNamespace() : selector.namespace;
                    out.egress(new EgressRule(
                            Metadata.key(identity),
                            address,
                            namespace,
                            selector.serviceAccount,
                            selector.podLabels,
                            spec.destinations.stream()
                                    .map(d -> ((Cidr.Ok) Cidr.parse(d)).cidr().toString())
                                    .toList()));
                    var poolSpec = pools.spec(AddressPool.Kind.EgressIpPool, pool);
                    if (!Boolean.FALSE.equals(poolSpec.announce)) {
                        out.announce(new Announcement(
                                IpAddresses.hostPrefix(
                                        IpAddresses.parse(address).orElseThrow()),
                                poolSpec.communities,
                                ref));
                    }
                    out.outcome(new ObjectOutcome(
                            ref,
                            generation,
                            List.of(
                                    ConditionState.ready(
                                            true,
                                            "Assigned",
                                            "source " + address + " toward " + spec.destinations.size()
                                                    + " destinations"),
                                    ConditionState.conflict(false, "NoConflict", "the source address is its own")),
                            new StatusFields.Egress(address)));
                }
            }
        }
    }

    static Validation validate(EgressIdentity identity) {
        var spec = identity.getSpec();
        if (spec == null) return Validation.of("spec", "is required");
        var result = spec.selector == null ? Validation.of("spec.selector", "is required") : Validation.OK;
        if (spec.destinations.isEmpty()) {
            result = result.and(Validation.of("spec.destinations", "needs at least one CIDR"));
        }
        for (int i = 0; i < spec.destinations.size(); i++) {
            if (Cidr.parse(spec.destinations.get(i)) instanceof Cidr.Invalid(String reason)) {
                result = result.and(Validation.of("spec.destinations[" + i + "]", reason));
            }
        }
        if (spec.requestedSourceIp != null
                && IpAddresses.parse(spec.requestedSourceIp).isEmpty()) {
            result = result.and(Validation.of(
                    "spec.requestedSourceIp", "'" + spec.requestedSourceIp + "' is not an IPv4 or IPv6 address"));
        }
        return result;
    }

    private static List<EgressIdentity> live(Snapshot snapshot) {
        return snapshot.egressIdentities().stream()
                .filter(e -> !Metadata.deleting(e))
                .sorted(Metadata.BY_AGE)
                .toList();
    }
}
