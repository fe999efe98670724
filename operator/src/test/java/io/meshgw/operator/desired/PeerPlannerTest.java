package io.meshgw.operator.desired;

import static io.meshgw.operator.desired.Fixtures.acceptPolicy;
import static io.meshgw.operator.desired.Fixtures.peer;
import static io.meshgw.operator.desired.Fixtures.secret;
import static io.meshgw.operator.desired.Fixtures.withPassword;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerSession;
import io.meshgw.operator.port.PolicyConfig;
import io.meshgw.operator.port.ResourceRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerPlannerTest {
    static final ObjectKey TOR = new ObjectKey("net", "tor1");
    static final ResourceRef TOR_REF = new ResourceRef("BgpPeer", TOR);

    @Test
    void aValidPeerIsConfiguredWithItsPasswordAndPolicies() {
        var peer = withPassword(peer("net", "tor1", 1, "192.0.2.1", 65000), "md5", "password");
        peer.getSpec().importPolicy = "in";
        var state = DesiredStateModel.compute(Snapshot.builder("east")
                .peers(List.of(peer))
                .policies(List.of(acceptPolicy("net", "in", "10.0.0.0/8")))
                .secrets(List.of(secret("net", "md5", "password", "s3cret")))
                .build());

        var config = state.peers().get(TOR);
        assertThat(config.peerAddress()).isEqualTo("192.0.2.1");
        assertThat(config.tcpMd5Password()).isEqualTo("s3cret");
        assertThat(config.toString()).doesNotContain("s3cret");
        assertThat(config.families()).containsExactly("ipv4-unicast");
        assertThat(config.importPolicy().statements().getFirst().match().prefixes())
                .containsExactly(new PolicyConfig.PrefixRule("10.0.0.0/8", 24, 32));
        assertThat(config.exportPolicy()).isNull();
        var outcome = state.outcome(TOR_REF).orElseThrow();
        assertThat(outcome.ready()).isTrue();
        assertThat(outcome.condition("Degraded").orElseThrow().reason()).isEqualTo("SessionNotStarted");
    }

    @Test
    void anEstablishedSessionIsNotDegradedAndFillsTheStatus() {
        var session = new PeerSession("Established", Instant.parse("2026-01-01T00:00:00Z"), 12, 10, 3, null);
        var state = DesiredStateModel.compute(Snapshot.builder("east")
                .peers(List.of(peer("net", "tor1", 1, "192.0.2.1", 65000)))
                .sessions(Map.of(TOR, session))
                .build());
        var outcome = state.outcome(TOR_REF).orElseThrow();
        assertThat(outcome.condition("Degraded").orElseThrow().status()).isEqualTo("False");
        assertThat(outcome.fields()).isEqualTo(new StatusFields.Peer(session));
    }

    @Test
    void aMissingPasswordSecretLeavesThePeerUnapplied() {
        var state = DesiredStateModel.compute(Snapshot.builder("east")
                .peers(List.of(withPassword(peer("net", "tor1", 1, "192.0.2.1", 65000), "md5", "password")))
                .build());
        assertThat(state.peers()).isEmpty();
        var ready = state.outcome(TOR_REF).orElseThrow().condition("Ready").orElseThrow();
        assertThat(ready.status()).isEqualTo("False");
        assertThat(ready.reason()).isEqualTo("Invalid");
        assertThat(ready.message()).isEqualTo("spec.passwordSecretRef.name: Secret 'md5' does not exist");
    }

    @Test
    void aSecretWithoutTheKeyIsReported() {
        var state = DesiredStateModel.compute(Snapshot.builder("east")
                .peers(List.of(withPassword(peer("net", "tor1", 1, "192.0.2.1", 65000), "md5", "password")))
                .secrets(List.of(secret("net", "md5", "other", "x")))
                .build());
        assertThat(state.outcome(TOR_REF)
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .message())
                .contains("has no key 'password'");
    }

    @Test
    void anAsnOutOfRangeOrAsTransIsInvalid() {
        var state = DesiredStateModel.compute(Snapshot.builder("east")
                .peers(List.of(peer("net", "tor1", 1, "192.0.2.1", 23456), peer("net", "tor2", 2, "192.0.2.2", 0)))
                .build());
        assertThat(state.peers()).isEmpty();
        assertThat(state.outcome(TOR_REF)
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .message())
                .contains("AS_TRANS");
        assertThat(state.outcome(new ResourceRef("BgpPeer", new ObjectKey("net", "tor2")))
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .message())
                .contains("is not a valid ASN");
    }

    @Test
    void aMissingPolicyIsReported() {
        var peer = peer("net", "tor1", 1, "192.0.2.1", 65000);
        peer.getSpec().exportPolicy = "out";
        var state = DesiredStateModel.compute(
                Snapshot.builder("east").peers(List.of(peer)).build());
        assertThat(state.outcome(TOR_REF)
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .message())
                .isEqualTo("spec.exportPolicy: BgpPolicy 'out' does not exist");
    }

    @Test
    void theYoungerOfTwoPeersToTheSameAddressIsRejected() {
        var state = DesiredStateModel.compute(Snapshot.builder("east")
                .peers(List.of(peer("net", "tor1", 1, "192.0.2.1", 65000), peer("net", "dup", 2, "192.0.2.1", 65000)))
                .build());
        assertThat(state.peers()).containsOnlyKeys(TOR);
        assertThat(state.outcome(new ResourceRef("BgpPeer", new ObjectKey("net", "dup")))
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .reason())
                .isEqualTo("DuplicatePeer");
    }

    @Test
    void anInvalidPolicyIsReportedOnItselfAndOnItsPeer() {
        var policy = acceptPolicy("net", "in", "10.0.0.1/8");
        var peer = peer("net", "tor1", 1, "192.0.2.1", 65000);
        peer.getSpec().importPolicy = "in";
        var state = DesiredStateModel.compute(Snapshot.builder("east")
                .peers(List.of(peer))
                .policies(List.of(policy))
                .build());
        assertThat(state.outcome(new ResourceRef("BgpPolicy", new ObjectKey("net", "in")))
                        .orElseThrow()
                        .ready())
                .isFalse();
        assertThat(state.outcome(TOR_REF)
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .message())
                .isEqualTo("spec.importPolicy: BgpPolicy 'in' is not valid");
    }
}
