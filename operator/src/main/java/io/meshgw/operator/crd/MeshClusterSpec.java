package io.meshgw.operator.crd;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

public class MeshClusterSpec {
    /** 1..255: travels in one octet of mesh-sync record headers; 0 is reserved for "unset". */
    @Required
    @Min(1)
    @Max(255)
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
