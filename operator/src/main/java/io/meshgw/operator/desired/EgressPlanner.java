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

/**
 * EgressIdentities to SNAT rules with a stable source address from an EgressIpPool, announced when the pool says,
 * for the addresses of the pods each one selects ({@link EgressPods}). A pod leaves with one source address only, so
 * an identity selecting a pod an older one keeps is a Conflict and not applied at all: a rule for the rest of its
 * pods would hide the overlap behind a half-working identity. It keeps its address reserved meanwhile and applies
 * on the first pass after the overlap is gone. Only identities that are valid and hold an address keep pods.
 */
final class EgressPlanner {
    static final String POOL_KIND = "EgressIpPool";
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
        // Only identities that can apply compete for pods: an invalid one, or one its pool rejects, SNATs nothing,
        // and letting it keep pods would leave them with no source address while a newer identity is a Conflict.
        var pods = EgressPods.assign(
                identities.stream()
                        .filter(e ->
                                validate(e).isValid() && sources.get(Metadata.ref(e)) instanceof Allocation.Assigned)
                        .toList(),
                snapshot.pods());
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
                    if (!selection.lost().isEmpty()) {
                        var message = overlap(selection.lost());
                        out.outcome(new ObjectOutcome(
                                ref,
                                generation,
                                List.of(
                                        ConditionState.ready(false, "SelectorOverlap", message),
                                        ConditionState.conflict(true, "SelectorOverlap", message),
                                        ConditionState.unknown(ConditionState.DEGRADED, "not applied")),
                                new StatusFields.Egress(address)));
                        continue;
                    }
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
                                    ConditionState.conflict(
                                            false,
                                            "NoConflict",
                                            "the source address and the selected pods are its own"),
                                    ConditionState.degraded(
                                            false,
                                            "NoSharedPods",
                                            "no selected pod is kept by another EgressIdentity")),
                            new StatusFields.Egress(address)));
                }
            }
        }
    }

    /** Names the older identity keeping the first shared pod, and how many more pods are shared. */
    private static String overlap(Map<ObjectKey, ResourceRef> lost) {
        var first = lost.entrySet().iterator().next();
        int more = lost.size() - 1;
        return "the older EgressIdentity " + first.getValue().key() + " also selects pod " + first.getKey()
                + " and keeps it" + (more == 0 ? "" : " (" + more + " more shared " + (more == 1 ? "pod)" : "pods)"))
                + "; not applied until no pod is selected by both";
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
