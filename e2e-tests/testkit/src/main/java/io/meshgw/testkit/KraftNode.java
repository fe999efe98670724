package io.meshgw.testkit;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A node's place in its KRaft quorum: every node is a broker and a controller (combined mode), as the testkit runs
 * them.
 *
 * @param nodeId this node's {@code node.id}
 * @param voters the quorum, {@code id@host:controllerPort,...}
 * @param replicas how many copies every topic keeps by default, the internal topics included: the number of nodes
 */
record KraftNode(int nodeId, String voters, int replicas) {

    KraftNode {
        if (replicas < 1) {
            throw new IllegalArgumentException("a KRaft quorum has at least one node, not " + replicas);
        }
    }

    /** The only node of a single-node quorum. */
    static KraftNode single(String host, int controllerPort) {
        return new KraftNode(1, "1@" + host + ":" + controllerPort, 1);
    }

    /** Node {@code nodeId} of a quorum whose node {@code i + 1} listens for controllers on {@code controllerPorts[i]}. */
    static KraftNode of(int nodeId, String host, List<Integer> controllerPorts) {
        String voters = java.util.stream.IntStream.range(0, controllerPorts.size())
                .mapToObj(i -> (i + 1) + "@" + host + ":" + controllerPorts.get(i))
                .collect(Collectors.joining(","));
        return new KraftNode(nodeId, voters, controllerPorts.size());
    }

    /**
     * How many copies must have a write before an {@code acks=all} producer gets its acknowledgement: two where there
     * are two or more, so losing any one node neither loses an acknowledged record nor stops writers.
     */
    int minInsyncReplicas() {
        return Math.min(2, replicas);
    }
}
