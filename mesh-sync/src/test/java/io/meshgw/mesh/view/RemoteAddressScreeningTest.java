package io.meshgw.mesh.view;

import static io.meshgw.mesh.state.StateSamples.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.mesh.kafka.InMemoryTopic;
import io.meshgw.mesh.publish.ClusterPublisher;
import io.meshgw.mesh.publish.PublisherOptions;
import io.meshgw.mesh.state.Endpoint;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.GatewayAddress;
import io.meshgw.mesh.state.GatewayKey;
import io.meshgw.mesh.state.ServiceKey;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.wire.StateTopics;
import io.meshgw.types.ClusterId;
import io.meshgw.types.IpPrefix;
import io.meshgw.types.ServicePort;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Another cluster's endpoints and gateways are addresses this gateway sends packets to. Whatever that cluster
 * publishes, none of them may point back at this node (loopback), at its metadata service (169.254.169.254), at a
 * multicast group or nowhere, or into this gateway's own VIPs, which would loop packets between gateway and routers.
 */
class RemoteAddressScreeningTest {

    static final ServiceKey WEB = new ServiceKey("default", "web");
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final MeshView view = new MeshView(
            new ViewOptions(StateTopics.DEFAULT, 1, Duration.ofSeconds(10), Duration.ofMinutes(10), clock));
    final InMemoryTopic topic = new InMemoryTopic("meshgw.state.2");

    static EndpointSlice slice(String... ips) {
        List<Endpoint> eps = new ArrayList<>();
        for (String a : ips) {
            eps.add(Endpoint.ready(ip(a)));
        }
        return new EndpointSlice("default", "web", "a", 2, List.of(ServicePort.tcp("http", 8080)), eps);
    }

    void publish(StateValue... values) {
        var options = PublisherOptions.defaults(new ClusterId(2, "west"))
                .withHeartbeatInterval(Duration.ofHours(1))
                .withClock(clock);
        try (var p = ClusterPublisher.start(options, topic.open(), List.of(values))) {
            topic.replay(view);
        }
    }

    List<InetAddress> endpointAddresses() {
        List<InetAddress> out = new ArrayList<>();
        view.snapshot().endpointSlices(WEB).forEach(s -> s.endpoints().forEach(e -> out.addAll(e.addresses())));
        return out;
    }

    Map<ForbiddenAddress, Long> rejected() {
        return view.metrics(Map.of()).clusters().get(2).addressesRejected();
    }

    @Test
    void aRemoteEndpointAtTheMetadataServiceLoopbackMulticastOrNowhereIsNeverUsed() {
        view.localVips(List.of(IpPrefix.parse("192.0.2.0/24")));
        publish(slice(
                "10.2.0.1",
                "169.254.169.254",
                "127.0.0.1",
                "::1",
                "fe80::1",
                "224.0.0.5",
                "ff02::1",
                "0.0.0.0",
                "::",
                "255.255.255.255",
                "::ffff:127.0.0.1",
                "192.0.2.10"));

        assertThat(endpointAddresses()).containsExactly(ip("10.2.0.1"));
        assertThat(rejected())
                .containsOnly(
                        Map.entry(ForbiddenAddress.LINK_LOCAL, 2L),
                        Map.entry(ForbiddenAddress.LOOPBACK, 3L),
                        Map.entry(ForbiddenAddress.MULTICAST, 2L),
                        Map.entry(ForbiddenAddress.UNSPECIFIED, 2L),
                        Map.entry(ForbiddenAddress.BROADCAST, 1L),
                        Map.entry(ForbiddenAddress.LOCAL_VIP, 1L));
    }

    @Test
    void anEndpointWhoseOnlyAddressIsForbiddenLeavesTheSliceAndTheOthersStay() {
        publish(new EndpointSlice(
                "default",
                "web",
                "a",
                2,
                List.of(ServicePort.tcp("http", 8080)),
                List.of(
                        new Endpoint(
                                List.of(ip("127.0.0.1"), ip("10.2.0.7")),
                                true,
                                true,
                                false,
                                Optional.empty(),
                                Optional.empty()),
                        Endpoint.ready(ip("169.254.169.254")))));

        assertThat(view.snapshot().endpointSlices(WEB))
                .singleElement()
                .satisfies(s -> assertThat(s.endpoints())
                        .singleElement()
                        .satisfies(e -> assertThat(e.addresses()).containsExactly(ip("10.2.0.7"))));
    }

    @Test
    void aRemoteGatewayAtALoopbackAddressIsNotAGateway() {
        publish(
                new GatewayAddress("node-1", List.of(ip("127.0.0.1"))),
                new GatewayAddress("node-2", List.of(ip("10.2.9.9"), ip("fe80::9"))));

        var gateways = view.snapshot().clusters().get(2).gateways();
        assertThat(gateways).doesNotContainKey(new GatewayKey("node-1"));
        assertThat(gateways.get(new GatewayKey("node-2")).addresses()).containsExactly(ip("10.2.9.9"));
    }

    @Test
    void anEndpointInsideAVipThisGatewayTakesOnLaterIsTakenOutThenAndBackWhenItIsGone() {
        publish(slice("10.2.0.1", "198.51.100.7"));
        assertThat(endpointAddresses()).containsExactly(ip("10.2.0.1"), ip("198.51.100.7"));

        view.localVips(List.of(IpPrefix.parse("198.51.100.0/24")));
        assertThat(endpointAddresses()).containsExactly(ip("10.2.0.1"));
        assertThat(rejected()).containsEntry(ForbiddenAddress.LOCAL_VIP, 1L);

        view.localVips(List.of());
        assertThat(endpointAddresses()).containsExactly(ip("10.2.0.1"), ip("198.51.100.7"));
    }
}
