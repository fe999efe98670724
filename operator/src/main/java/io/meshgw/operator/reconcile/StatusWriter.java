package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshgw.operator.crd.ResourceStatus;
import io.meshgw.operator.desired.ConditionState;
import io.meshgw.operator.desired.ObjectOutcome;
import io.meshgw.operator.port.ResourceRef;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the status subresource of each object whose rendered status differs from what it has, so a pass that
 * changes nothing writes nothing (and triggers no further events).
 */
final class StatusWriter {
    private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

    private final KubernetesClient client;
    private final Clock clock;

    StatusWriter(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** @return the objects whose patch failed (and will be retried by the next pass) */
    List<ResourceRef> write(Map<ResourceRef, HasMetadata> objects, List<ObjectOutcome> outcomes) {
        var failed = new ArrayList<ResourceRef>();
        var serialization = client.getKubernetesSerialization();
        for (var outcome : outcomes) {
            if (!(objects.get(outcome.ref()) instanceof CustomResource<?, ?> resource)) continue;
            var current = (ResourceStatus) resource.getStatus();
            var next = StatusRenderer.render(outcome, current, clock.instant());
            if (current != null && Objects.equals(serialization.asJson(current), serialization.asJson(next))) continue;
            @SuppressWarnings("unchecked")
            var copy = (CustomResource<Object, ResourceStatus>) serialization.clone(resource);
            copy.setStatus(next);
            try {
                // A whole-status replace under the cached resourceVersion: a stale cache gets 409, and the event
                // that makes it stale brings another pass.
                client.resource(copy).updateStatus();
                var ready = outcome.condition(ConditionState.READY).orElseThrow();
                LOG.info("{}: status Ready={} {}: {}", outcome.ref(), ready.status(), ready.reason(), ready.message());
            } catch (KubernetesClientException e) {
                if (interrupted(e)) throw e; // the operator is stopping
                if (e.getCode() == 404 || e.getCode() == 409) continue; // deleted or changed meanwhile
                LOG.warn("{}: status update failed: {}", outcome.ref(), e.getMessage());
                failed.add(outcome.ref());
            }
        }
        return failed;
    }

    /** True when a client call failed because the operator is stopping (its thread was interrupted). */
    static boolean interrupted(Throwable e) {
        for (var t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException) return true;
        }
        return Thread.currentThread().isInterrupted();
    }
}
