package io.meshgw.operator.desired;

import static io.meshgw.operator.desired.Fixtures.acceptPolicy;
import static io.meshgw.operator.desired.Fixtures.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BgpPeers and BgpPolicies are the network team's: only those of the gateway's namespace are applied. */
class GatewayNamespaceTest {
    static final String GATEWAY = "meshgw-system";

    @Test
    void aTenantsBgpPeerIsRefusedAndOpensNoSession() {
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .secretsNamespace(GATEWAY)
                .peers(List.of(
                        peer("shop", "rogue", 0, "192.0.2.66", 65000), peer(GATEWAY, "tor1", 1, "192.0.2.1", 65000)))
                .build());
        assertThat(state.peers()).containsOnlyKeys(new ObjectKey(GATEWAY, "tor1"));
        var ready = ready(state, "BgpPeer", new ObjectKey("shop", "rogue"));
        assertThat(ready.status()).isEqualTo(ConditionState.FALSE);
        assertThat(ready.reason()).isEqualTo("NamespaceNotAllowed");
        assertThat(ready.message())
                .isEqualTo("a BgpPeer is accepted only in the gateway's namespace 'meshgw-system', where the network"
                        + " team keeps BgpPeers, BgpPolicies and their Secrets; this one in 'shop' is not applied");
    }

    @Test
    void aTenantsOlderBgpPeerOfTheSameAddressDoesNotTakeTheSessionFromTheNetworkTeams() {
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .secretsNamespace(GATEWAY)
                .peers(List.of(
                        peer("shop", "rogue", 0, "192.0.2.1", 65001), peer(GATEWAY, "tor1", 1, "192.0.2.1", 65000)))
                .build());
        assertThat(state.peers()).containsOnlyKeys(new ObjectKey(GATEWAY, "tor1"));
        assertThat(ready(state, "BgpPeer", new ObjectKey(GATEWAY, "tor1")).status())
                .isEqualTo(ConditionState.TRUE);
    }

    @Test
    void aTenantsBgpPolicyIsRefusedAndATenantsPeerCannotUseIt() {
        var rogue = peer("shop", "rogue", 0, "192.0.2.66", 65000);
        rogue.getSpec().exportPolicy = "leak";
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .secretsNamespace(GATEWAY)
                .policies(List.of(acceptPolicy("shop", "leak", "0.0.0.0/0"), acceptPolicy(GATEWAY, "in", "10.0.0.0/8")))
                .peers(List.of(rogue))
                .build());
        assertThat(state.peers()).isEmpty();
        var refused = ready(state, "BgpPolicy", new ObjectKey("shop", "leak"));
        assertThat(refused.reason()).isEqualTo("NamespaceNotAllowed");
        assertThat(refused.message()).startsWith("a BgpPolicy is accepted only in the gateway's namespace");
        assertThat(ready(state, "BgpPolicy", new ObjectKey(GATEWAY, "in")).status())
                .isEqualTo(ConditionState.TRUE);
    }

    @Test
    void standaloneModeAcceptsPeersOfEveryNamespace() {
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .peers(List.of(peer("net", "tor1", 0, "192.0.2.1", 65000)))
                .build());
        assertThat(state.peers()).containsOnlyKeys(new ObjectKey("net", "tor1"));
    }

    static ConditionState ready(Plan state, String kind, ObjectKey key) {
        return state.outcome(new ResourceRef(kind, key))
                .orElseThrow()
                .condition("Ready")
                .orElseThrow();
    }
}
