package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.meshgw.operator.crd.SecretKeyRef;
import io.meshgw.operator.model.Validation;

/**
 * Where a Secret reference reads from, and whether the operator may read it there. The operator reads Secrets in one
 * namespace only ({@link Snapshot#secretsNamespace}), so a reference that resolves elsewhere is invalid and says where
 * the Secret must be, instead of waiting for a Secret the operator would never see. A namespaced object may use only
 * its own namespace's Secrets: whoever may write a BgpPeer in one namespace must not make the gateway use (and send
 * MACs keyed with) another namespace's Secrets.
 */
final class SecretRefs {
    private SecretRefs() {}

    /**
     * The namespace {@code ref} reads from: its own namespace, else the referrer's, else (a cluster-scoped referrer)
     * the Secrets namespace; null when none of them is known.
     */
    static String namespace(SecretKeyRef ref, HasMetadata referrer, String secretsNamespace) {
        if (!blank(ref.namespace)) return ref.namespace;
        var own = referrer.getMetadata().getNamespace();
        return blank(own) ? secretsNamespace : own;
    }

    /** @param path the reference's field path, e.g. {@code spec.passwordSecretRef} */
    static Validation where(String path, SecretKeyRef ref, HasMetadata referrer, String secretsNamespace) {
        var own = referrer.getMetadata().getNamespace();
        var kind = referrer.getKind();
        if (!blank(own) && !blank(ref.namespace) && !ref.namespace.equals(own)) {
            return Validation.of(
                    path + ".namespace", "a " + kind + " may only use Secrets of its own namespace '" + own + "'");
        }
        if (secretsNamespace == null) return Validation.OK;
        var namespace = namespace(ref, referrer, secretsNamespace);
        if (namespace.equals(secretsNamespace)) return Validation.OK;
        var remedy = blank(own)
                ? "; set namespace: " + secretsNamespace + " and keep the Secret there"
                : "; create the " + kind + " and its Secret there";
        return Validation.of(
                blank(ref.namespace) ? path : path + ".namespace",
                "Secret '" + ref.name + "' would be read from namespace '" + namespace
                        + "', but the operator reads Secrets only in namespace '" + secretsNamespace + "'" + remedy);
    }

    private static boolean blank(String text) {
        return text == null || text.isEmpty();
    }
}
