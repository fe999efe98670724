package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventSeries;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshgw.operator.desired.Metadata;
import io.meshgw.operator.reconcile.StatusEvents.ObjectEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the Events of status transitions ({@link StatusEvents}) on the object they are about, as events.k8s.io/v1
 * Events: that API names the controller and the replica that reported (reportingController, reportingInstance: with
 * N gateway replicas, which one wrote matters) and counts repeats in a series; the API server stores one Event for
 * both APIs, so {@code kubectl describe} and {@code kubectl get events} show them.
 *
 * <p>Bounded, so a flapping session cannot flood the API server: the same event of the same object again within
 * {@link #SERIES_WINDOW} is counted in the first one's series, patched at most once per {@link #SERIES_PATCH_INTERVAL};
 * and each object gets at most {@link #BURST} new Events, then one more per {@link #REFILL}, the rest dropped (and
 * logged). Events are a courtesy next to status: one that cannot be written is logged and the pass goes on.
 */
final class EventWriter {
    static final String CONTROLLER = "meshgw.io/operator";
    static final Duration SERIES_WINDOW = Duration.ofMinutes(10);
    static final Duration SERIES_PATCH_INTERVAL = Duration.ofSeconds(30);
    static final int BURST = 10;
    static final Duration REFILL = Duration.ofMinutes(1);

    /** Where a cluster-scoped object's Events go, as client-go's recorders put them. */
    static final String CLUSTER_SCOPED_NAMESPACE = "default";

    private static final Logger LOG = LoggerFactory.getLogger(EventWriter.class);
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private record SeriesKey(String uid, String reason, String note) {}

    /** An Event written, and its repeats since: {@code count} in all, {@code written} of them in the API server. */
    private static final class Series {
        final String namespace;
        final String name;
        final Instant first;
        int count = 1;
        int written = 1;
        Instant lastPatch;
        Instant last;

        Series(String namespace, String name, Instant first) {
            this.namespace = namespace;
            this.name = name;
            this.first = first;
            this.lastPatch = first;
            this.last = first;
        }
    }

    /** Tokens for new Events of one object. */
    private static final class Bucket {
        double tokens = BURST;
        Instant refilled;

        Bucket(Instant now) {
            refilled = now;
        }

        boolean take(Instant now) {
            tokens = Math.min(
                    BURST, tokens + (double) Duration.between(refilled, now).toMillis() / REFILL.toMillis());
            refilled = now;
            if (tokens < 1) return false;
            tokens--;
            return true;
        }
    }

    private final ResourceWriter writer;
    private final Clock clock;
    private final String instance;
    private final Map<SeriesKey, Series> series = new HashMap<>();
    private final Map<String, Bucket> buckets = new HashMap<>();
    /** The last name's number: names must differ even for two Events of one object in one instant. */
    private long lastName;

    /** @param instance this replica's identity (its pod name), the Events' reportingInstance */
    EventWriter(ResourceWriter writer, Clock clock, String instance) {
        this.writer = writer;
        this.clock = clock;
        this.instance = instance;
    }

    void write(HasMetadata regarding, List<ObjectEvent> events) {
        if (events.isEmpty()) return;
        Instant now = clock.instant();
        forget(now);
        for (var event : events) {
            try {
                write(regarding, event, now);
            } catch (KubernetesClientException e) {
                if (ResourceWriter.interrupted(e)) throw e; // the operator is stopping
                LOG.warn("{}: event {} not written: {}", Metadata.ref(regarding), event.reason(), e.getMessage());
            }
        }
    }

    private void write(HasMetadata regarding, ObjectEvent event, Instant now) {
        var key = new SeriesKey(regarding.getMetadata().getUid(), event.reason(), event.note());
        var repeat = series.get(key);
        if (repeat != null) {
            repeat.count++;
            repeat.last = now;
            if (Duration.between(repeat.lastPatch, now).compareTo(SERIES_PATCH_INTERVAL) >= 0) patch(repeat, now);
            return;
        }
        if (!buckets.computeIfAbsent(regarding.getMetadata().getUid(), u -> new Bucket(now))
                .take(now)) {
            LOG.info(
                    "{}: event {} dropped, too many events for one object: {}",
                    Metadata.ref(regarding),
                    event.reason(),
                    event.note());
            return;
        }
        var created = event(regarding, event, now);
        var result = writer.create(created);
        if (result == ResourceWriter.Result.CREATED) {
            series.put(
                    key,
                    new Series(
                            created.getMetadata().getNamespace(),
                            created.getMetadata().getName(),
                            now));
            LOG.info("{}: event {} {}: {}", Metadata.ref(regarding), event.type(), event.reason(), event.note());
        }
    }

    private void patch(Series repeat, Instant now) {
        var count = new EventSeries(repeat.count, new MicroTime(MICRO_TIME.format(repeat.last)));
        writer.patchEventSeries(repeat.namespace, repeat.name, count);
        repeat.written = repeat.count;
        repeat.lastPatch = now;
    }

    /** Ends series older than the window (their last repeats written first) and the buckets of quiet objects. */
    private void forget(Instant now) {
        var it = series.values().iterator();
        while (it.hasNext()) {
            var s = it.next();
            if (Duration.between(s.first, now).compareTo(SERIES_WINDOW) < 0) continue;
            if (s.written < s.count) {
                try {
                    patch(s, now);
                } catch (KubernetesClientException e) {
                    if (ResourceWriter.interrupted(e)) throw e;
                    LOG.debug("event series {}/{} not updated: {}", s.namespace, s.name, e.getMessage());
                }
            }
            it.remove();
        }
        buckets.values().removeIf(b -> Duration.between(b.refilled, now).compareTo(REFILL.multipliedBy(BURST)) > 0);
    }

    private long nameNumber(Instant now) {
        lastName = Math.max(lastName + 1, now.getEpochSecond() * 1_000_000_000L + now.getNano());
        return lastName;
    }

    private Event event(HasMetadata regarding, ObjectEvent event, Instant now) {
        var meta = regarding.getMetadata();
        String namespace = meta.getNamespace() == null || meta.getNamespace().isEmpty()
                ? CLUSTER_SCOPED_NAMESPACE
                : meta.getNamespace();
        return new EventBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                // As client-go names them, the object's name and a time in nanoseconds, here strictly increasing.
                .withName(meta.getName() + "." + Long.toHexString(nameNumber(now)))
                .endMetadata()
                .withRegarding(new ObjectReferenceBuilder()
                        .withApiVersion(regarding.getApiVersion())
                        .withKind(regarding.getKind())
                        .withNamespace(meta.getNamespace())
                        .withName(meta.getName())
                        .withUid(meta.getUid())
                        .withResourceVersion(meta.getResourceVersion())
                        .build())
                .withType(event.type().name())
                .withReason(event.reason())
                .withAction(event.action())
                // The API server refuses a note over 1 kB.
                .withNote(event.note().length() > 1024 ? event.note().substring(0, 1021) + "..." : event.note())
                .withEventTime(new MicroTime(MICRO_TIME.format(now)))
                .withReportingController(CONTROLLER)
                .withReportingInstance(instance)
                .build();
    }
}
