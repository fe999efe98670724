package io.meshgw.operator.desired;

import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.crd.PrefixMatch;
import io.meshgw.operator.model.BgpPolicyValidator;
import io.meshgw.operator.model.Cidr;
import io.meshgw.operator.model.Validation;
import io.meshgw.operator.port.LearnedRoute;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;

/**
 * LegacyServices: validates the selection and reports the learned routes it selects. A LegacyService with no selected
 * route is Degraded: its health follows the BGP route.
 */
final class LegacyServicePlanner {
    private LegacyServicePlanner() {}

    static void plan(Snapshot snapshot, DesiredState.Builder out) {
        for (var service : snapshot.legacyServices()) {
            var ref = Metadata.ref(service);
            long generation = Metadata.generation(service);
            var validation = validate(service);
            if (!validation.isValid()) {
                out.outcome(new ObjectOutcome(
                        ref,
                        generation,
                        List.of(
                                ConditionState.ready(false, "Invalid", String.join("; ", validation.messages())),
                                ConditionState.unknown(ConditionState.DEGRADED, "not evaluated: invalid")),
                        new StatusFields.Routes(List.of())));
                continue;
            }
            var routes = snapshot.learnedRoutes().stream()
                    .filter(r -> selects(service, r))
                    .sorted(Comparator.comparing(LearnedRoute::prefix).thenComparing(LearnedRoute::peer))
                    .toList();
            var degraded = routes.isEmpty()
                    ? ConditionState.degraded(true, "NoRoute", "no learned route matches the selection")
                    : ConditionState.degraded(false, "RoutesSelected", routes.size() + " routes selected");
            out.outcome(new ObjectOutcome(
                    ref,
                    generation,
                    List.of(ConditionState.ready(true, "Valid", "selection is valid"), degraded),
                    new StatusFields.Routes(routes)));
        }
    }

    static Validation validate(LegacyService service) {
        var spec = service.getSpec();
        if (spec == null) return Validation.of("spec", "is required");
        var result = BgpPolicyValidator.prefixes("spec.prefixes", spec.prefixes);
        if (spec.prefixes.isEmpty() && spec.communities.isEmpty() && spec.largeCommunities.isEmpty()) {
            result = result.and(Validation.of(
                    "spec", "select by at least one prefix or community; an empty selection would take every route"));
        }
        var names = new HashSet<String>();
        for (int i = 0; i < spec.ports.size(); i++) {
            var name = spec.ports.get(i).name == null ? "" : spec.ports.get(i).name;
            if (!names.add(name)) {
                result = result.and(Validation.of("spec.ports[" + i + "].name", "'" + name + "' is used twice"));
            }
        }
        return result;
    }

    /** Any prefix entry matches (or there are none) and every listed community is carried. */
    static boolean selects(LegacyService service, LearnedRoute route) {
        var spec = service.getSpec();
        if (!route.communities().containsAll(spec.communities)) return false;
        if (!route.largeCommunities().containsAll(spec.largeCommunities)) return false;
        if (spec.prefixes.isEmpty()) return true;
        if (!(Cidr.parse(route.prefix()) instanceof Cidr.Ok(Cidr routed))) return false;
        return spec.prefixes.stream().anyMatch(entry -> matches(entry, routed));
    }

    private static boolean matches(PrefixMatch entry, Cidr route) {
        var rule = PolicyPlanner.prefixRule(entry);
        var cidr = ((Cidr.Ok) Cidr.parse(entry.prefix)).cidr();
        return cidr.range().contains(route.network())
                && route.length() >= cidr.length()
                && route.length() >= rule.ge()
                && route.length() <= rule.le();
    }
}
