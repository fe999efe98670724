package io.meshgw.operator.desired;

import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.model.LabelSelectors;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.GatewayNode;
import io.meshgw.operator.port.PeerSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The sessions the gateway nodes report in a BgpPeer's {@code status.nodes}, as the Lease holder reads them: the
 * entries of nodes that exist and are selected are kept, this node's own entry is taken from its speaker, and
 * Ready and Degraded summarise them all.
 */
final class NodeSessions {
    private NodeSessions() {}

    /**
     * One node's session as reported.
     *
     * @param state empty while the node's speaker has no session yet, or the entry names no state it knows
     */
    record Reported(String node, Optional<PeerSession.State> state, Optional<String> lastError) {
        boolean established() {
            return state.filter(s -> s == PeerSession.State.Established).isPresent();
        }

        String describe() {
            return node + " ("
                    + state.map(Enum::name).orElse("no session yet")
                    + lastError.map(e -> ": " + e).orElse("") + ")";
        }
    }

    /**
     * The entries to keep: those of nodes that exist and {@code spec.nodeSelector} selects, other than {@code here};
     * then {@code own} (this node's session, when its gateway runs one). Sorted by node.
     */
    static List<Reported> kept(BgpPeer peer, Map<String, GatewayNode> nodes, String here, Optional<Reported> own) {
        var kept = new ArrayList<Reported>();
        var status = peer.getStatus();
        if (status != null && status.nodes != null) {
            for (var entry : status.nodes) {
                if (entry == null || entry.node == null || entry.node.equals(here)) continue;
                var node = nodes.get(entry.node);
                if (node == null || !LabelSelectors.matches(peer.getSpec().nodeSelector, node.labels())) continue;
                kept.add(new Reported(entry.node, state(entry.sessionState), Optional.ofNullable(entry.lastError)));
            }
        }
        own.ifPresent(kept::add);
        kept.sort(java.util.Comparator.comparing(Reported::node));
        return List.copyOf(kept);
    }

    static Map<String, GatewayNode> byName(List<GatewayNode> nodes) {
        return nodes.stream().collect(Collectors.toMap(GatewayNode::name, Function.identity(), (a, b) -> a));
    }

    /** Ready while every node that reports is Established; Degraded names the nodes that are not. */
    static List<ConditionState> conditions(List<Reported> reported) {
        if (reported.isEmpty()) {
            return List.of(
                    ConditionState.ready(
                            false,
                            "NoSession",
                            "no gateway node runs a session to this peer: spec.nodeSelector selects none of the"
                                    + " cluster's nodes, or their gateways have not reported yet"),
                    ConditionState.unknown(ConditionState.DEGRADED, "no gateway node reports a session"));
        }
        var up = reported.stream()
                .filter(Reported::established)
                .map(Reported::node)
                .toList();
        var down = reported.stream().filter(r -> !r.established()).toList();
        if (down.isEmpty()) {
            String message = "Established on " + String.join(", ", up);
            return List.of(
                    ConditionState.ready(true, "Established", message),
                    ConditionState.degraded(false, "Established", message));
        }
        String message = "not Established on "
                + down.stream().map(Reported::describe).collect(Collectors.joining(", "))
                + (up.isEmpty() ? "" : "; Established on " + String.join(", ", up));
        return List.of(
                ConditionState.ready(false, "SessionDown", message),
                ConditionState.degraded(true, "SessionDown", message));
    }

    static Optional<PeerSession.State> state(String text) {
        if (text == null) return Optional.empty();
        for (var s : PeerSession.State.values()) {
            if (s.name().equals(text)) return Optional.of(s);
        }
        return Optional.empty();
    }
}
