package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.meshgw.operator.crd.ResourceStatus;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.port.ResourceRef;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the status subresource of each object whose rendered status ({@link StatusRenderer}) differs from what it
 * has, so a pass that changes nothing writes nothing (and triggers no further events).
 */
final class StatusWriter {
    private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

    private final ResourceWriter writer;
    private final KubernetesSerialization serialization;
    private final Clock clock;
    private final EventWriter events;

    StatusWriter(ResourceWriter writer, KubernetesSerialization serialization, Clock clock, EventWriter events) {
        this.writer = writer;
        this.serialization = serialization;
        this.clock = clock;
        this.events = events;
    }

    /** @return the objects whose status write failed (and will be retried by the next pass) */
    List<ResourceRef> write(Map<ResourceRef, HasMetadata> objects, List<ObjectOutcome> outcomes) {
        var failed = new ArrayList<ResourceRef>();
        for (var outcome : outcomes) {
            if (!(objects.get(outcome.ref()) instanceof CustomResource<?, ?> cached)) continue;
            @SuppressWarnings("unchecked")
            var resource = (CustomResource<Object, ResourceStatus>) cached;
            try {
                // A whole-status replace under the cached resourceVersion: a stale cache gets 409, and the event
                // that makes it stale brings another pass.
                var before = resource.getStatus();
                var after = StatusRenderer.render(outcome, before, clock.instant());
                var result = writer.updateStatus(resource, this::sameStatus, copy -> {
                    copy.setStatus(after);
                    return copy;
                });
                if (result == ResourceWriter.Result.UPDATED) {
                    // Only a status that changed can be a transition, and only the Lease holder writes status.
                    events.write(resource, StatusEvents.between(resource, before, after));
                    var ready = outcome.condition(ConditionState.READY).orElseThrow();
                    LOG.info(
                            "{}: status Ready={} {}: {}",
                            outcome.ref(),
                            ready.status(),
                            ready.reason(),
                            ready.message());
                }
            } catch (KubernetesClientException e) {
                if (ResourceWriter.interrupted(e)) throw e; // the operator is stopping
                LOG.warn("{}: status update failed: {}", outcome.ref(), e.getMessage());
                failed.add(outcome.ref());
            }
        }
        return failed;
    }

    /** Compared as JSON: what the API server would store, so a status that reads back the same is not written. */
    private boolean sameStatus(
            CustomResource<Object, ResourceStatus> current, CustomResource<Object, ResourceStatus> next) {
        return current.getStatus() != null
                && Objects.equals(serialization.asJson(current.getStatus()), serialization.asJson(next.getStatus()));
    }
}
