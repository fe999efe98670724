package io.meshgw.operator.reconcile;

import static io.meshgw.operator.desired.Fixtures.meta;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.crd.LegacyServiceSpec;
import io.meshgw.operator.crd.PrefixMatch;
import io.meshgw.operator.desired.Fixtures;
import io.meshgw.operator.desired.Planner;
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.port.NamesTarget;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerSession;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.types.IpFamily;
import io.meshgw.types.IpPrefix;
import io.meshgw.types.Protocol;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a pass reads from the engines, on top of the cluster's objects. */
class GatewayPortsTest {
    static final ObjectKey TOR = new ObjectKey("net", "tor1");

    static LegacyService legacyService(String name, String prefix) {
        var service = meta(new LegacyService(), "apps", name, 0);
        var spec = new LegacyServiceSpec();
        spec.prefixes.add(new PrefixMatch(prefix, null, 32));
        var port = new LegacyServiceSpec.Port();
        port.port = 23;
        spec.ports.add(port);
        service.setSpec(spec);
        return service;
    }

    @Test
    void aPassAsksTheSpeakerOnlyForTheRoutesItsLegacyServicesSelect() {
        var gateway = FakeGateway.create();
        var capabilities = new Capabilities(
                Set.of(IpFamily.IPV4), Set.of(IpFamily.IPV4), Set.of(Protocol.TCP), 8, Set.of(Protocol.TCP));
        var ports = new GatewayPorts(
                gateway.bgp(), gateway.datapath(), gateway.mesh(), NamesTarget.NONE, capabilities, PassObserver.NONE);
        // A pass configures the session the routes come from.
        var peers = List.of(Fixtures.peer(TOR.namespace(), TOR.name(), 0, "192.0.2.1", 65000));
        new PlanApplier(ports)
                .apply(Planner.plan(
                        ports.snapshot(Snapshot.builder(Fixtures.EAST).peers(peers))));
        gateway.bgp()
                .routes(List.of(
                        Fixtures.route("10.50.1.0/24", TOR),
                        Fixtures.route("10.60.1.0/24", TOR),
                        Fixtures.route("10.70.0.0/24", TOR)));
        var session = new PeerSession(PeerSession.State.Idle, Optional.empty(), 0, 0, 0, Optional.empty());
        gateway.bgp().session(TOR, session);
        var remote = new RemoteExport(Fixtures.WEST, new ObjectKey("shop", "web"), Fixtures.T0, List.of(), List.of());
        gateway.mesh().remote(List.of(remote));

        var snapshot = ports.snapshot(Snapshot.builder(Fixtures.EAST)
                .legacyServices(
                        List.of(legacyService("mainframe", "10.50.0.0/16"), legacyService("broken", "10.60.0.1/16"))));

        assertThat(gateway.bgp().askedFor()).hasSize(1);
        assertThat(snapshot.learnedRoutes())
                .extracting(r -> r.prefix())
                .containsExactly(IpPrefix.parse("10.50.1.0/24"));
        assertThat(snapshot.sessions()).isEqualTo(Map.of(TOR, session));
        assertThat(snapshot.remoteExports()).containsExactly(remote);
        assertThat(snapshot.capabilities()).isEqualTo(capabilities);
        assertThat(snapshot.legacyServices()).hasSize(2);
    }
}
