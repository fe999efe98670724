package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.Service;
import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.crd.LegacyServiceSpec;
import io.meshgw.operator.model.BgpPolicyValidator;
import io.meshgw.operator.model.Validation;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.LegacyName;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.StatusFields;
import io.meshgw.operator.port.LearnedRoute;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * LegacyServices: validates the selection, reports the learned routes it selects, and makes the name resolvable to
 * the addresses those routes cover ({@link LegacyName}). Health follows the routes: no selected route, or a listed
 * address no selected route covers, is Degraded. The name is a Service name in the LegacyService's namespace, so a
 * Service of that name the LegacyService does not control is a Conflict and nothing is applied.
 */
final class LegacyServicePlanner {
    private static final int NAMED_ADDRESSES = 5;

    /** RFC 1035 label, as Kubernetes requires of Service names. */
    private static final Pattern DNS_1035_LABEL = Pattern.compile("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$");

    /** IANA service name (RFC 6335 §5.1), as Kubernetes requires of Service port names. */
    private static final Pattern IANA_SERVICE_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$");

    private LegacyServicePlanner() {}

    /** @param services the Services by key, to find one that holds a LegacyService's name */
    static void plan(Snapshot snapshot, Function<ObjectKey, Optional<Service>> services, PlanBuilder out) {
        for (var service : snapshot.legacyServices()) {
            if (Metadata.deleting(service)) continue;
            var ref = Metadata.ref(service);
            long generation = Metadata.generation(service);
            var selector = LegacyServiceSelectors.of(service);
            if (selector.isEmpty()) {
                out.outcome(new ObjectOutcome(
                        ref,
                        generation,
                        ConditionState.invalid(
                                String.join("; ", validate(service).messages())),
                        new StatusFields.Routes(List.of(), List.of())));
                continue;
            }
            var key = Metadata.key(service);
            var routes = snapshot.learnedRoutes().stream()
                    .filter(selector.get()::selects)
                    .sorted(Comparator.comparing(LearnedRoute::prefix).thenComparing(LearnedRoute::peer))
                    .toList();
            var taken = services.apply(key).filter(s -> !LegacyNameOwnership.controlledBy(s, key));
            if (taken.isPresent()) {
                var message = "Service " + key + " exists and is not controlled by this LegacyService;"
                        + " rename or delete one of them";
                out.outcome(new ObjectOutcome(
                        ref,
                        generation,
                        ConditionState.notApplied("NameInUse", message, true),
                        new StatusFields.Routes(routes, List.of())));
                continue;
            }
            var resolution = resolve(service.getSpec(), routes);
            out.legacyName(new LegacyName(key, resolution.addresses(), ports(service.getSpec())));
            out.outcome(new ObjectOutcome(
                    ref,
                    generation,
                    List.of(
                            ConditionState.ready(true, "Valid", "selection is valid"),
                            ConditionState.conflict(false, "NoConflict", "the Service name is its own"),
                            degraded(routes, resolution)),
                    new StatusFields.Routes(routes, resolution.addresses())));
        }
    }

    /**
     * What the name resolves to.
     *
     * @param addresses resolvable, IPv4 first, each family ascending
     * @param uncovered listed addresses no selected route covers, in spec order
     */
    record Resolution(List<IpAddress> addresses, List<IpAddress> uncovered) {}

    /**
     * Each listed address that a selected route covers; with none listed, the addresses of the selected host routes
     * (/32, /128). Only called on a valid spec.
     */
    static Resolution resolve(LegacyServiceSpec spec, List<LearnedRoute> routes) {
        var resolvable = new TreeSet<IpAddress>();
        var uncovered = new ArrayList<IpAddress>();
        if (spec.addresses.isEmpty()) {
            routes.stream().map(LearnedRoute::prefix).filter(p -> p.host()).forEach(p -> resolvable.add(p.address()));
        } else {
            for (var text : spec.addresses) {
                var address = IpAddress.parse(text);
                if (routes.stream().anyMatch(r -> r.prefix().contains(address))) {
                    resolvable.add(address);
                } else {
                    uncovered.add(address);
                }
            }
        }
        return new Resolution(List.copyOf(resolvable), uncovered);
    }

    private static ConditionState degraded(List<LearnedRoute> routes, Resolution resolution) {
        if (routes.isEmpty()) {
            return ConditionState.degraded(true, "NoRoute", "no learned route matches the selection");
        }
        if (!resolution.uncovered().isEmpty()) {
            return ConditionState.degraded(
                    true,
                    "NoAddress",
                    "no selected route covers " + named(resolution.uncovered()) + "; the name resolves to "
                            + (resolution.addresses().isEmpty() ? "no address" : named(resolution.addresses())));
        }
        var selected = routes.size() + (routes.size() == 1 ? " route" : " routes") + " selected";
        if (resolution.addresses().isEmpty()) {
            return ConditionState.degraded(
                    false,
                    "RoutesSelected",
                    selected + ", none of them a host route: the name resolves to no address until spec.addresses"
                            + " lists the service's addresses");
        }
        return ConditionState.degraded(
                false, "RoutesSelected", selected + "; the name resolves to " + named(resolution.addresses()));
    }

    private static String named(List<IpAddress> addresses) {
        var first = addresses.stream()
                .limit(NAMED_ADDRESSES)
                .map(IpAddress::toString)
                .collect(Collectors.joining(", "));
        return addresses.size() > NAMED_ADDRESSES
                ? first + " and " + (addresses.size() - NAMED_ADDRESSES) + " more"
                : first;
    }

    private static List<ServicePort> ports(LegacyServiceSpec spec) {
        return spec.ports.stream()
                .map(p -> new ServicePort(
                        p.name, p.protocol == null ? Protocol.TCP : Protocol.valueOf(p.protocol.name()), p.port))
                .toList();
    }

    static Validation validate(LegacyService service) {
        var spec = service.getSpec();
        if (spec == null) return Validation.of("spec", "is required");
        var result = Validation.OK;
        var name = service.getMetadata().getName();
        if (!DNS_1035_LABEL.matcher(name).matches()) {
            result = Validation.of(
                    "metadata.name",
                    "'" + name + "' cannot name a Service (lower-case letters, digits and '-', starting with a"
                            + " letter, at most 63 characters)");
        }
        result = result.and(BgpPolicyValidator.prefixes("spec.prefixes", spec.prefixes))
                .and(BgpPolicyValidator.communities("spec.communities", spec.communities))
                .and(BgpPolicyValidator.largeCommunities("spec.largeCommunities", spec.largeCommunities));
        if (spec.prefixes.isEmpty() && spec.communities.isEmpty() && spec.largeCommunities.isEmpty()) {
            result = result.and(Validation.of(
                    "spec", "select by at least one prefix or community; an empty selection would take every route"));
        }
        return result.and(addresses(spec.addresses)).and(ports(spec.ports));
    }

    /** Host addresses, each once (compared in canonical form, so 2001:db8::1 and 2001:DB8:0::1 are the same). */
    private static Validation addresses(List<String> addresses) {
        var result = Validation.OK;
        var seen = new HashMap<IpAddress, Integer>();
        for (int i = 0; i < addresses.size(); i++) {
            var text = addresses.get(i);
            var path = "spec.addresses[" + i + "]";
            var address = IpAddress.tryParse(text);
            if (address.isEmpty()) {
                result = result.and(Validation.of(
                        path,
                        text != null && text.contains("/")
                                ? "'" + text + "' is a prefix; list host addresses without a prefix length"
                                : "'" + text + "' is not an IPv4 or IPv6 address"));
                continue;
            }
            var first = seen.putIfAbsent(address.get(), i);
            if (first != null) {
                result = result.and(
                        Validation.of(path, "'" + text + "' is listed twice (also spec.addresses[" + first + "])"));
            }
        }
        return result;
    }

    /** What the API server requires of the ports of the Service the name becomes. */
    private static Validation ports(List<LegacyServiceSpec.Port> ports) {
        var result = Validation.OK;
        var names = new HashSet<String>();
        for (int i = 0; i < ports.size(); i++) {
            var port = ports.get(i);
            var path = "spec.ports[" + i + "]";
            var name = port.name == null ? "" : port.name;
            if (name.isEmpty() && ports.size() > 1) {
                result = result.and(Validation.of(path + ".name", "is required when there is more than one port"));
            } else if (!name.isEmpty() && !validPortName(name)) {
                result = result.and(Validation.of(
                        path + ".name",
                        "'" + name + "' is not an IANA service name (at most 15 lower-case letters, digits and"
                                + " single '-', with at least one letter)"));
            } else if (!names.add(name)) {
                result = result.and(Validation.of(path + ".name", "'" + name + "' is used twice"));
            }
            if (port.port == null) {
                result = result.and(Validation.of(path + ".port", "is required"));
            } else if (port.port < 1 || port.port > 65535) {
                result = result.and(Validation.of(path + ".port", port.port + " is not in 1..65535"));
            }
        }
        return result;
    }

    private static boolean validPortName(String name) {
        return IANA_SERVICE_NAME.matcher(name).matches() && !name.contains("--") && name.matches(".*[a-z].*");
    }
}
