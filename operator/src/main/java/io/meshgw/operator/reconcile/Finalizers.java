package io.meshgw.operator.reconcile;

import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.desired.Metadata;
import io.meshgw.operator.plan.Plan;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a deleted MeshServiceExport until its VIP is withdrawn and its translation and mesh export are gone, so the
 * name (and VIP) cannot be reused while the gateway still serves the old one. The plan of a pass never holds a
 * deleted export, so once a pass's plan has been applied completely, the gateway holds none of it.
 */
final class Finalizers {
    static final String NAME = "meshgw.io/withdraw-before-delete";
    private static final Logger LOG = LoggerFactory.getLogger(Finalizers.class);

    private final ResourceWriter writer;

    Finalizers(ResourceWriter writer) {
        this.writer = writer;
    }

    void addMissing(List<MeshServiceExport> exports) {
        for (var export : exports) {
            if (Metadata.deleting(export) || export.hasFinalizer(NAME)) continue;
            var wanted = new ArrayList<>(finalizers(export));
            wanted.add(NAME);
            if (writer.patchFinalizers(export, wanted).wrote()) {
                LOG.info("{}: finalizer {} added", Metadata.ref(export), NAME);
            }
        }
    }

    /**
     * Releases the deleted exports that {@code applied} holds nothing of. Call it only after {@code applied} went
     * through every engine without an error: then the engines hold exactly the plan.
     */
    void releaseDeleted(List<MeshServiceExport> exports, Plan applied) {
        for (var export : exports) {
            var ref = Metadata.ref(export);
            if (!Metadata.deleting(export) || !export.hasFinalizer(NAME)) continue;
            if (holds(applied, export)) {
                // Unreachable while the planner leaves deleted exports out; kept so a change there cannot free a
                // name the gateway still serves.
                LOG.warn("{}: deleted but the applied plan still holds it; finalizer kept", ref);
                continue;
            }
            var wanted = new ArrayList<>(finalizers(export));
            wanted.remove(NAME);
            if (writer.patchFinalizers(export, wanted).wrote()) {
                LOG.info("{}: withdrawn and removed from the gateway; finalizer {} released", ref, NAME);
            }
        }
    }

    private static boolean holds(Plan plan, MeshServiceExport export) {
        var key = Metadata.key(export);
        var ref = Metadata.ref(export);
        return plan.translations().containsKey(key)
                || plan.exports().containsKey(key)
                || plan.announcements().values().stream()
                        .anyMatch(a -> a.owner().equals(ref));
    }

    private static List<String> finalizers(MeshServiceExport export) {
        var present = export.getMetadata().getFinalizers();
        return present == null ? List.of() : present;
    }
}
