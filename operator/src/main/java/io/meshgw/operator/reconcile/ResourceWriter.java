package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventSeries;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.meshgw.operator.desired.Metadata;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the operator writes Kubernetes objects (Events included, {@link EventWriter}). Its callers build the object they want purely (from the plan
 * and the cached object); this compares, and writes only a difference, always under a precondition on the object the
 * informer cache saw: an update or status replace carries the cached resourceVersion, a patch carries it in the
 * body, and a delete carries the cached uid and resourceVersion. A stale cache therefore makes the API server refuse
 * the write (409) instead of overwriting or deleting an object that changed or is someone else's by now; that
 * refusal, and an object already gone (404), are {@link Result#STALE}: the event that made the cache stale brings
 * another pass. Any other error is thrown to the caller, which decides whether it stops the pass.
 */
final class ResourceWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceWriter.class);

    /** What one write did. */
    enum Result {
        UNCHANGED,
        CREATED,
        UPDATED,
        DELETED,
        /** Refused (409) or gone (404): the cache was behind, and the next pass sees the change. */
        STALE;

        boolean wrote() {
            return this == CREATED || this == UPDATED || this == DELETED;
        }
    }

    private final KubernetesClient client;

    ResourceWriter(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Makes the object {@code wanted} describes exist: creates it when the cache has none ({@code current} null);
     * otherwise, when {@code same} says the cached object differs, replaces it with {@code change} applied to a copy
     * of it (so fields this writer does not own, and the server's defaults, stay as they are).
     */
    <T extends HasMetadata> Result createOrUpdate(
            T current, T wanted, BiPredicate<T, T> same, UnaryOperator<T> change) {
        if (current == null) return write(wanted, () -> client.resource(wanted).create(), Result.CREATED);
        if (same.test(current, wanted)) return Result.UNCHANGED;
        var next = change.apply(copy(current));
        return write(current, () -> client.resource(next).update(), Result.UPDATED);
    }

    /**
     * Replaces the status subresource of the cached object with {@code change} applied to a copy, when
     * {@code same} says the status differs.
     */
    <T extends HasMetadata> Result updateStatus(T current, BiPredicate<T, T> same, UnaryOperator<T> change) {
        var next = change.apply(copy(current));
        if (same.test(current, next)) return Result.UNCHANGED;
        return write(current, () -> client.resource(next).updateStatus(), Result.UPDATED);
    }

    /**
     * Sets the finalizers of the cached object to {@code wanted} when they differ, with a JSON patch: a patch needs
     * only the {@code patch} verb (an update of the whole object would need {@code update} on it too). The patch also
     * sets the resourceVersion to the cached one, so the patched object carries it and the server refuses the write
     * (409) once the object changed, as it does for an update. A resourceVersion is never reused, not even by a new
     * object of the same name, so it pins the uid as well.
     */
    Result patchFinalizers(HasMetadata current, List<String> wanted) {
        var present = current.getMetadata().getFinalizers() == null
                ? List.<String>of()
                : current.getMetadata().getFinalizers();
        if (present.equals(wanted)) return Result.UNCHANGED;
        var patch = client.getKubernetesSerialization()
                .asJson(List.of(
                        Map.of(
                                "op",
                                "replace",
                                "path",
                                "/metadata/resourceVersion",
                                "value",
                                current.getMetadata().getResourceVersion()),
                        // "add" sets the member whether or not the object has one (RFC 6902 §4.1).
                        Map.of("op", "add", "path", "/metadata/finalizers", "value", wanted)));
        return write(
                current, () -> client.resource(current).patch(PatchContext.of(PatchType.JSON), patch), Result.UPDATED);
    }

    /**
     * Deletes the cached object only while it is still the one the cache saw. fabric8's {@code lockResourceVersion}
     * sends the resourceVersion only and its delete sends no uid, so the DeleteOptions go out as they are.
     */
    Result delete(HasMetadata current) {
        var meta = current.getMetadata();
        var options = new DeleteOptionsBuilder()
                .withNewPreconditions()
                .withUid(meta.getUid())
                .withResourceVersion(meta.getResourceVersion())
                .endPreconditions()
                .build();
        return write(current, () -> client.raw(path(current), "DELETE", options), Result.DELETED);
    }

    /** Creates an object nobody else writes, such as an Event: no precondition, it is new. */
    Result create(HasMetadata object) {
        return write(object, () -> client.resource(object).create(), Result.CREATED);
    }

    /** Counts the repeats of an events.k8s.io/v1 Event in its series, with a merge patch of that field alone. */
    Result patchEventSeries(String namespace, String name, EventSeries series) {
        var patch = client.getKubernetesSerialization().asJson(Map.of("series", series));
        return write(
                new EventBuilder()
                        .withNewMetadata()
                        .withNamespace(namespace)
                        .withName(name)
                        .endMetadata()
                        .build(),
                () -> client.events()
                        .v1()
                        .events()
                        .inNamespace(namespace)
                        .withName(name)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch),
                Result.UPDATED);
    }

    private Result write(HasMetadata object, Runnable request, Result done) {
        try {
            request.run();
            return done;
        } catch (KubernetesClientException e) {
            if (interrupted(e)) throw e; // the operator is stopping
            if (e.getCode() != 404 && e.getCode() != 409) throw e;
            LOG.debug(
                    "{} {}: not written ({}), the cache was behind",
                    object.getKind(),
                    Metadata.key(object),
                    e.getCode());
            return Result.STALE;
        }
    }

    /** The object's URL path, as the API server serves the group and version of its class. */
    static String path(HasMetadata object) {
        var type = object.getClass();
        var group = HasMetadata.getGroup(type);
        var api = group == null || group.isEmpty() ? "/api/" : "/apis/" + group + "/";
        var namespace = object.getMetadata().getNamespace();
        var scope = namespace == null || namespace.isEmpty() ? "" : "namespaces/" + namespace + "/";
        return api + HasMetadata.getVersion(type) + "/" + scope + HasMetadata.getPlural(type) + "/"
                + object.getMetadata().getName();
    }

    @SuppressWarnings("unchecked")
    <T extends HasMetadata> T copy(T object) {
        return (T) client.getKubernetesSerialization().clone(object);
    }

    /** True when a client call failed because the operator is stopping (its thread was interrupted). */
    static boolean interrupted(Throwable e) {
        for (var t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException) return true;
        }
        return Thread.currentThread().isInterrupted();
    }
}
