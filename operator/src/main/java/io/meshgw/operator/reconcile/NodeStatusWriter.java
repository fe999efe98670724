package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.BgpPeerStatus;
import io.meshgw.operator.desired.Metadata;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every replica's own entry in {@code status.nodes} of the BgpPeers its node runs sessions to, leader or not: written
 * when it differs from what the cache holds, with a JSON patch (RFC 6902) that touches that entry alone, so replicas
 * writing at once never lose each other's entries. Each patch first makes sure of what it relies on: a test that the
 * entry it replaces or removes still is this node's at that index (422 if not), or, where it adds the entry or the
 * list, the resourceVersion it read (409 if the object has moved). A refused patch is not retried at once: the write
 * that moved the object brings another pass, which writes again from the newer object. The Lease holder removes the entries of other nodes ({@link StatusRenderer}).
 */
final class NodeStatusWriter {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStatusWriter.class);

    private final KubernetesClient client;
    private final String node;
    /** The entry last written per peer and the resourceVersion it was written over, until the cache moves past it. */
    private final Map<ObjectKey, Written> written = new HashMap<>();

    private record Written(String over, Map<String, Object> entry) {}

    NodeStatusWriter(KubernetesClient client, String node) {
        this.client = client;
        this.node = node;
    }

    /**
     * Writes this node's entry of each peer whose session {@code plan} runs here, and removes it from the peers whose
     * session it no longer runs.
     *
     * @param peers the BgpPeers as the cache holds them
     * @return how many entries were written
     */
    int write(List<BgpPeer> peers, Plan plan, Map<ObjectKey, PeerSession> sessions) {
        int writes = 0;
        var seen = new ArrayList<ObjectKey>();
        for (var peer : peers) {
            var key = Metadata.key(peer);
            seen.add(key);
            boolean done =
                    plan.peers().containsKey(key) ? report(peer, Optional.ofNullable(sessions.get(key))) : remove(peer);
            if (done) writes++;
        }
        written.keySet().retainAll(seen);
        return writes;
    }

    /**
     * Puts this node's entry for {@code session} (empty: the node's speaker has none yet) into {@code peer}'s status,
     * unless the cached {@code peer} holds it already.
     *
     * @return whether the server took a write
     */
    boolean report(BgpPeer peer, Optional<PeerSession> session) {
        return put(peer, Optional.of(entry(session)));
    }

    /** Removes this node's entry from {@code peer}'s status: it runs no session to the peer. */
    boolean remove(BgpPeer peer) {
        return put(peer, Optional.empty());
    }

    private boolean put(BgpPeer peer, Optional<Map<String, Object>> wanted) {
        var key = Metadata.key(peer);
        var status = peer.getStatus();
        var list = status == null ? null : status.nodes;
        int index = indexOfOwn(list);
        var cached = index < 0 ? Optional.<Map<String, Object>>empty() : Optional.of(asMap(list.get(index)));
        if (cached.equals(wanted)) return false;
        String version = peer.getMetadata().getResourceVersion();
        var last = written.get(key);
        // Written already over this very object: the cache has not caught up with the write yet.
        if (last != null
                && last.over().equals(version)
                && Optional.ofNullable(last.entry()).equals(wanted)) {
            return false;
        }
        var ops = ops(status, list, index, version, wanted);
        if (ops.isEmpty()) return false;
        try {
            client.resources(BgpPeer.class)
                    .inNamespace(key.namespace())
                    .withName(key.name())
                    .subresource("status")
                    .patch(
                            PatchContext.of(PatchType.JSON),
                            client.getKubernetesSerialization().asJson(ops));
            written.put(key, new Written(version, wanted.orElse(null)));
            LOG.debug("BgpPeer {}: status.nodes entry of {} written", key, node);
            return true;
        } catch (KubernetesClientException e) {
            if (ResourceWriter.interrupted(e)) throw e; // the operator is stopping
            // 404 (gone), 409 and 422 (a test failed: the object moved): the event that moved it brings another pass.
            if (e.getCode() == 404 || e.getCode() == 409 || e.getCode() == 422) {
                LOG.debug("BgpPeer {}: status.nodes entry of {} not written ({})", key, node, e.getCode());
            } else {
                LOG.warn("BgpPeer {}: status.nodes entry of {} not written: {}", key, node, e.getMessage());
            }
            return false;
        }
    }

    /** The JSON patch that puts {@code wanted} as this node's entry (or removes it), touching no other entry. */
    private List<Map<String, Object>> ops(
            BgpPeerStatus status,
            List<BgpPeerStatus.NodeSession> list,
            int index,
            String version,
            Optional<Map<String, Object>> wanted) {
        if (index >= 0) {
            var at = "/status/nodes/" + index;
            var test = op("test", at + "/node", node);
            return wanted.map(entry -> List.of(test, op("replace", at, entry)))
                    .orElseGet(() -> List.of(test, Map.of("op", "remove", "path", at)));
        }
        if (wanted.isEmpty()) return List.of();
        var entry = wanted.get();
        // Adding: no other writer may have added this node's entry or the list meanwhile (a test cannot say
        // "absent"), so the object must be the one read: a patch that carries a resourceVersion is refused (409) when
        // the object has another.
        var unchanged = op("replace", "/metadata/resourceVersion", version);
        if (status == null) return List.of(unchanged, op("add", "/status", Map.of("nodes", List.of(entry))));
        if (list == null) return List.of(unchanged, op("add", "/status/nodes", List.of(entry)));
        return List.of(unchanged, op("add", "/status/nodes/-", entry));
    }

    private static Map<String, Object> op(String op, String path, Object value) {
        return Map.of("op", op, "path", path, "value", value);
    }

    private int indexOfOwn(List<BgpPeerStatus.NodeSession> list) {
        if (list == null) return -1;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) != null && node.equals(list.get(i).node)) return i;
        }
        return -1;
    }

    /** This node's entry for a session, as status holds it (absent fields omitted). */
    Map<String, Object> entry(Optional<PeerSession> session) {
        var entry = new BgpPeerStatus.NodeSession();
        entry.node = node;
        session.ifPresent(s -> {
            entry.sessionState = s.state().name();
            entry.establishedSince = s.establishedSince().map(Object::toString).orElse(null);
            entry.receivedPrefixes = s.receivedPrefixes();
            entry.acceptedPrefixes = s.acceptedPrefixes();
            entry.advertisedPrefixes = s.advertisedPrefixes();
            entry.lastError = s.lastError().orElse(null);
        });
        return asMap(entry);
    }

    /** As JSON holds it, so an entry read back compares equal to the one written. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(BgpPeerStatus.NodeSession entry) {
        var serialization = client.getKubernetesSerialization();
        return Objects.requireNonNull(serialization.unmarshal(serialization.asJson(entry), Map.class));
    }
}
