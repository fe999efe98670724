package io.meshgw.bpf.datapath;

/** The node role's per-CPU counters, in the order of enum node_counter in mgw_node.c. */
public enum NodeCounter {
    STEERED("pods' packets encapsulated toward their identity's egress owner"),
    REPLY_IN("replies from an owner gateway, decapsulated toward the pod"),
    DROP_NO_OWNER("dropped: the identity's egress address has no owner, or this node no address"),
    DROP_MTU("dropped: too large with the outer header; with DF, ICMP fragmentation needed is sent"),
    DROP_ROUTE("dropped: no route to the owner gateway, or not encapsulated"),
    MALFORMED("dropped: IPIP from a known gateway that is not what it writes"),
    FLOW_IN("flows a gateway translated toward a pod here, decapsulated and recorded"),
    RETURNED("backends' replies, encapsulated back to the gateway holding their flow");

    private final String description;

    NodeCounter(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    public boolean isDrop() {
        return name().startsWith("DROP_") || this == MALFORMED;
    }
}
