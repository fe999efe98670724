package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.desired.LegacyNameOwnership;
import io.meshgw.operator.desired.Metadata;
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.plan.LegacyName;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.operator.reconcile.LegacyNameObjects.Family;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Services and EndpointSlices that make each LegacyService of the plan a name cluster DNS answers
 * ({@link LegacyNameObjects}), comparing with the informer caches so a quiet pass writes nothing. Removes what it
 * keeps for a LegacyService that is gone or no longer applied itself: garbage collection would too, but not while
 * the operator races a re-created LegacyService, and not where no collector runs.
 *
 * <p>It never touches a Service or EndpointSlice another controller owns: the planner reports a same-named Service
 * as a Conflict and leaves that LegacyService out of {@link Plan#legacyNames()}.
 */
final class LegacyNameWriter {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyNameWriter.class);

    private final ResourceWriter writer;

    LegacyNameWriter(ResourceWriter writer) {
        this.writer = writer;
    }

    /** @return the LegacyServices whose objects failed to write (the next pass retries) */
    List<ResourceRef> write(Snapshot snapshot, Plan plan) {
        var owners = index(snapshot.legacyServices());
        var services = index(snapshot.services());
        var slices = index(snapshot.endpointSlices());
        var failed = new ArrayList<ResourceRef>();
        for (var name : plan.legacyNames().values()) {
            var owner = owners.get(name.service());
            if (owner == null) continue;
            var ref = Metadata.ref(owner);
            guarded(ref, failed, () -> {
                writeService(ref, name, owner, services.get(name.service()));
                for (var family : Family.values()) {
                    writeSlice(ref, name, owner, family, slices.get(family.slice(name.service())));
                }
            });
        }
        removeStale(plan, snapshot, failed);
        return failed;
    }

    private void writeService(ResourceRef ref, LegacyName name, LegacyService owner, Service current) {
        if (current != null && !LegacyNameOwnership.controlledBy(current, name.service())) {
            // The planner saw no such Service yet (a stale cache): leave it, the next pass reports the Conflict.
            LOG.warn("{}: Service {} is not controlled by it; left alone", ref, name.service());
            return;
        }
        var wanted = LegacyNameObjects.service(name, owner);
        var result = writer.createOrUpdate(
                current, wanted, LegacyNameObjects::sameService, c -> LegacyNameObjects.updated(c, wanted));
        if (result.wrote()) {
            LOG.info("{}: Service {} {}, ports {}", ref, name.service(), verb(result), name.ports());
        }
    }

    /** A family without addresses has no slice: {@link #removeStale} deletes the one it had. */
    private void writeSlice(
            ResourceRef ref, LegacyName name, LegacyService owner, Family family, EndpointSlice current) {
        var addresses = family.of(name.addresses());
        if (addresses.isEmpty()) return;
        var sliceKey = family.slice(name.service());
        if (current != null && !LegacyNameOwnership.controlledBy(current, name.service())) {
            LOG.warn("{}: EndpointSlice {} is not controlled by it; {} addresses not published", ref, sliceKey, family);
            return;
        }
        var wanted = LegacyNameObjects.slice(name, owner, family, addresses);
        if (current != null && !Objects.equals(current.getAddressType(), wanted.getAddressType())) {
            // addressType is immutable: replace the slice (the next pass creates it again).
            if (writer.delete(current).wrote()) {
                LOG.info("{}: EndpointSlice {} deleted: address type {}", ref, sliceKey, current.getAddressType());
            }
            return;
        }
        var result = writer.createOrUpdate(
                current, wanted, LegacyNameObjects::sameSlice, c -> LegacyNameObjects.updated(c, wanted));
        if (result.wrote()) {
            LOG.info("{}: EndpointSlice {} {}, addresses {}", ref, sliceKey, verb(result), addresses);
        }
    }

    /** Deletes the Services and EndpointSlices a LegacyService controls that the plan no longer has. */
    private void removeStale(Plan plan, Snapshot snapshot, List<ResourceRef> failed) {
        var wantedSlices = new HashSet<ObjectKey>();
        for (var name : plan.legacyNames().values()) {
            for (var family : Family.values()) {
                if (!family.of(name.addresses()).isEmpty()) wantedSlices.add(family.slice(name.service()));
            }
        }
        for (var service : snapshot.services()) {
            var owner = LegacyNameOwnership.controller(service);
            // Only the same-named Service this writer creates; an owner reference on any other is someone else's.
            if (owner.isEmpty() || !owner.get().equals(Metadata.key(service))) continue;
            if (plan.legacyNames().containsKey(owner.get())) continue;
            var ref = new ResourceRef(LegacyNameOwnership.OWNER_KIND, owner.get());
            guarded(ref, failed, () -> {
                if (writer.delete(service).wrote()) {
                    LOG.info("{}: Service {} deleted: the LegacyService is gone or not applied", ref, owner.get());
                }
            });
        }
        for (var slice : snapshot.endpointSlices()) {
            var owner = LegacyNameOwnership.controller(slice);
            if (owner.isEmpty() || !LegacyNameObjects.managedHere(slice) || wantedSlices.contains(Metadata.key(slice)))
                continue;
            var ref = new ResourceRef(LegacyNameOwnership.OWNER_KIND, owner.get());
            var why = plan.legacyNames().containsKey(owner.get())
                    ? "no " + slice.getAddressType() + " address to resolve to"
                    : "the LegacyService is gone or not applied";
            guarded(ref, failed, () -> {
                if (writer.delete(slice).wrote()) {
                    LOG.info("{}: EndpointSlice {} deleted: {}", ref, Metadata.key(slice), why);
                }
            });
        }
    }

    private static String verb(ResourceWriter.Result result) {
        return result == ResourceWriter.Result.CREATED ? "created" : "updated";
    }

    /** One LegacyService's writes: an error other than a stale cache fails it, and the next pass retries. */
    private static void guarded(ResourceRef ref, List<ResourceRef> failed, Runnable writes) {
        try {
            writes.run();
        } catch (KubernetesClientException e) {
            if (ResourceWriter.interrupted(e)) throw e; // the operator is stopping
            LOG.warn("{}: writing its Service or EndpointSlices failed: {}", ref, e.getMessage());
            failed.add(ref);
        }
    }

    private static <T extends HasMetadata> Map<ObjectKey, T> index(List<T> objects) {
        return objects.stream().collect(Collectors.toMap(Metadata::key, Function.identity(), (a, b) -> a));
    }
}
