package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.StatusFields;
import java.util.List;
import java.util.Optional;

/**
 * BgpPeers and BgpPolicies are the network team's: they open sessions to the datacenter's routers and decide what is
 * announced to them. They are accepted only in the gateway's own namespace, the one whose Secrets the operator reads
 * ({@link Snapshot#secretsNamespace}), where a BgpPeer's password lives anyway; one elsewhere is refused, so whoever
 * may write objects in a tenant namespace cannot peer with, or set policy toward, the routers. Standalone mode has no
 * such namespace: the file has one author.
 */
final class GatewayNamespace {
    static final String NOT_ALLOWED = ConditionState.NAMESPACE_NOT_ALLOWED;

    private GatewayNamespace() {}

    /** Why {@code object} is refused, when it is not in the gateway's namespace. */
    static Optional<String> refusal(HasMetadata object, Snapshot snapshot) {
        var gateway = snapshot.secretsNamespace();
        var own = object.getMetadata().getNamespace();
        if (gateway == null || gateway.equals(own)) return Optional.empty();
        return Optional.of("a " + object.getKind() + " is accepted only in the gateway's namespace '" + gateway
                + "', where the network team keeps BgpPeers, BgpPolicies and their Secrets; this one in '" + own
                + "' is not applied");
    }

    static ObjectOutcome refused(HasMetadata object, String message, StatusFields fields) {
        return new ObjectOutcome(
                Metadata.ref(object),
                Metadata.generation(object),
                List.of(
                        ConditionState.ready(false, NOT_ALLOWED, message),
                        ConditionState.unknown(ConditionState.DEGRADED, "not applied")),
                fields);
    }
}
