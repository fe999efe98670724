package io.meshgw.operator.desired;

import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.crd.EgressIdentitySpec;
import io.meshgw.operator.crd.EgressPortRule;
import io.meshgw.operator.model.AddressPool;
import io.meshgw.operator.model.Cidr;
import io.meshgw.operator.model.IpAddresses;
import io.meshgw.operator.model.Validation;
import io.meshgw.operator.port.Announcement;
import io.meshgw.operator.port.EgressRule;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PortRule;
import io.meshgw.operator.port.ResourceRef;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * EgressIdentities to SNAT rules with a stable source address from an EgressIpPool, announced when the pool says,
 * for the addresses of the pods each one selects ({@link EgressPods}).
 */
final class EgressPlanner {
    static final String POOL_KIND = "EgressIpPool";
    private static final int NAMED_PODS = 3;
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP");

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
        var identities = live(snapshot);
        var pods = EgressPods.assign(identities, snapshot.pods());
        for (var identity : identities) {
            var ref = Metadata.ref(identity);
            long generation = Metadata.generation(identity);
            var validation = validate(identity);
            if (!validation.isValid()) {
                out.outcome(new ObjectOutcome(
                        ref,
                        generation,
                        List.of(
                                ConditionState.ready(false, "Invalid", String.join("; ", validation.messages())),
                                ConditionState.unknown(ConditionState.CONFLICT, "not evaluated: invalid"),
                                ConditionState.unknown(ConditionState.DEGRADED, "not applied")),
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
                                            : ConditionState.conflict(false, "NoConflict", "no conflict found so far"),
                                    ConditionState.unknown(ConditionState.DEGRADED, "not applied")),
                            new StatusFields.Egress(kept)));
                case Allocation.Assigned(String address, String pool) -> {
                    var spec = identity.getSpec();
                    var selector = spec.selector;
                    var selection = pods.getOrDefault(ref, EgressPods.Selection.NONE);
                    out.egress(new EgressRule(
                            Metadata.key(identity),
                            address,
                            EgressPods.namespace(identity),
                            selector.serviceAccount,
                            selector.podLabels,
                            spec.destinations.stream()
                                    .map(d -> ((Cidr.Ok) Cidr.parse(d)).cidr().toString())
                                    .toList(),
                            selection.addresses(),
                            allowedPorts(spec)));
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
                                    ConditionState.conflict(false, "NoConflict", "the source address is its own"),
                                    degraded(selection.lost())),
                            new StatusFields.Egress(address)));
                }
            }
        }
    }

    /** Degraded while an older identity keeps some of the pods this one selects; names the first few. */
    private static ConditionState degraded(Map<ObjectKey, ResourceRef> lost) {
        if (lost.isEmpty()) {
            return ConditionState.degraded(false, "NoSharedPods", "no selected pod is kept by another EgressIdentity");
        }
        var named = lost.entrySet().stream()
                .limit(NAMED_PODS)
                .map(e -> "pod " + e.getKey() + " is kept by the older EgressIdentity "
                        + e.getValue().key())
                .collect(Collectors.joining("; "));
        var more = lost.size() > NAMED_PODS ? "; and " + (lost.size() - NAMED_PODS) + " more pods" : "";
        return ConditionState.degraded(true, "PodClaimedByAnother", named + more);
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
        var ports = spec.allowedPorts == null ? List.<EgressPortRule>of() : spec.allowedPorts;
        for (int i = 0; i < ports.size(); i++) {
            result = result.and(validate(ports.get(i), "spec.allowedPorts[" + i + "]"));
        }
        if (spec.requestedSourceIp != null
                && IpAddresses.parse(spec.requestedSourceIp).isEmpty()) {
            result = result.and(Validation.of(
                    "spec.requestedSourceIp", "'" + spec.requestedSourceIp + "' is not an IPv4 or IPv6 address"));
        }
        return result;
    }

    private static Validation validate(EgressPortRule rule, String path) {
        if (rule == null) return Validation.of(path, "is required");
        var result = Validation.OK;
        if (rule.protocol != null && !PROTOCOLS.contains(rule.protocol)) {
            result = Validation.of(path + ".protocol", "'" + rule.protocol + "' is not TCP or UDP");
        }
        if (rule.port == null) {
            result = result.and(Validation.of(path + ".port", "is required"));
        } else if (rule.port < 1 || rule.port > 65535) {
            result = result.and(Validation.of(path + ".port", rule.port + " is not in 1..65535"));
        }
        return result;
    }

    /** The spec's ports (protocol TCP when unset), sorted and once each; only called on a valid spec. */
    private static List<PortRule> allowedPorts(EgressIdentitySpec spec) {
        if (spec.allowedPorts == null) return List.of();
        return spec.allowedPorts.stream()
                .map(p -> new PortRule(p.protocol == null ? "TCP" : p.protocol, p.port))
                .distinct()
                .sorted()
                .toList();
    }

    private static List<EgressIdentity> live(Snapshot snapshot) {
        return snapshot.egressIdentities().stream()
                .filter(e -> !Metadata.deleting(e))
                .sorted(Metadata.BY_AGE)
                .toList();
    }
}
