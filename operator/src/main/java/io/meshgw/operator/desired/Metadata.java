package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import java.time.Instant;
import java.util.Comparator;

/** Keys, references, ages and generations of Kubernetes objects. */
public final class Metadata {
    /** Oldest first, then by key: the order in which objects claim addresses and win conflicts. */
    public static final Comparator<HasMetadata> BY_AGE =
            Comparator.comparing(Metadata::createdAt).thenComparing(Metadata::key);

    private Metadata() {}

    public static ObjectKey key(HasMetadata object) {
        return new ObjectKey(
                object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    public static ResourceRef ref(HasMetadata object) {
        return new ResourceRef(object.getKind(), key(object));
    }

    /** Creation time; the epoch when unset (objects built in tests). */
    public static Instant createdAt(HasMetadata object) {
        var ts = object.getMetadata().getCreationTimestamp();
        return ts == null ? Instant.EPOCH : Instant.parse(ts);
    }

    public static long generation(HasMetadata object) {
        var g = object.getMetadata().getGeneration();
        return g == null ? 0 : g;
    }

    public static boolean deleting(HasMetadata object) {
        return object.getMetadata().getDeletionTimestamp() != null;
    }
}
