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
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.port.DatapathControl;
import io.meshgw.operator.port.EgressRule;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ServiceTranslation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one implementation of "apply the difference", in the order routers and the datapath need. */
class PortApplierTest {
    final FakeGateway gateway = FakeGateway.create();
    final PortApplier applier = new PortApplier(gateway.ports());

    /** A peer, an exported Service with a VIP and a ready backend, and an egress identity, all named {@code name}. */
    static Snapshot everything(String name, String vip, String source) {
        return Snapshot.builder("east")
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

    @Test
    void removalsGoFirstRoutesLastAndNothingIsRepeated() {
        applier.apply(everything("old", "192.0.2.1", "198.51.100.1"));
        assertThat(gateway.log().all())
                .containsExactly(
                        "applyTranslation shop/old 192.0.2.1",
                        "applyEgress pay/old 198.51.100.1",
                        "announce 192.0.2.1/32",
                        "announce 198.51.100.1/32",
                        "applyPeer net/old",
                        "publish shop/old");

        applier.apply(everything("new", "192.0.2.2", "198.51.100.2"));
        assertThat(gateway.log().all().subList(6, gateway.log().all().size()))
                .containsExactly(
                        "withdraw 192.0.2.1/32",
                        "withdraw 198.51.100.1/32",
                        "removeTranslation shop/old",
                        "removeEgress pay/old",
                        "unpublish shop/old",
                        "removePeer net/old",
                        "applyTranslation shop/new 192.0.2.2",
                        "applyEgress pay/new 198.51.100.2",
                        "announce 192.0.2.2/32",
                        "announce 198.51.100.2/32",
                        "applyPeer net/new",
                        "publish shop/new");

        int before = gateway.log().all().size();
        var desired = applier.apply(everything("new", "192.0.2.2", "198.51.100.2"));
        assertThat(gateway.log().all()).hasSize(before);
        assertThat(desired.outcomes())
                .isNotEmpty()
                .allSatisfy(o -> assertThat(o.ready()).as(o.ref().toString()).isTrue());
    }

    @Test
    void aFailedPortCallNamesTheObjectItWasFor() {
        var failing = new GatewayPorts(gateway.bgp(), gateway.bgp(), new RefusingDatapath(), gateway.mesh());
        assertThatThrownBy(() -> new PortApplier(failing).apply(everything("web", "192.0.2.1", "198.51.100.1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("MeshServiceExport/shop/web: apply ingress translation for VIP 192.0.2.1 (1 ports)"
                        + " failed: table full");
        // Nothing after the failed step ran: the VIP is not announced toward a datapath without it.
        assertThat(gateway.log().all()).isEmpty();
    }

    /** A datapath whose tables are empty and refuse every change. */
    static final class RefusingDatapath implements DatapathControl {
        @Override
        public void applyTranslation(ServiceTranslation translation) {
            throw new IllegalStateException("table full");
        }

        @Override
        public void removeTranslation(ObjectKey service) {}

        @Override
        public Map<ObjectKey, ServiceTranslation> translations() {
            return Map.of();
        }

        @Override
        public void applyEgress(EgressRule rule) {
            throw new IllegalStateException("table full");
        }

        @Override
        public void removeEgress(ObjectKey identity) {}

        @Override
        public Map<ObjectKey, EgressRule> egressRules() {
            return Map.of();
        }
    }
}
