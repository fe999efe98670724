package io.meshgw.operator.reconcile;

import static io.meshgw.operator.desired.Fixtures.egressIdentity;
import static io.meshgw.operator.desired.Fixtures.egressPool;
import static io.meshgw.operator.desired.Fixtures.export;
import static io.meshgw.operator.desired.Fixtures.peer;
import static io.meshgw.operator.desired.Fixtures.service;
import static io.meshgw.operator.desired.Fixtures.slice;
import static io.meshgw.operator.desired.Fixtures.vipPool;
import static io.meshgw.operator.desired.Fixtures.withRequestedVip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.desired.Fixtures;
import io.meshgw.operator.desired.Planner;
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.BgpTarget;
import io.meshgw.operator.port.LearnedRoute;
import io.meshgw.operator.port.MeshTarget;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerSession;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.operator.port.RouteSelector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one order in which a plan reaches the engines, and what a failed step does to the rest of the pass. */
class PlanApplierTest {
    static final List<String> ORDER = List.of("diff", "withdraw", "datapath", "announce", "peers", "names", "mesh");

    /** Engines that only record which step ran, and fail at the step named {@code failAt}. */
    static final class RecordingEngines {
        final List<String> steps = new ArrayList<>();
        final String failAt;

        RecordingEngines(String failAt) {
            this.failAt = failAt;
        }

        void step(String name) {
            steps.add(name);
            if (name.equals(failAt)) throw new IllegalStateException(name + " refused");
        }

        GatewayPorts ports() {
            BgpTarget bgp = new BgpTarget() {
                @Override
                public BgpChanges changesFor(Plan plan) {
                    step("diff");
                    return new BgpChanges() {
                        @Override
                        public void withdraw() {
                            step("withdraw");
                        }

                        @Override
                        public void announce() {
                            step("announce");
                        }

                        @Override
                        public void applyPeers() {
                            step("peers");
                        }

                        @Override
                        public boolean isEmpty() {
                            return false;
                        }
                    };
                }

                @Override
                public Map<ObjectKey, PeerSession> sessions() {
                    return Map.of();
                }

                @Override
                public List<LearnedRoute> learnedRoutes(Collection<RouteSelector> selectors) {
                    return List.of();
                }
            };
            MeshTarget mesh = new MeshTarget() {
                @Override
                public void apply(Plan plan) {
                    step("mesh");
                }

                @Override
                public void standBy() {}

                @Override
                public List<RemoteExport> remoteExports() {
                    return List.of();
                }
            };
            return new GatewayPorts(
                    bgp,
                    plan -> step("datapath"),
                    mesh,
                    plan -> step("names"),
                    Capabilities.DATAPATH,
                    PassObserver.NONE);
        }
    }

    @Test
    void routesAreWithdrawnBeforeTheDatapathChangesAndAnnouncedAfterThenSessionsNamesAndMesh() {
        var engines = new RecordingEngines("none");
        new PlanApplier(engines.ports()).apply(Plan.EMPTY);
        assertThat(engines.steps).isEqualTo(ORDER);
    }

    @ParameterizedTest
    @CsvSource({
        "diff, diff BGP announcements and sessions",
        "withdraw, withdraw routes the plan no longer has",
        "datapath, write the datapath's maps",
        "announce, announce the plan's routes",
        "peers, apply BGP sessions",
        "names, serve LegacyService names",
        "mesh, publish this cluster's exports to the mesh"
    })
    void aFailedStepStopsThePassAndNamesTheStep(String failing, String step) {
        var engines = new RecordingEngines(failing);
        assertThatThrownBy(() -> new PlanApplier(engines.ports()).apply(Plan.EMPTY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(step + " failed: " + failing + " refused");
        assertThat(engines.steps).isEqualTo(ORDER.subList(0, ORDER.indexOf(failing) + 1));
    }

    final FakeGateway gateway = FakeGateway.create();

    /** A peer, an exported Service with a VIP and a ready backend, and an egress identity, all named {@code name}. */
    static Snapshot everything(String name, String vip, String source) {
        return Snapshot.builder(Fixtures.EAST)
                .vipPools(List.of(vipPool("vips", "192.0.2.0/28")))
                .egressPools(List.of(egressPool("egress", "198.51.100.0/28")))
                .peers(List.of(peer("net", name, 1, vip.replace("192.0.2.", "203.0.113."), 65000)))
                .services(List.of(service("shop", name, "http", 80)))
                .endpointSlices(List.of(slice("shop", name, "http", 8080, "10.0.0.1")))
                .exports(List.of(withRequestedVip(export("shop", name, 1, "vips"), vip)))
                .egressIdentities(List.of(identity(name, source)))
                .build();
    }

    static EgressIdentity identity(String name, String source) {
        var identity = egressIdentity("pay", name, 1, "egress");
        identity.getSpec().requestedSourceIp = source;
        return identity;
    }

    Plan pass(Snapshot snapshot) {
        var plan = Planner.plan(snapshot);
        new PlanApplier(gateway.ports()).apply(plan);
        return plan;
    }

    @Test
    void aDatapathThatRefusesThePlanGetsNoRouteAnnouncedTowardIt() {
        gateway.datapath().refuse("table full");
        assertThatThrownBy(() -> pass(everything("web", "192.0.2.1", "198.51.100.1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("write the datapath's maps failed: table full");
        assertThat(gateway.log().all()).isEmpty();
        assertThat(gateway.bgp().announcements()).isEmpty();
    }
}
