package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.meshgw.operator.plan.GatewayNode;
import io.meshgw.types.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every replica, leader or not, describes its gateway on its own Node: its Lease identity ({@link
 * GatewayNode#GATEWAY_IDENTITY}) and its tunnel endpoint ({@link GatewayNode#TUNNEL_ENDPOINT}, removed where it has
 * none). The other replicas learn from them which node serves egress and which addresses steered packets come from.
 * Written when the cached Node says otherwise, as patches of those two annotations alone, without a resourceVersion: no
 * one else writes them, and the kubelet's frequent writes to the Node would refuse it for nothing.
 * The chart's admission policy lets the gateways change nothing else on a Node.
 */
final class NodeAnnotationWriter {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAnnotationWriter.class);

    private final KubernetesClient client;
    private final String node;
    /** The two annotations as this replica wants them; a null value removes one. */
    private final Map<String, String> wanted = new HashMap<>();

    NodeAnnotationWriter(KubernetesClient client, String node, String identity, Optional<IpAddress> endpoint) {
        this.client = client;
        this.node = node;
        wanted.put(GatewayNode.GATEWAY_IDENTITY, identity);
        wanted.put(
                GatewayNode.TUNNEL_ENDPOINT, endpoint.map(IpAddress::toString).orElse(null));
    }

    /**
     * Writes the annotations when {@code cached} (this replica's Node as the cache holds it) differs.
     *
     * @return whether the server took a write
     */
    boolean write(Optional<GatewayNode> cached) {
        var present = cached.map(GatewayNode::annotations).orElse(Map.of());
        var puts = new HashMap<String, String>();
        var removes = new ArrayList<Map<String, Object>>();
        wanted.forEach((key, value) -> {
            if (value != null && !value.equals(present.get(key))) {
                puts.put(key, value);
            } else if (value == null && present.containsKey(key)) {
                String path = "/metadata/annotations/" + key.replace("~", "~0").replace("/", "~1");
                removes.add(Map.of("op", "remove", "path", path));
            }
        });
        if (puts.isEmpty() && removes.isEmpty()) return false;
        var nodes = client.nodes().withName(node);
        var json = client.getKubernetesSerialization();
        try {
            // A merge patch adds and replaces its members and leaves every other annotation as it is, whatever this
            // cache has seen of them; a member goes with a JSON patch "remove" of that member alone.
            if (!puts.isEmpty()) {
                nodes.patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        json.asJson(Map.of("metadata", Map.of("annotations", puts))));
            }
            if (!removes.isEmpty()) {
                nodes.patch(PatchContext.of(PatchType.JSON), json.asJson(removes));
            }
            LOG.info("Node {}: gateway described as {}", node, wanted);
            return true;
        } catch (KubernetesClientException e) {
            if (ResourceWriter.interrupted(e)) throw e; // the operator is stopping
            // 404: no such Node (yet); 422: an annotation already removed. The event that says so brings another pass.
            LOG.warn("Node {}: gateway annotations not written ({}): {}", node, e.getCode(), e.getMessage());
            return false;
        }
    }
}
