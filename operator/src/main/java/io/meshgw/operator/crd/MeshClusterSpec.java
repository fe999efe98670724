package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.meshgw.types.ClusterId;

public class MeshClusterSpec {
    /** One server: a host name, an IPv4 address or a bracketed IPv6 address, then a port. */
    private static final String SERVER = "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?):[0-9]{1,5}";

    private static final String BOOTSTRAP_SERVERS = "^" + SERVER + "(," + SERVER + ")*$";

    /**
     * 1..4095, unique in the mesh: mesh-sync's record headers and topic names and the datapath's backend entries
     * carry it (the one range of {@link ClusterId}).
     */
    @JsonPropertyDescription("The cluster's id, 1..4095, unique in the mesh: record headers, topic names and the"
            + " datapath's backend entries carry it. The oldest MeshCluster keeps a contested id.")
    @Required
    @Min(ClusterId.MIN)
    @Max(ClusterId.MAX)
    public Integer clusterId;

    /** DNS-label name used in topic names (one compacted topic per source cluster). */
    @JsonPropertyDescription("The cluster's name, a DNS label (lower-case letters, digits and '-', at most 63"
            + " characters), unique in the mesh; the exports' status names clusters by it.")
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
    public String name;

    @JsonPropertyDescription("The Kafka cluster the mesh's state travels on.")
    @Required
    public Kafka kafka;

    public static class Kafka {
        /** host:port[,host:port...] */
        @JsonPropertyDescription(
                "Kafka bootstrap servers, host:port[,host:port...], port 1..65535; an IPv6 host in" + " brackets.")
        @Required
        @Size(max = 4096)
        @Pattern(BOOTSTRAP_SERVERS)
        @ValidationRule(
                value = "self.split(',').all(s, int(s.substring(s.lastIndexOf(':') + 1)) >= 1"
                        + " && int(s.substring(s.lastIndexOf(':') + 1)) <= 65535)",
                message = "every bootstrap server's port must be 1..65535")
        public String bootstrapServers;

        @JsonPropertyDescription("TLS material for the Kafka connection (e.g. the CA certificate, key ca.crt), a"
                + " key of a Secret in the operator's Secrets namespace; plaintext when absent.")
        public SecretKeyRef tlsSecretRef;

        @JsonPropertyDescription(
                "SASL credentials, a key of a Secret in the operator's Secrets namespace; none when" + " absent.")
        public SecretKeyRef saslSecretRef;
    }
}
