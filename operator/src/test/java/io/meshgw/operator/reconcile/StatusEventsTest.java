package io.meshgw.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.meshgw.operator.crd.AddressPoolStatus;
import io.meshgw.operator.crd.BgpPeerStatus;
import io.meshgw.operator.crd.EgressIdentityStatus;
import io.meshgw.operator.crd.MeshServiceExportStatus;
import io.meshgw.operator.desired.Fixtures;
import io.meshgw.operator.reconcile.StatusEvents.ObjectEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which status changes are Events, and what they say. */
class StatusEventsTest {
    static final ObjectEvent.Type NORMAL = ObjectEvent.Type.Normal;
    static final ObjectEvent.Type WARNING = ObjectEvent.Type.Warning;

    static BgpPeerStatus peer(String state, long received, String lastError) {
        var s = new BgpPeerStatus();
        s.sessionState = state;
        s.receivedPrefixes = received;
        s.lastError = lastError;
        return s;
    }

    @Test
    void aSessionReachingOrLeavingEstablishedIsAnEventAndNothingElseOfAPeerIs() {
        var tor = Fixtures.peer("net", "tor1", 0, "192.0.2.1", 65000);
        assertThat(StatusEvents.between(tor, null, peer("Idle", 0, null))).isEmpty();
        assertThat(StatusEvents.between(tor, peer("Active", 0, null), peer("Established", 3, null)))
                .containsExactly(new ObjectEvent(
                        NORMAL,
                        "SessionEstablished",
                        "Connect",
                        "BGP session with 192.0.2.1 (AS 65000) is Established"));
        assertThat(StatusEvents.between(tor, peer("Established", 3, null), peer("Established", 9, null)))
                .as("prefix counts")
                .isEmpty();
        assertThat(StatusEvents.between(tor, peer("Established", 3, null), peer("Idle", 0, "Cease")))
                .containsExactly(new ObjectEvent(
                        WARNING,
                        "SessionDown",
                        "Disconnect",
                        "BGP session with 192.0.2.1 (AS 65000) left Established and is Idle: Cease"));
        assertThat(StatusEvents.between(tor, peer("Established", 3, null), new BgpPeerStatus()))
                .extracting(ObjectEvent::note)
                .containsExactly("BGP session with 192.0.2.1 (AS 65000) left Established and is no longer configured");
        assertThat(StatusEvents.between(tor, peer("Connect", 0, null), peer("Active", 0, null)))
                .isEmpty();
    }

    static MeshServiceExportStatus export(String vip, String ready, String reason, String message) {
        var s = new MeshServiceExportStatus();
        s.assignedVip = vip;
        if (ready != null) {
            s.conditions = List.of(new ConditionBuilder()
                    .withType("Ready")
                    .withStatus(ready)
                    .withReason(reason)
                    .withMessage(message)
                    .build());
        }
        return s;
    }

    @Test
    void anExportsVipAndReadinessChangesAreEvents() {
        var web = Fixtures.export("shop", "web", 0, "vips");
        assertThat(StatusEvents.between(web, null, export("192.0.2.1", "True", "Exported", "exported")))
                .extracting(ObjectEvent::reason, ObjectEvent::note)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "VipAllocated", "VIP 192.0.2.1 allocated from LegacyVipPool vips"),
                        org.assertj.core.groups.Tuple.tuple("ExportReady", "Ready: exported"));
        assertThat(StatusEvents.between(
                        web,
                        export("192.0.2.1", "True", "Exported", "exported"),
                        export("192.0.2.1", "True", "Exported", "exported [http=80/TCP]")))
                .as("a new message is no transition")
                .isEmpty();
        assertThat(StatusEvents.between(
                        web,
                        export("192.0.2.1", "True", "Exported", "exported"),
                        export(null, "False", "PoolNotFound", "LegacyVipPool 'vips' does not exist")))
                .containsExactly(
                        new ObjectEvent(NORMAL, "VipReleased", "Release", "VIP 192.0.2.1 released"),
                        new ObjectEvent(
                                WARNING,
                                "ExportNotReady",
                                "Export",
                                "not Ready (PoolNotFound): LegacyVipPool 'vips' does not exist"));
    }

    static AddressPoolStatus pool(long allocated, long available) {
        var s = new AddressPoolStatus();
        s.allocated = allocated;
        s.available = available;
        return s;
    }

    @Test
    void aPoolRunningOutIsAnEventOnce() {
        var vips = Fixtures.vipPool("vips", "192.0.2.0/31");
        assertThat(StatusEvents.between(vips, pool(1, 1), pool(2, 0)))
                .extracting(ObjectEvent::type, ObjectEvent::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(WARNING, "PoolExhausted"));
        assertThat(StatusEvents.between(vips, pool(2, 0), pool(2, 0))).isEmpty();
        assertThat(StatusEvents.between(vips, pool(1, 1), pool(1, 1))).isEmpty();
    }

    static EgressIdentityStatus egress(String source, String servedBy) {
        var s = new EgressIdentityStatus();
        s.assignedSourceIp = source;
        s.servedBy = servedBy;
        return s;
    }

    @Test
    void anEgressAddressMovingToAnotherGatewayIsAnEvent() {
        var billing = Fixtures.egressIdentity("pay", "billing", 0, "dc-egress");
        assertThat(StatusEvents.between(billing, egress("198.51.100.1", "gw-a"), egress("198.51.100.1", "gw-b")))
                .containsExactly(new ObjectEvent(
                        NORMAL,
                        "EgressMoved",
                        "Serve",
                        "source address 198.51.100.1 is translated and announced by gateway gw-b (was gw-a)"));
        assertThat(StatusEvents.between(billing, egress("198.51.100.1", "gw-a"), egress("198.51.100.1", null)))
                .extracting(ObjectEvent::type, ObjectEvent::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(WARNING, "EgressNotServed"));
        assertThat(StatusEvents.between(billing, null, egress("198.51.100.1", "gw-a")))
                .extracting(ObjectEvent::reason)
                .containsExactly("SourceAllocated", "EgressMoved");
        assertThat(StatusEvents.between(billing, egress("198.51.100.1", "gw-a"), egress("198.51.100.1", "gw-a")))
                .isEmpty();
    }

    static BgpPeerStatus refused(String message) {
        var s = new BgpPeerStatus();
        s.conditions = new java.util.ArrayList<>(List.of(new ConditionBuilder()
                .withType("Ready")
                .withStatus("False")
                .withReason("NamespaceNotAllowed")
                .withMessage(message)
                .build()));
        return s;
    }

    @Test
    void anObjectRefusedForItsNamespaceGetsAWarningOnce() {
        var rogue = Fixtures.peer("shop", "rogue", 0, "192.0.2.66", 65000);
        String why = "a BgpPeer is accepted only in the gateway's namespace 'meshgw-system'";
        assertThat(StatusEvents.between(rogue, null, refused(why)))
                .containsExactly(new ObjectEvent(WARNING, "NamespaceNotAllowed", "Refuse", why));
        assertThat(StatusEvents.between(rogue, refused(why), refused(why))).isEmpty();
    }
}
