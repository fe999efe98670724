package io.meshgw.mesh.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.EndpointSliceKey;
import io.meshgw.mesh.state.ServiceKey;
import io.meshgw.types.ClusterId;
import io.meshgw.types.ServicePort;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the gateway reads off a snapshot: a service's usable slices, the available clusters. */
class MeshSnapshotTest {

    static final ServiceKey WEB = new ServiceKey("default", "web");

    static EndpointSlice slice(int cluster, String namespace, String service, String name) {
        return new EndpointSlice(namespace, service, name, cluster, List.of(ServicePort.tcp("http", 8080)), List.of());
    }

    static ClusterView cluster(int id, boolean available, EndpointSlice... slices) {
        Map<EndpointSliceKey, EndpointSlice> byKey = new HashMap<>();
        for (EndpointSlice s : slices) {
            byKey.put(s.key(), s);
        }
        return new ClusterView(
                new ClusterId(id, "c" + id),
                new ClusterStatus(true, available, Optional.of(Duration.ZERO), 1),
                Map.of(),
                byKey,
                Map.of());
    }

    static MeshSnapshot snapshot(ClusterView... clusters) {
        Map<Integer, ClusterView> byId = new HashMap<>();
        for (ClusterView c : clusters) {
            byId.put(c.cluster().id(), c);
        }
        return new MeshSnapshot(1, Instant.EPOCH, byId, true);
    }

    @Test
    void aServicesSlicesComeFromAvailableClustersOrderedByClusterThenSlice() {
        MeshSnapshot s = snapshot(
                cluster(
                        17,
                        true,
                        slice(17, "default", "web", "web-c"),
                        slice(17, "default", "web", "web-a"),
                        slice(17, "default", "web", "web-b"),
                        slice(17, "default", "api", "api-a"),
                        slice(17, "other", "web", "web-a")),
                cluster(2, true, slice(2, "default", "web", "web-z"), slice(2, "default", "web", "web-y")),
                cluster(40, true, slice(40, "default", "web", "web-b"), slice(40, "default", "web", "web-a")),
                cluster(5, false, slice(5, "default", "web", "web-a")));

        assertThat(s.endpointSlices(WEB))
                .extracting(x -> x.owningCluster() + "/" + x.slice())
                .containsExactly("2/web-y", "2/web-z", "17/web-a", "17/web-b", "17/web-c", "40/web-a", "40/web-b");
        assertThat(s.endpointSlices(new ServiceKey("other", "web")))
                .extracting(x -> x.owningCluster() + "/" + x.slice())
                .containsExactly("17/web-a");
        assertThat(s.endpointSlices(new ServiceKey("default", "db"))).isEmpty();
    }

    @Test
    void anUnavailableClusterKeepsItsSlicesButNoneAreActive() {
        ClusterView down = cluster(5, false, slice(5, "default", "web", "web-a"));

        assertThat(down.slices()).hasSize(1);
        assertThat(down.activeSlices()).isEmpty();
        assertThat(cluster(5, true, slice(5, "default", "web", "web-a")).activeSlices())
                .hasSize(1);
    }

    @Test
    void theAvailableClustersAreListedByIdWithoutTheUnavailableOnes() {
        MeshSnapshot s =
                snapshot(cluster(17, true), cluster(3, false), cluster(2, true), cluster(40, true), cluster(9, true));

        assertThat(s.available()).extracting(c -> c.cluster().id()).containsExactly(2, 9, 17, 40);
        assertThat(snapshot(cluster(3, false)).available()).isEmpty();
    }
}
