package io.meshgw.operator.port;

import io.meshgw.operator.plan.NodeEgress;

/** The node role's datapath on an ordinary node: the pods it steers to the gateway node that serves their egress. */
public interface NodeRoleTarget {

    /** Makes the node role's maps hold {@code egress}; throws when the kernel refused a write. */
    void apply(NodeEgress egress);
}
