package io.meshgw.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.BgpPolicy;
import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.crd.EgressIpPool;
import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.crd.LegacyVipPool;
import io.meshgw.operator.crd.MeshCluster;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerSession;
import io.meshgw.operator.port.RemoteExport;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotTest {
    @Test
    void eachSetterReplacesItsListAndTheCapabilitiesDefaultToTheDatapaths() {
        var builder = Snapshot.builder(Fixtures.EAST);
        for (int i = 0; i < 2; i++) {
            builder.peers(List.of(new BgpPeer()))
                    .policies(List.of(new BgpPolicy()))
                    .vipPools(List.of(new LegacyVipPool()))
                    .egressPools(List.of(new EgressIpPool()))
                    .exports(List.of(new MeshServiceExport()))
                    .egressIdentities(List.of(new EgressIdentity()))
                    .legacyServices(List.of(new LegacyService()))
                    .meshClusters(List.of(new MeshCluster()))
                    .services(List.of(new Service()))
                    .endpointSlices(List.of(new EndpointSlice()))
                    .secrets(List.of(new Secret()))
                    .pods(List.of(new Pod()))
                    .remoteExports(List.of(new RemoteExport(
                            Fixtures.WEST, new ObjectKey("a", "b"), Fixtures.T0, List.of(), List.of())))
                    .sessions(Map.of(
                            new ObjectKey("net", "tor" + i),
                            new PeerSession(PeerSession.State.Idle, Optional.empty(), 0, 0, 0, Optional.empty())))
                    .learnedRoutes(List.of(Fixtures.route("10.0.0.0/8", new ObjectKey("net", "tor1"))));
        }
        var snapshot = builder.build();

        assertThat(List.of(
                        snapshot.peers(),
                        snapshot.policies(),
                        snapshot.vipPools(),
                        snapshot.egressPools(),
                        snapshot.exports(),
                        snapshot.egressIdentities(),
                        snapshot.legacyServices(),
                        snapshot.meshClusters(),
                        snapshot.services(),
                        snapshot.endpointSlices(),
                        snapshot.secrets(),
                        snapshot.pods(),
                        snapshot.remoteExports(),
                        snapshot.learnedRoutes()))
                .allSatisfy(list -> assertThat(list).hasSize(1));
        assertThat(snapshot.sessions()).containsOnlyKeys(new ObjectKey("net", "tor1"));
        assertThat(snapshot.localCluster()).isEqualTo(Fixtures.EAST);
        assertThat(snapshot.capabilities()).isEqualTo(Capabilities.DATAPATH);
        var none = new Capabilities(Set.of(), Set.of(), Set.of(), 1, Set.of());
        assertThat(builder.capabilities(none).build().capabilities()).isEqualTo(none);
    }
}
