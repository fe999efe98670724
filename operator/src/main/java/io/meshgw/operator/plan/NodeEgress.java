package io.meshgw.operator.plan;

import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the node role steers on one ordinary node: the pods running there that an applied EgressIdentity keeps, each
 * with the gateway node that serves the egress addresses, and those identities' destinations. Computed from the same
 * plan the gateways compute, so a node steers exactly the pods and destinations the gateways translate. And what it
 * returns: the flows the cluster's gateways send in IPIP to the pods running there.
 *
 * @param pods by pod address, sorted
 * @param destinations the destinations of the identities that keep a pod on this node, sorted, once each
 * @param nodeAddresses this node's InternalIP addresses as its Node says (empty while unknown): the gateways accept
 *     what the node role steers only from one of them
 * @param localPods the addresses of the pods running on this node (not on its host network), sorted: the only inner
 *     destinations of the gateways' IPIP the node role decapsulates
 * @param gateways the tunnel endpoints of the cluster's gateway nodes, sorted: whose IPIP it decapsulates
 */
public record NodeEgress(
        Map<IpAddress, SteeredPod> pods,
        List<IpPrefix> destinations,
        List<IpAddress> nodeAddresses,
        List<IpAddress> localPods,
        List<IpAddress> gateways) {

    /** Nothing steered. */
    public static final NodeEgress NONE = new NodeEgress(Map.of(), List.of());

    /** Pods and destinations with the node's addresses, nothing returned. */
    public NodeEgress(Map<IpAddress, SteeredPod> pods, List<IpPrefix> destinations, List<IpAddress> nodeAddresses) {
        this(pods, destinations, nodeAddresses, List.of(), List.of());
    }

    /** Pods and destinations, the node's addresses unknown. */
    public NodeEgress(Map<IpAddress, SteeredPod> pods, List<IpPrefix> destinations) {
        this(pods, destinations, List.of());
    }

    /** This, with the node's InternalIP addresses. */
    public NodeEgress withNodeAddresses(List<IpAddress> addresses) {
        return new NodeEgress(pods, destinations, addresses, localPods, gateways);
    }

    /**
     * @param pod the Pod
     * @param egressIdentity the EgressIdentity that keeps it
     * @param identity that identity's datapath number (as in its {@link EgressRule})
     * @param owner the tunnel endpoint of the gateway node that serves the egress addresses; empty while none is
     *     known, when the pod's packets toward the destinations are dropped rather than sent with its own address
     */
    public record SteeredPod(ObjectKey pod, ObjectKey egressIdentity, int identity, Optional<IpAddress> owner) {
        public SteeredPod {
            Objects.requireNonNull(pod, "pod");
            Objects.requireNonNull(egressIdentity, "egressIdentity");
            Objects.requireNonNull(owner, "owner");
        }
    }

    public NodeEgress {
        pods = Collections.unmodifiableMap(new TreeMap<>(pods));
        destinations = List.copyOf(new java.util.TreeSet<>(destinations));
        nodeAddresses = List.copyOf(nodeAddresses);
        localPods = List.copyOf(new java.util.TreeSet<>(localPods));
        gateways = List.copyOf(new java.util.TreeSet<>(gateways));
    }
}
