package io.meshgw.operator.crd;

import io.fabric8.generator.annotation.Required;

/** A key inside a Secret in the resource's own namespace (or the operator namespace for cluster-scoped kinds). */
public class SecretKeyRef {
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
