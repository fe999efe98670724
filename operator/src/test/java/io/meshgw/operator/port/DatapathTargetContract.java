package io.meshgw.operator.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.operator.plan.Backend;
import io.meshgw.operator.plan.EgressRule;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.PortRule;
import io.meshgw.operator.plan.PortTranslation;
import io.meshgw.operator.plan.Translation;
import io.meshgw.types.ClusterId;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DatapathTarget} does, whatever it writes to. The operator's {@link FakeDatapath} and the
 * gateway's adapter (against a datapath that records the table it is given) both run these tests, so the fake the
 * operator's tests trust cannot drift from what the gateway hands the datapath.
 *
 * <p>A subclass gives the target and reads back what the datapath was last given, in the plan's terms ({@link Held}):
 * one entry per VIP port with its backends in slot order, and per egress identity its source, destinations, pods and
 * port policy.
 */
public abstract class DatapathTargetContract {

    /** One VIP port: what a packet to {@code vip:port/protocol} is translated to. */
    public record HeldService(IpAddress vip, int port, Protocol protocol, int identity, List<HeldBackend> backends) {
        public HeldService {
            backends = List.copyOf(backends);
        }
    }

    public record HeldBackend(IpAddress address, int port, int cluster, boolean local) {
        static HeldBackend of(Backend b) {
            return new HeldBackend(b.address(), b.port(), b.cluster().id(), b.local());
        }
    }

    /**
     * One egress identity: its pods' traffic toward {@code destinations} leaves from {@code source}.
     *
     * @param otherPortsDenied whether ports outside {@code allowedPorts} are denied to the identity
     */
    public record HeldEgress(
            int identity,
            IpAddress source,
            List<IpPrefix> destinations,
            Set<IpAddress> pods,
            Set<PortRule> allowedPorts,
            boolean otherPortsDenied) {
        public HeldEgress {
            destinations = List.copyOf(destinations);
            pods = Set.copyOf(pods);
            allowedPorts = Set.copyOf(allowedPorts);
        }

        static HeldEgress of(EgressRule r) {
            return new HeldEgress(
                    r.identity(),
                    r.source(),
                    r.destinations(),
                    new HashSet<>(r.podAddresses()),
                    new HashSet<>(r.allowedPorts()),
                    !r.allowedPorts().isEmpty());
        }
    }

    /** What the datapath holds, in the plan's terms. */
    public record Held(Set<HeldService> services, Set<HeldEgress> egress) {
        public static final Held NOTHING = new Held(Set.of(), Set.of());

        public Held {
            services = Set.copyOf(services);
            egress = Set.copyOf(egress);
        }

        public static Held of(Plan plan) {
            return of(plan.translations().values(), plan.egressRules().values());
        }

        public static Held of(Collection<Translation> translations, Collection<EgressRule> egress) {
            return new Held(
                    translations.stream()
                            .flatMap(t -> t.ports().stream()
                                    .map(p -> new HeldService(
                                            t.vip(),
                                            p.port().port(),
                                            p.port().protocol(),
                                            t.identity(),
                                            p.backends().stream()
                                                    .map(HeldBackend::of)
                                                    .toList())))
                            .collect(Collectors.toSet()),
                    egress.stream().map(HeldEgress::of).collect(Collectors.toSet()));
        }
    }

    /** The target under test, holding nothing yet. */
    protected abstract DatapathTarget target();

    /** What the datapath was last given; {@link Held#NOTHING} before the first plan. */
    protected abstract Held held();

    /** From now on the datapath refuses every write, as a kernel refusing a map update would. */
    protected abstract void refuseWrites(String why);

    /** The datapath takes writes again. */
    protected abstract void acceptWrites();

    static final ClusterId EAST = new ClusterId(1, "east");
    static final ClusterId WEST = new ClusterId(2, "west");

    static final Translation WEB = new Translation(
            new ObjectKey("shop", "web"),
            IpAddress.parse("198.51.100.10"),
            300,
            List.of(
                    port(
                            new ServicePort("http", Protocol.TCP, 80),
                            backend("10.0.0.1", 8080, EAST, true),
                            backend("10.1.0.1", 8080, WEST, false)),
                    port(new ServicePort("dns", Protocol.UDP, 53), backend("10.0.0.1", 5353, EAST, true))));
    static final Translation API = new Translation(
            new ObjectKey("shop", "api"),
            IpAddress.parse("198.51.100.11"),
            301,
            List.of(port(new ServicePort("", Protocol.TCP, 443), backend("10.0.0.2", 8443, EAST, true))));
    static final EgressRule BATCH = egress(
            "batch", 400, "203.0.113.1", List.of("192.0.2.0/24"), List.of("10.0.0.5"), new PortRule(Protocol.TCP, 443));

    /** Two VIPs, one with a local and a remote backend; an egress identity limited to one port. */
    static final Plan FIRST =
            new PlanParts().translations(WEB, API).egress(BATCH).plan();

    /**
     * The remote backend gone and the target port changed, the other VIP handed over as the same instance, a new VIP
     * with a port no backend serves yet; the identity with one more pod and every port, a new identity, and one that
     * selects no pod yet.
     */
    static final Plan SECOND = new PlanParts()
            .translations(
                    new Translation(
                            WEB.service(),
                            WEB.vip(),
                            WEB.identity(),
                            List.of(
                                    port(
                                            new ServicePort("http", Protocol.TCP, 80),
                                            backend("10.0.0.1", 9090, EAST, true)),
                                    WEB.ports().get(1))),
                    API,
                    new Translation(
                            new ObjectKey("shop", "db"),
                            IpAddress.parse("198.51.100.12"),
                            302,
                            List.of(
                                    port(
                                            new ServicePort("pg", Protocol.TCP, 5432),
                                            backend("10.0.0.3", 5432, EAST, true),
                                            backend("10.1.0.3", 5432, WEST, false)),
                                    port(new ServicePort("replica", Protocol.TCP, 5433)))))
            .egress(
                    egress("batch", 400, "203.0.113.1", List.of("192.0.2.0/24"), List.of("10.0.0.5", "10.0.0.6")),
                    egress(
                            "reports",
                            401,
                            "203.0.113.2",
                            List.of("192.0.2.128/25", "10.20.0.0/16"),
                            List.of("10.0.0.7"),
                            new PortRule(Protocol.TCP, 443),
                            new PortRule(Protocol.UDP, 53)),
                    egress("nightly", 402, "203.0.113.3", List.of("192.0.2.0/24"), List.of()))
            .plan();

    @Test
    void aPlanIsHeldExactlyWhateverWasHeldBefore() {
        assertThat(held()).isEqualTo(Held.NOTHING);

        target().apply(FIRST);
        assertThat(held()).isEqualTo(Held.of(FIRST));

        target().apply(SECOND);
        assertThat(held()).isEqualTo(Held.of(SECOND));

        target().apply(Plan.EMPTY);
        assertThat(held()).isEqualTo(Held.NOTHING);
    }

    @Test
    void theSamePlanAgainHoldsTheSame() {
        target().apply(FIRST);
        target().apply(FIRST);
        assertThat(held()).isEqualTo(Held.of(FIRST));

        target().apply(rebuilt(FIRST));
        assertThat(held()).as("an equal plan built again").isEqualTo(Held.of(FIRST));
    }

    @Test
    void aPlanThatTakesOnlyPartOfTheLastOneHoldsOnlyThatPart() {
        target().apply(SECOND);
        var apiOnly = new PlanParts().translations(API).plan();

        target().apply(apiOnly);

        assertThat(held()).isEqualTo(Held.of(apiOnly));
    }

    @Test
    void aRefusedWriteThrowsAndTheNextPlanIsWrittenWhole() {
        target().apply(FIRST);
        refuseWrites("map full");

        assertThatThrownBy(() -> target().apply(SECOND)).hasMessageContaining("map full");

        acceptWrites();
        target().apply(SECOND);
        assertThat(held()).isEqualTo(Held.of(SECOND));
        target().apply(FIRST);
        assertThat(held()).isEqualTo(Held.of(FIRST));
    }

    // ---- helpers

    static Plan rebuilt(Plan plan) {
        return new PlanParts()
                .translations(plan.translations().values().stream()
                        .map(t -> new Translation(
                                t.service(),
                                IpAddress.parse(t.vip().toString()),
                                t.identity(),
                                t.ports().stream()
                                        .map(p -> new PortTranslation(p.port(), List.copyOf(p.backends())))
                                        .toList()))
                        .toArray(Translation[]::new))
                .egress(plan.egressRules().values().stream()
                        .map(r -> new EgressRule(
                                r.key(),
                                r.identity(),
                                r.source(),
                                List.copyOf(r.destinations()),
                                List.copyOf(r.podAddresses()),
                                List.copyOf(r.allowedPorts())))
                        .toArray(EgressRule[]::new))
                .plan();
    }

    static PortTranslation port(ServicePort port, Backend... backends) {
        return new PortTranslation(port, List.of(backends));
    }

    static Backend backend(String address, int port, ClusterId cluster, boolean local) {
        return new Backend(IpAddress.parse(address), port, cluster, local);
    }

    static EgressRule egress(
            String name, int identity, String source, List<String> destinations, List<String> pods, PortRule... ports) {
        return new EgressRule(
                new ObjectKey("pay", name),
                identity,
                IpAddress.parse(source),
                destinations.stream().map(IpPrefix::parse).toList(),
                pods.stream().map(IpAddress::parse).toList(),
                Stream.of(ports).sorted().toList());
    }
}
