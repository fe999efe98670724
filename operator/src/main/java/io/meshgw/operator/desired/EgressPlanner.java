package io.meshgw.operator.desired;

import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.crd.EgressIdentitySpec;
import io.meshgw.operator.crd.EgressPortRule;
import io.meshgw.operator.model.AddressPool;
import io.meshgw.operator.model.CidrText;
import io.meshgw.operator.model.Validation;
import io.meshgw.operator.plan.Announcement;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.PortRule;
import io.meshgw.operator.plan.StatusFields;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpFamily;
import io.meshgw.types.IpPrefix;
import io.meshgw.types.Protocol;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * EgressIdentities to SNAT rules with a stable source address from an EgressIpPool, announced when the pool says,
 * for the addresses of the pods each one selects ({@link EgressPods}). A pod leaves with one source address only, so
 * an identity selecting a pod an older one keeps is a Conflict and not applied at all: a rule for the rest of its
 * pods would hide the overlap behind a half-working identity. It keeps its address reserved meanwhile and applies
 * on the first pass after the overlap is gone.
 *
 * <p>A source address translates only traffic of its own family: a source of a family the datapath does not
 * translate is not applied, and destinations and pod addresses of the other family are left out of the rule. Only
 * identities that can apply keep pods.
 */
final class EgressPlanner {
    static final String POOL_KIND = "EgressIpPool";
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP");

    private EgressPlanner() {}

    /**
     * The source address claims of the valid identities: of a family the datapath translates, where the pool has one
     * (a pool of both families would otherwise give an identity an IPv6 source it cannot SNAT to).
     */
    static List<AddressClaim> claims(Snapshot snapshot) {
        var translated =
                snapshot.capabilities().egressFamilies().stream().sorted().toList();
        return live(snapshot).stream()
                .filter(e -> validate(e).isValid())
                .map(e -> new AddressClaim(
                        Metadata.ref(e),
                        Metadata.createdAt(e),
                        Optional.ofNullable(e.getSpec().poolRef),
                        Optional.ofNullable(e.getSpec().requestedSourceIp),
                        false,
                        e.getStatus() == null ? Optional.empty() : IpAddress.tryParse(e.getStatus().assignedSourceIp),
                        translated))
                .toList();
    }

    static void plan(
            Snapshot snapshot, Map<ResourceRef, Allocation> sources, PoolPlanner.Pools pools, PlanBuilder out) {
        var identities = live(snapshot);
        var families = snapshot.capabilities().egressFamilies();
        // Only identities that can apply compete for pods: one that SNATs nothing must not keep pods from one that
        // would, or they would leave with no source address while the other is a Conflict.
        var pods = EgressPods.assign(
                identities.stream()
                        .filter(e -> validate(e).isValid()
                                && sources.get(Metadata.ref(e)) instanceof Allocation.Assigned(var address, var pool)
                                && families.contains(address.family())
                                && !destinations(e.getSpec(), address).isEmpty())
                        .toList(),
                snapshot.pods());
        for (var identity : identities) {
            var ref = Metadata.ref(identity);
            long generation = Metadata.generation(identity);
            var validation = validate(identity);
            var foreign = foreignNamespace(identity);
            if (foreign.isPresent()) {
                out.outcome(new ObjectOutcome(
                        ref,
                        generation,
                        ConditionState.notApplied(
                                GatewayNamespace.NOT_ALLOWED, "spec.selector.namespace: " + foreign.get(), false),
                        new StatusFields.Egress(Optional.empty())));
                continue;
            }
            if (!validation.isValid()) {
                out.outcome(new ObjectOutcome(
                        ref,
                        generation,
                        ConditionState.invalid(String.join("; ", validation.messages())),
                        new StatusFields.Egress(Optional.empty())));
                continue;
            }
            switch (sources.get(ref)) {
                case Allocation.Rejected(var reason, var message, var conflict, var kept) ->
                    out.outcome(new ObjectOutcome(
                            ref,
                            generation,
                            ConditionState.notApplied(reason, message, conflict),
                            new StatusFields.Egress(kept)));
                case Allocation.Assigned(var address, var pool) ->
                    out.outcome(plan(
                            identity,
                            address,
                            pool,
                            pods.getOrDefault(ref, EgressPods.Selection.NONE),
                            families,
                            pools,
                            snapshot.replica(),
                            out));
            }
        }
    }

    private static ObjectOutcome plan(
            EgressIdentity identity,
            IpAddress source,
            String pool,
            EgressPods.Selection selection,
            Set<IpFamily> families,
            PoolPlanner.Pools pools,
            Optional<String> replica,
            PlanBuilder out) {
        var ref = Metadata.ref(identity);
        var spec = identity.getSpec();
        var fields = new StatusFields.Egress(Optional.of(source));
        if (!families.contains(source.family())) {
            return outcome(
                    identity,
                    ConditionState.notApplied(
                            "SourceNotTranslated",
                            "source " + source + " is " + source.family() + " and the datapath SNATs to "
                                    + families.stream()
                                            .sorted()
                                            .map(Object::toString)
                                            .collect(Collectors.joining(", "))
                                    + " only; nothing is translated or announced",
                            false),
                    fields);
        }
        var destinations = destinations(spec, source);
        var otherFamily = spec.destinations.stream()
                .map(CidrText::valid)
                .filter(d -> d.family() != source.family())
                .toList();
        if (destinations.isEmpty()) {
            return outcome(
                    identity,
                    ConditionState.notApplied(
                            "NoDestinationOfSourceFamily",
                            "no destination is an " + source.family() + " prefix like source " + source
                                    + ", so there is nothing to translate to it: " + otherFamily,
                            false),
                    fields);
        }
        if (!selection.lost().isEmpty()) {
            var message = overlap(selection.lost());
            return outcome(identity, ConditionState.notApplied("SelectorOverlap", message, true), fields);
        }
        out.egress(
                Metadata.key(identity),
                source,
                destinations,
                selection.addresses().stream()
                        .filter(a -> a.family() == source.family())
                        .toList(),
                allowedPorts(spec));
        var announcing = pools.announcing(AddressPool.Kind.EgressIpPool, pool);
        if (announcing.announce()) {
            out.announce(new Announcement(source.hostPrefix(), announcing.communities(), ref));
        }
        var served = new StatusFields.Egress(Optional.of(source), replica);
        var degraded = otherFamily.isEmpty()
                ? ConditionState.degraded(false, "NoSharedPods", "no selected pod is kept by another EgressIdentity")
                : ConditionState.degraded(
                        true,
                        "DestinationsNotTranslated",
                        otherFamily + " left out: a " + source.family() + " source translates only toward "
                                + source.family() + " destinations");
        return outcome(
                identity,
                List.of(
                        ConditionState.ready(
                                true,
                                "Assigned",
                                "source " + source + " toward " + destinations.size() + " destinations"),
                        ConditionState.conflict(
                                false, "NoConflict", "the source address and the selected pods are its own"),
                        degraded),
                served);
    }

    private static ObjectOutcome outcome(
            EgressIdentity identity, List<ConditionState> conditions, StatusFields.Egress fields) {
        return new ObjectOutcome(Metadata.ref(identity), Metadata.generation(identity), conditions, fields);
    }

    /** The destinations of {@code source}'s family, once each, sorted; only called on a valid spec. */
    private static List<IpPrefix> destinations(EgressIdentitySpec spec, IpAddress source) {
        return spec.destinations.stream()
                .map(CidrText::valid)
                .filter(d -> d.family() == source.family())
                .distinct()
                .sorted()
                .toList();
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
        var foreign = foreignNamespace(identity);
        if (foreign.isPresent()) result = result.and(Validation.of("spec.selector.namespace", foreign.get()));
        if (spec.destinations.isEmpty()) {
            result = result.and(Validation.of("spec.destinations", "needs at least one CIDR"));
        }
        for (int i = 0; i < spec.destinations.size(); i++) {
            if (CidrText.parse(spec.destinations.get(i)) instanceof CidrText.Invalid(String reason)) {
                result = result.and(Validation.of("spec.destinations[" + i + "]", reason));
            }
        }
        var ports = spec.allowedPorts == null ? List.<EgressPortRule>of() : spec.allowedPorts;
        for (int i = 0; i < ports.size(); i++) {
            result = result.and(validate(ports.get(i), "spec.allowedPorts[" + i + "]"));
        }
        if (spec.requestedSourceIp != null
                && IpAddress.tryParse(spec.requestedSourceIp).isEmpty()) {
            result = result.and(Validation.of(
                    "spec.requestedSourceIp", "'" + spec.requestedSourceIp + "' is not an IPv4 or IPv6 address"));
        }
        return result;
    }

    /**
     * Why the identity's selector is refused, when it names another namespace than the identity's own: whoever may
     * write an EgressIdentity in one namespace must not re-source, restrict or drop another namespace's traffic.
     */
    private static Optional<String> foreignNamespace(EgressIdentity identity) {
        var spec = identity.getSpec();
        if (spec == null || spec.selector == null) return Optional.empty();
        var named = spec.selector.namespace;
        var own = identity.getMetadata().getNamespace();
        if (named == null || named.isEmpty() || named.equals(own)) return Optional.empty();
        return Optional.of("an EgressIdentity selects pods of its own namespace '" + own + "' only, not of '" + named
                + "'; create it in '" + named + "' or leave the field out");
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
                .map(p -> new PortRule(Protocol.parse(p.protocol), p.port))
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
