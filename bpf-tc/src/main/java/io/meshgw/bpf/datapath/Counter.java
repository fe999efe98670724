package io.meshgw.bpf.datapath;

/** The per-CPU counters of the datapath, in the order of enum counter in mgw_maps.h. */
public enum Counter {
    PASS("not ours, handed on"),
    DNAT_NEW("new inbound flows translated to a backend"),
    DNAT_ESTABLISHED("inbound packets of known flows"),
    DNAT_REPLY("backend replies rewritten to the VIP"),
    SNAT_NEW("new outbound flows SNATed"),
    SNAT_ESTABLISHED("outbound packets of known flows"),
    SNAT_REPLY("legacy replies rewritten to the pod"),
    DROP_NO_BACKEND("dropped: VIP without a backend"),
    DROP_POLICY("dropped: denied by policy"),
    DROP_NO_PORT("dropped: SNAT port range exhausted"),
    POLICY_ALLOW("policy allowed a new flow"),
    POLICY_DENY("policy denied a new flow"),
    MALFORMED("headers cut short or inconsistent, passed untouched"),
    FRAGMENT("IP fragments, passed untouched"),
    BACKEND_RESELECT("known flows moved off a removed backend"),
    ICMP_ERROR("ICMP errors about translated flows, translated"),
    DROP_EGRESS_FRAGMENT("dropped: IP fragments from an egress-restricted pod to its legacy destinations"),
    DROP_EGRESS_PROTOCOL("dropped: not TCP, UDP or a translated ICMP error, from an egress-restricted pod"),
    DROP_EGRESS_IPV6("dropped: routed IPv6 from the clusters while egress is SNATed"),
    DROP_NO_FLOW("dropped: a pod's TCP RST of no known egress flow"),
    RST_OUT_OF_WINDOW("TCP RSTs off the tracked sequence window, handed on; the flow stays open"),
    TUNNEL_OUT("packets encapsulated toward a peer gateway, a node or a gateway here"),
    TUNNEL_IN("packets from a peer gateway, decapsulated"),
    DROP_TUNNEL_PEER("dropped: IPIP to the tunnel endpoint from neither a peer gateway nor a node here"),
    DROP_TUNNEL_MTU("dropped: too large for the tunnel; with DF, ICMP fragmentation needed is sent"),
    DROP_TUNNEL_ROUTE("dropped: no route to the peer gateway's endpoint, or not encapsulated"),
    IPV6_EXT_LIMIT("IPv6 past the extension headers walked (4), passed untouched"),
    NODE_IN("IPIP from a node of this cluster, decapsulated"),
    EGRESS_STEERED("pods' packets steered to the gateway that owns their identity's egress address"),
    DROP_EGRESS_NO_OWNER("dropped: a pod's egress another gateway owns, with no owner to steer it to"),
    BACKEND_NODE("flows' packets sent to their backend's node, whose node role returns replies");

    private final String description;

    Counter(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** True for the counters that count dropped packets. */
    public boolean isDrop() {
        return name().startsWith("DROP_");
    }
}
