package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.desired.Metadata;
import io.meshgw.operator.port.ResourceRef;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a deleted MeshServiceExport until its VIP is withdrawn and its translations and mesh export are gone, so
 * the name (and VIP) cannot be reused while the gateway still serves the old one.
 */
final class Finalizers {
    static final String NAME = "meshgw.io/withdraw-before-delete";
    private static final Logger LOG = LoggerFactory.getLogger(Finalizers.class);

    private final KubernetesClient client;

    Finalizers(KubernetesClient client) {
        this.client = client;
    }

    void addMissing(List<MeshServiceExport> exports) {
        for (var export : exports) {
            if (Metadata.deleting(export) || export.hasFinalizer(NAME)) continue;
            edit(export, e -> {
                e.addFinalizer(NAME);
                return e;
            });
            LOG.info("{}: finalizer {} added", Metadata.ref(export), NAME);
        }
    }

    /** Releases deleted exports that {@code stillApplied} no longer reports. */
    void releaseDeleted(List<MeshServiceExport> exports, Predicate<ResourceRef> stillApplied) {
        for (var export : exports) {
            var ref = Metadata.ref(export);
            if (!Metadata.deleting(export) || !export.hasFinalizer(NAME)) continue;
            if (stillApplied.test(ref)) {
                LOG.warn("{}: deleted but the gateway still holds it; finalizer kept", ref);
                continue;
            }
            edit(export, e -> {
                e.removeFinalizer(NAME);
                return e;
            });
            LOG.info("{}: withdrawn and removed from the gateway; finalizer {} released", ref, NAME);
        }
    }

    private void edit(MeshServiceExport export, UnaryOperator<MeshServiceExport> change) {
        try {
            client.resources(MeshServiceExport.class)
                    .inNamespace(export.getMetadata().getNamespace())
                    .withName(export.getMetadata().getName())
                    .edit(change);
        } catch (KubernetesClientException e) {
            // Gone, or changed since the cache saw it: the event for that change brings another pass.
            if (e.getCode() != 404 && e.getCode() != 409) throw e;
        }
    }
}
