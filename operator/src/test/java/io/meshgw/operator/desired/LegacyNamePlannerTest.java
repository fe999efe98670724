package io.meshgw.operator.desired;

import static io.meshgw.operator.desired.Fixtures.meta;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.crd.LegacyServiceSpec;
import io.meshgw.operator.crd.PrefixMatch;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.LegacyName;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.StatusFields;
import io.meshgw.operator.port.LearnedRoute;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import io.meshgw.types.ServicePort;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a LegacyService's name resolves to, and when it is Degraded, Invalid or in Conflict. */
class LegacyNamePlannerTest {
    static final ObjectKey TOR = new ObjectKey("net", "tor1");
    static final ObjectKey MAINFRAME = new ObjectKey("apps", "mainframe");
    static final ResourceRef REF = new ResourceRef("LegacyService", MAINFRAME);
    static final LearnedRoute V4 = route("10.50.1.0/24");
    static final LearnedRoute V6 = route("2001:db8:50::/48");

    @Test
    void listedAddressesResolveWhereASelectedRouteCoversThemAndTheRestAreNamed() {
        var state = compute(
                legacyService("10.50.1.6", "2001:DB8:50:0::5", "10.50.1.5", "10.60.0.1", "10.50.2.1"),
                List.of(V6, V4, route("10.70.0.0/16")));

        var name = state.legacyNames().get(MAINFRAME);
        assertThat(name)
                .isEqualTo(new LegacyName(
                        MAINFRAME,
                        ips("10.50.1.5", "10.50.1.6", "2001:db8:50::5"),
                        List.of(ServicePort.tcp("tn3270", 3270))));
        var outcome = state.outcome(REF).orElseThrow();
        assertThat(outcome.ready()).isTrue();
        assertThat(outcome.condition("Degraded").orElseThrow())
                .isEqualTo(ConditionState.degraded(
                        true,
                        "NoAddress",
                        "no selected route covers 10.60.0.1, 10.50.2.1;"
                                + " the name resolves to 10.50.1.5, 10.50.1.6, 2001:db8:50::5"));
        assertThat(outcome.fields()).isEqualTo(new StatusFields.Routes(List.of(V4, V6), name.addresses()));
    }

    @Test
    void everyListedAddressCoveredIsNotDegraded() {
        var state = compute(legacyService("10.50.1.5", "2001:db8:50::5"), List.of(V4, V6));
        assertThat(state.legacyNames().get(MAINFRAME).addresses())
                .extracting(Object::toString)
                .containsExactly("10.50.1.5", "2001:db8:50::5");
        assertThat(state.outcome(REF).orElseThrow().condition("Degraded").orElseThrow())
                .isEqualTo(ConditionState.degraded(
                        false, "RoutesSelected", "2 routes selected; the name resolves to 10.50.1.5, 2001:db8:50::5"));
    }

    @Test
    void withoutListedAddressesTheSelectedHostRoutesResolve() {
        var host4 = route("10.50.1.7/32");
        var host6 = route("2001:db8:50::7/128");
        var state = compute(legacyService(), List.of(host6, V4, host4, route("10.50.1.3/32")));
        assertThat(state.legacyNames().get(MAINFRAME).addresses())
                .extracting(Object::toString)
                .containsExactly("10.50.1.3", "10.50.1.7", "2001:db8:50::7");
        assertThat(state.outcome(REF).orElseThrow().degraded()).isFalse();
    }

    @Test
    void withoutListedAddressesOrHostRoutesTheNameResolvesToNothingAndSaysWhy() {
        var state = compute(legacyService(), List.of(V4));
        assertThat(state.legacyNames().get(MAINFRAME).addresses()).isEmpty();
        assertThat(state.outcome(REF).orElseThrow().condition("Degraded").orElseThrow())
                .isEqualTo(ConditionState.degraded(
                        false,
                        "RoutesSelected",
                        "1 route selected, none of them a host route: the name resolves to no address until"
                                + " spec.addresses lists the service's addresses"));
    }

    @Test
    void selectedRoutesCoveringNoListedAddressAreDegradedWithNoAddress() {
        var state = compute(legacyService("10.60.0.1", "10.60.0.2"), List.of(V4));
        assertThat(state.legacyNames().get(MAINFRAME).addresses()).isEmpty();
        assertThat(state.outcome(REF).orElseThrow().condition("Degraded").orElseThrow())
                .isEqualTo(ConditionState.degraded(
                        true,
                        "NoAddress",
                        "no selected route covers 10.60.0.1, 10.60.0.2; the name resolves to no address"));
    }

    @Test
    void noSelectedRouteIsDegradedWithNoRouteAndTheNameStaysWithoutAddresses() {
        var state = compute(legacyService("10.50.1.5"), List.of(route("10.60.0.0/24")));
        assertThat(state.legacyNames().get(MAINFRAME))
                .isEqualTo(new LegacyName(MAINFRAME, List.of(), List.of(ServicePort.tcp("tn3270", 3270))));
        var outcome = state.outcome(REF).orElseThrow();
        assertThat(outcome.reason()).isEqualTo("NoRoute");
        assertThat(outcome.fields()).isEqualTo(new StatusFields.Routes(List.of(), List.of()));
    }

    @Test
    void addressesMustBeHostAddressesListedOnce() {
        var state = compute(
                legacyService("10.50.1.0/24", "mainframe.example", "2001:db8::1", "10.50.1.5", "2001:DB8:0::1"),
                List.of(V4));
        assertThat(state.legacyNames()).isEmpty();
        var ready = state.outcome(REF).orElseThrow().condition("Ready").orElseThrow();
        assertThat(ready.reason()).isEqualTo("Invalid");
        assertThat(ready.message())
                .isEqualTo("spec.addresses[0]: '10.50.1.0/24' is a prefix; list host addresses without a prefix"
                        + " length; spec.addresses[1]: 'mainframe.example' is not an IPv4 or IPv6 address;"
                        + " spec.addresses[4]: '2001:DB8:0::1' is listed twice (also spec.addresses[2])");
        assertThat(state.outcome(REF).orElseThrow().fields()).isEqualTo(new StatusFields.Routes(List.of(), List.of()));
    }

    @Test
    void theNameAndPortsMustBeWhatAServiceAccepts() {
        var service = legacyService();
        service.getMetadata().setName("1mainframe.apps");
        var unnamed = port(null, 23);
        var upper = port("TN3270", 3270);
        var outOfRange = port("tn", 70000);
        service.getSpec().ports = List.of(unnamed, upper, outOfRange);
        var state = compute(service, List.of(V4));
        assertThat(state.legacyNames()).isEmpty();
        assertThat(state.outcome(new ResourceRef("LegacyService", new ObjectKey("apps", "1mainframe.apps")))
                        .orElseThrow()
                        .message())
                .isEqualTo("metadata.name: '1mainframe.apps' cannot name a Service (lower-case letters, digits and"
                        + " '-', starting with a letter, at most 63 characters);"
                        + " spec.ports[0].name: is required when there is more than one port;"
                        + " spec.ports[1].name: 'TN3270' is not an IANA service name (at most 15 lower-case letters,"
                        + " digits and single '-', with at least one letter);"
                        + " spec.ports[2].port: 70000 is not in 1..65535");
    }

    @Test
    void aServiceOfTheSameNameItDoesNotControlIsAConflictAndNothingIsApplied() {
        var foreign = Fixtures.service("apps", "mainframe", "http", 80);
        var state = compute(legacyService("10.50.1.5"), List.of(V4), foreign);

        assertThat(state.legacyNames()).isEmpty();
        var outcome = state.outcome(REF).orElseThrow();
        assertThat(outcome.conflict()).isTrue();
        assertThat(outcome.ready()).isFalse();
        assertThat(outcome.headline())
                .isEqualTo(ConditionState.conflict(
                        true,
                        "NameInUse",
                        "Service apps/mainframe exists and is not controlled by this LegacyService;"
                                + " rename or delete one of them"));
        assertThat(outcome.fields()).isEqualTo(new StatusFields.Routes(List.of(V4), List.of()));
    }

    @Test
    void theServiceItControlsIsNoConflictAndNeitherIsAnotherKindsOwnerReference() {
        var own = ownedBy(Fixtures.service("apps", "mainframe"), "LegacyService", "meshgw.io/v1alpha1");
        var state = compute(legacyService("10.50.1.5"), List.of(V4), own);
        assertThat(state.legacyNames()).containsKey(MAINFRAME);
        assertThat(state.outcome(REF).orElseThrow().condition("Conflict").orElseThrow())
                .isEqualTo(ConditionState.conflict(false, "NoConflict", "the Service name is its own"));

        var other = ownedBy(Fixtures.service("apps", "mainframe"), "LegacyService", "example.com/v1");
        assertThat(compute(legacyService("10.50.1.5"), List.of(V4), other).legacyNames())
                .isEmpty();
    }

    static Plan compute(LegacyService service, List<LearnedRoute> routes, Service... services) {
        return Planner.plan(Snapshot.builder(Fixtures.EAST)
                .legacyServices(List.of(service))
                .learnedRoutes(routes)
                .services(List.of(services))
                .build());
    }

    /** apps/mainframe selecting 10.50.0.0/16 and 2001:db8:50::/48 down to host routes, with one tn3270 port. */
    static LegacyService legacyService(String... addresses) {
        var service = meta(new LegacyService(), "apps", "mainframe", 0);
        var spec = new LegacyServiceSpec();
        spec.prefixes.add(new PrefixMatch("10.50.0.0/16", null, 32));
        spec.prefixes.add(new PrefixMatch("2001:db8:50::/48", null, 128));
        spec.addresses.addAll(List.of(addresses));
        spec.ports.add(port("tn3270", 3270));
        service.setSpec(spec);
        return service;
    }

    static LegacyServiceSpec.Port port(String name, int number) {
        var port = new LegacyServiceSpec.Port();
        port.name = name;
        port.port = number;
        return port;
    }

    static LearnedRoute route(String prefix) {
        return new LearnedRoute(
                IpPrefix.parse(prefix), Optional.of(IpAddress.parse("192.0.2.1")), TOR, List.of(), List.of());
    }

    static List<IpAddress> ips(String... addresses) {
        return Stream.of(addresses).map(IpAddress::parse).toList();
    }

    static Service ownedBy(Service service, String kind, String apiVersion) {
        service.getMetadata()
                .setOwnerReferences(List.of(new OwnerReferenceBuilder()
                        .withApiVersion(apiVersion)
                        .withKind(kind)
                        .withName(service.getMetadata().getName())
                        .withUid("u-1")
                        .withController(true)
                        .build()));
        return service;
    }
}
