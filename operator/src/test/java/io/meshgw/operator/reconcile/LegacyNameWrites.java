package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.crd.LegacyServiceSpec;
import io.meshgw.operator.crd.PrefixMatch;
import io.meshgw.operator.desired.Fixtures;
import io.meshgw.operator.desired.Metadata;
import io.meshgw.operator.desired.Planner;
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.plan.LegacyName;
import io.meshgw.operator.port.LearnedRoute;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.ClusterId;
import java.util.List;
import java.util.Optional;

/**
 * The LegacyService writer for other modules' tests (this module's test-jar): deploy's admission policy test checks
 * that what {@link LegacyNameWriter} sends passes the policy, with the objects and whole passes of the writer itself
 * rather than copies of what it is believed to write.
 */
public final class LegacyNameWrites {
    /** The routes of the datacenter in these tests: they cover what {@link #legacyService} selects. */
    public static final List<String> ROUTES = List.of("10.50.1.0/24", "10.50.2.0/24", "2001:db8:50::/48");

    private static final ObjectKey TOR = new ObjectKey("net", "tor1");
    private static final ClusterId LOCAL = new ClusterId(1, "local");

    private LegacyNameWrites() {}

    /**
     * A LegacyService selecting 10.50.0.0/16 (up to /24) and 2001:db8:50::/48 (up to /64), with one TCP port.
     *
     * @param addresses host addresses in those ranges
     */
    public static LegacyService legacyService(String namespace, String name, int port, String... addresses) {
        var service = Fixtures.meta(new LegacyService(), namespace, name, 0);
        service.getMetadata().setCreationTimestamp(null);
        service.getMetadata().setGeneration(null);
        var spec = new LegacyServiceSpec();
        spec.prefixes.add(new PrefixMatch("10.50.0.0/16", null, 24));
        spec.prefixes.add(new PrefixMatch("2001:db8:50::/48", null, 64));
        spec.addresses.addAll(List.of(addresses));
        var p = new LegacyServiceSpec.Port();
        p.name = "app";
        p.port = port;
        spec.ports.add(p);
        service.setSpec(spec);
        return service;
    }

    /** The Service the writer creates for {@code owner} (which needs its uid, as the API server gives it). */
    public static Service service(LegacyService owner) {
        return LegacyNameObjects.service(name(owner), owner);
    }

    /** The EndpointSlice of one family the writer creates for {@code owner}; empty when it has no such address. */
    public static Optional<EndpointSlice> slice(LegacyService owner, boolean ipv6) {
        var name = name(owner);
        var family = ipv6 ? LegacyNameObjects.Family.IPV6 : LegacyNameObjects.Family.IPV4;
        var addresses = family.of(name.addresses());
        return addresses.isEmpty()
                ? Optional.empty()
                : Optional.of(LegacyNameObjects.slice(name, owner, family, addresses));
    }

    /**
     * One pass of the writer over what the API server holds now (every LegacyService, Service and EndpointSlice)
     * with the datacenter routing {@code routes}.
     *
     * @return the LegacyServices whose writes failed
     */
    public static List<ResourceRef> pass(KubernetesClient client, List<String> routes) {
        var snapshot = Snapshot.builder(LOCAL)
                .legacyServices(client.resources(LegacyService.class)
                        .inAnyNamespace()
                        .list()
                        .getItems())
                .services(client.services().inAnyNamespace().list().getItems())
                .endpointSlices(client.discovery()
                        .v1()
                        .endpointSlices()
                        .inAnyNamespace()
                        .list()
                        .getItems())
                .learnedRoutes(routes(routes))
                .build();
        return new LegacyNameWriter(new ResourceWriter(client)).write(snapshot, Planner.plan(snapshot));
    }

    private static LegacyName name(LegacyService owner) {
        var snapshot = Snapshot.builder(LOCAL)
                .legacyServices(List.of(owner))
                .learnedRoutes(routes(ROUTES))
                .build();
        var name = Planner.plan(snapshot).legacyNames().get(Metadata.key(owner));
        if (name == null) throw new IllegalArgumentException(Metadata.key(owner) + " is no valid LegacyService");
        return name;
    }

    private static List<LearnedRoute> routes(List<String> prefixes) {
        return prefixes.stream().map(p -> Fixtures.route(p, TOR)).toList();
    }
}
