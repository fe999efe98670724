package io.meshgw.operator.desired;

import static io.meshgw.operator.desired.Fixtures.meta;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.crd.LegacyServiceSpec;
import io.meshgw.operator.crd.MeshCluster;
import io.meshgw.operator.crd.MeshClusterSpec;
import io.meshgw.operator.crd.PrefixMatch;
import io.meshgw.operator.plan.StatusFields;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class LegacyServiceAndMeshClusterPlannerTest {
    static final ObjectKey TOR = new ObjectKey("net", "tor1");
    static final ResourceRef MAINFRAME = new ResourceRef("LegacyService", new ObjectKey("apps", "mainframe"));

    @Test
    void aLegacyServiceSelectsRoutesByPrefixLengthAndCommunity() {
        var inside = Fixtures.route("10.50.1.0/24", TOR, "65000:7");
        var tooLong = Fixtures.route("10.50.2.128/25", TOR, "65000:7");
        var noCommunity = Fixtures.route("10.50.3.0/24", TOR);
        var outside = Fixtures.route("10.60.0.0/24", TOR, "65000:7");
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .legacyServices(List.of(legacyService("10.50.0.0/16", 24, 24, "65000:7")))
                .learnedRoutes(List.of(inside, tooLong, noCommunity, outside))
                .build());
        var outcome = state.outcome(MAINFRAME).orElseThrow();
        assertThat(outcome.ready()).isTrue();
        assertThat(outcome.fields()).isEqualTo(new StatusFields.Routes(List.of(inside), List.of()));
        assertThat(outcome.condition("Degraded").orElseThrow().status()).isEqualTo("False");
    }

    @Test
    void aLegacyServiceWithoutARouteIsDegraded() {
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .legacyServices(List.of(legacyService("10.50.0.0/16", null, null, "65000:7")))
                .build());
        assertThat(state.outcome(MAINFRAME)
                        .orElseThrow()
                        .condition("Degraded")
                        .orElseThrow()
                        .reason())
                .isEqualTo("NoRoute");
    }

    @Test
    void anEmptySelectionIsInvalid() {
        var service = meta(new LegacyService(), "apps", "mainframe", 0);
        service.setSpec(new LegacyServiceSpec());
        var state = Planner.plan(
                Snapshot.builder(Fixtures.EAST).legacyServices(List.of(service)).build());
        assertThat(state.outcome(MAINFRAME)
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .message())
                .contains("would take every route");
    }

    @Test
    void theYoungerMeshClusterWithATakenIdIsRejected() {
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .meshClusters(List.of(cluster("west", 2, 7), cluster("east", 1, 7), cluster("north", 3, 8)))
                .build());
        assertThat(state.outcome(new ResourceRef("MeshCluster", ObjectKey.cluster("east")))
                        .orElseThrow()
                        .ready())
                .isTrue();
        var west = state.outcome(new ResourceRef("MeshCluster", ObjectKey.cluster("west")))
                .orElseThrow()
                .condition("Ready")
                .orElseThrow();
        assertThat(west.reason()).isEqualTo("DuplicateClusterId");
        assertThat(west.message()).isEqualTo("cluster id 7 is taken by MeshCluster east");
        assertThat(state.outcome(new ResourceRef("MeshCluster", ObjectKey.cluster("north")))
                        .orElseThrow()
                        .ready())
                .isTrue();
    }

    static LegacyService legacyService(String prefix, Integer ge, Integer le, String community) {
        var service = meta(new LegacyService(), "apps", "mainframe", 0);
        var spec = new LegacyServiceSpec();
        spec.prefixes.add(new PrefixMatch(prefix, ge, le));
        spec.communities.add(community);
        var port = new LegacyServiceSpec.Port();
        port.port = 443;
        spec.ports.add(port);
        service.setSpec(spec);
        return service;
    }

    static MeshCluster cluster(String name, int ageRank, int id) {
        var cluster = meta(new MeshCluster(), null, name, ageRank);
        var spec = new MeshClusterSpec();
        spec.clusterId = id;
        spec.name = name;
        cluster.setSpec(spec);
        return cluster;
    }
}
