package io.meshgw.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.meshgw.operator.plan.Backend;
import io.meshgw.operator.plan.PortTranslation;
import io.meshgw.operator.plan.Translation;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.ClusterId;
import io.meshgw.types.IpAddress;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendNodesTest {

    static final Map<String, IpAddress> ROLES =
            Map.of("node-c", IpAddress.parse("10.1.0.3"), "gw-1", IpAddress.parse("10.1.0.1"));

    static EndpointSlice slice(String name, String node, String... addresses) {
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName(name)
                .endMetadata()
                .withAddressType(addresses[0].contains(":") ? "IPv6" : "IPv4")
                .withEndpoints(new EndpointBuilder()
                        .withAddresses(addresses)
                        .withNodeName(node)
                        .build())
                .build();
    }

    static Translation serving(Backend... backends) {
        return new Translation(
                new ObjectKey("shop", "web"),
                IpAddress.parse("198.51.100.10"),
                100,
                List.of(new PortTranslation(new ServicePort("http", Protocol.TCP, 80), List.of(backends))));
    }

    static Backend local(String address) {
        return new Backend(IpAddress.parse(address), 8080, new ClusterId(1, "east"), true);
    }

    @Test
    void aLocalBackendOnAnOrdinaryNodeWithAReadyNodeRoleIsReachedThroughIt() {
        var out = BackendNodes.of(
                List.of(
                        slice("web-1", "node-c", "10.2.1.5"),
                        slice("web-2", "gw-1", "10.2.0.5"),
                        slice("web-3", "node-d", "10.2.2.5"),
                        slice("web-4", "node-c", "10.2.1.6"),
                        slice("web-6", "node-c", "fd00::5")),
                List.of(serving(
                        local("10.2.1.5"),
                        local("10.2.0.5"),
                        local("10.2.2.5"),
                        local("fd00::5"),
                        new Backend(IpAddress.parse("10.2.1.6"), 8080, new ClusterId(2, "west"), false))),
                ROLES,
                Set.of("gw-1"));

        // 10.2.0.5 runs on a gateway node, 10.2.2.5 where no node role is ready, 10.2.1.6 is another cluster's
        // address (only local backends are sent to a node), fd00::5 is IPv6: all routed plainly.
        assertThat(out).isEqualTo(Map.of(IpAddress.parse("10.2.1.5"), IpAddress.parse("10.1.0.3")));
    }

    @Test
    void anAddressTwoEndpointsPlaceOnTwoNodesStaysRoutedPlainly() {
        var out = BackendNodes.of(
                List.of(slice("web-1", "node-c", "10.2.1.5"), slice("web-9", "node-e", "10.2.1.5")),
                List.of(serving(local("10.2.1.5"))),
                Map.of("node-c", IpAddress.parse("10.1.0.3"), "node-e", IpAddress.parse("10.1.0.5")),
                Set.of());

        assertThat(out).isEmpty();
    }
}
