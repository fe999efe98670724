package io.meshgw.operator.crd;

import io.fabric8.generator.annotation.Required;

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
    public String namespace;

    @Required
    public String name;

    @Required
    public String key;

    public SecretKeyRef() {}

    public SecretKeyRef(String name, String key) {
        this.name = name;
        this.key = key;
    }
}
