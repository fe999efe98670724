package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A key inside a Secret. The operator reads Secrets in one namespace only (the gateway's, unless configured), so the
 * Secret must be there: a namespaced resource uses Secrets of its own namespace, a cluster-scoped one those of the
 * operator's Secrets namespace.
 */
public class SecretKeyRef {
    /**
     * Namespace of the Secret; a namespaced resource's own namespace when unset (and no other is allowed), the
     * operator's Secrets namespace for a cluster-scoped resource.
     */
    @JsonPropertyDescription("Namespace of the Secret: a namespaced object's own namespace when absent (and no other"
            + " is allowed), the operator's Secrets namespace for a cluster-scoped one.")
    @Pattern(Crds.DNS_LABEL)
    public String namespace;

    @JsonPropertyDescription("Name of the Secret.")
    @Required
    @Pattern(Crds.OBJECT_NAME)
    @Size(max = 253)
    public String name;

    @JsonPropertyDescription("Key in the Secret's data.")
    @Required
    @Pattern(Crds.SECRET_KEY)
    @Size(max = 253)
    public String key;

    public SecretKeyRef() {}

    public SecretKeyRef(String name, String key) {
        this.name = name;
        this.key = key;
    }
}
