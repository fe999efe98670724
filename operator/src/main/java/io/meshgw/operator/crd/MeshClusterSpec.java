package io.meshgw.operator.crd;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.meshgw.types.ClusterId;

public class MeshClusterSpec {
    /**
     * 1..4095, unique in the mesh: mesh-sync's record headers and topic names and the datapath's backend entries
     * carry it (the one range of {@link ClusterId}).
     */
    @Required
    @Min(ClusterId.MIN)
    @Max(ClusterId.MAX)
    public Integer clusterId;

    /** DNS-label name used in topic names (one compacted topic per source cluster). */
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
    public String name;

    @Required
    public Kafka kafka;

    public static class Kafka {
        /** host:port[,host:port...] */
        @Required
        public String bootstrapServers;

        public SecretKeyRef tlsSecretRef;
        public SecretKeyRef saslSecretRef;
    }
}
