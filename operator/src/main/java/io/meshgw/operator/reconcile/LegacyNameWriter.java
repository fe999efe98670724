package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.desired.DesiredState;
import io.meshgw.operator.desired.LegacyNameOwnership;
import io.meshgw.operator.desired.Metadata;
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.model.IpAddresses;
import io.meshgw.operator.port.LegacyName;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes each LegacyService a name cluster DNS answers: a selectorless headless Service of the same namespace and name
 * and one EndpointSlice per address family with the name's addresses, both controlled by the LegacyService. Compares
 * with the informer caches and writes only what differs, so a quiet pass writes nothing. Removes what it keeps for a
 * LegacyService that is gone or no longer applied itself: garbage collection would too, but not while the operator
 * races a re-created LegacyService, and not where no collector runs.
 *
 * <p>It never touches a Service or EndpointSlice another controller owns: the model reports a same-named Service as
 * a Conflict and leaves that LegacyService out of {@link DesiredState#legacyNames()}.
 */
final class LegacyNameWriter {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyNameWriter.class);

    /** A headless Service: DNS answers with the endpoints' addresses instead of a cluster IP. */
    static final String HEADLESS = "None";

    /** One EndpointSlice per family, as discovery.k8s.io/v1 requires; named {@code <service>-<suffix>}. */
    enum Family {
        IPV4("IPv4", "ipv4", 32),
        IPV6("IPv6", "ipv6", 128);

        final String addressType;
        final String suffix;
        final int bits;

        Family(String addressType, String suffix, int bits) {
            this.addressType = addressType;
            this.suffix = suffix;
            this.bits = bits;
        }

        String sliceName(ObjectKey service) {
            return service.name() + "-" + suffix;
        }

        List<String> of(List<String> addresses) {
            return addresses.stream()
                    .filter(a -> IpAddresses.parse(a).map(IpAddresses::bits).orElse(0) == bits)
                    .toList();
        }
    }

    private final KubernetesClient client;

    LegacyNameWriter(KubernetesClient client) {
        this.client = client;
    }

    /** @return the LegacyServices whose objects failed to write (the next pass retries) */
    List<ResourceRef> write(Snapshot snapshot, DesiredState desired) {
        var owners = index(snapshot.legacyServices());
        var services = index(snapshot.services());
        var slices = index(snapshot.endpointSlices());
        var failed = new ArrayList<ResourceRef>();
        for (var name : desired.legacyNames().values()) {
            var owner = owners.get(name.service());
            if (owner == null) continue;
            var ref = Metadata.ref(owner);
            guarded(ref, failed, () -> {
                writeService(ref, name, owner, services.get(name.service()));
                for (var family : Family.values()) {
                    var key = new ObjectKey(name.service().namespace(), family.sliceName(name.service()));
                    writeSlice(ref, name, owner, family, slices.get(key));
                }
            });
        }
        removeStale(desired, snapshot, failed);
        return failed;
    }

    private void writeService(ResourceRef ref, LegacyName name, LegacyService owner, Service current) {
        var wanted = service(name, owner);
        if (current == null) {
            create(ref, wanted, "Service " + name.service() + " created, ports " + name.ports());
        } else if (!LegacyNameOwnership.controlledBy(current, name.service())) {
            // The model saw no such Service yet (a stale cache): leave it, the next pass reports the Conflict.
            LOG.warn("{}: Service {} is not controlled by it; left alone", ref, name.service());
        } else if (!sameService(current, wanted)) {
            var next = clone(current);
            next.getMetadata().setLabels(merged(current.getMetadata().getLabels(), wanted));
            next.getMetadata().setOwnerReferences(owned(current, wanted));
            next.getSpec().setSelector(null);
            next.getSpec().setPorts(wanted.getSpec().getPorts());
            client.resource(next).update();
            LOG.info("{}: Service {} updated, ports {}", ref, name.service(), name.ports());
        }
    }

    /** A family without addresses has no slice: {@link #removeStale} deletes the one it had. */
    private void writeSlice(
            ResourceRef ref, LegacyName name, LegacyService owner, Family family, EndpointSlice current) {
        var addresses = family.of(name.addresses());
        if (addresses.isEmpty()) return;
        var sliceKey = new ObjectKey(name.service().namespace(), family.sliceName(name.service()));
        var wanted = slice(name, owner, family, addresses);
        if (current == null) {
            create(ref, wanted, "EndpointSlice " + sliceKey + " created, addresses " + addresses);
        } else if (!LegacyNameOwnership.controlledBy(current, name.service())) {
            LOG.warn("{}: EndpointSlice {} is not controlled by it; {} addresses not published", ref, sliceKey, family);
        } else if (!Objects.equals(current.getAddressType(), wanted.getAddressType())) {
            // addressType is immutable: replace the slice (the next pass creates it again).
            delete(ref, current, "EndpointSlice " + sliceKey + " deleted: address type " + current.getAddressType());
        } else if (!sameSlice(current, wanted)) {
            var next = clone(current);
            next.getMetadata().setLabels(merged(current.getMetadata().getLabels(), wanted));
            next.getMetadata().setOwnerReferences(owned(current, wanted));
            next.setEndpoints(wanted.getEndpoints());
            next.setPorts(wanted.getPorts());
            client.resource(next).update();
            LOG.info("{}: EndpointSlice {} updated, addresses {}", ref, sliceKey, addresses);
        }
    }

    /** Deletes the Services and EndpointSlices a LegacyService controls that the desired state no longer has. */
    private void removeStale(DesiredState desired, Snapshot snapshot, List<ResourceRef> failed) {
        var wantedSlices = new HashSet<ObjectKey>();
        for (var name : desired.legacyNames().values()) {
            for (var family : Family.values()) {
                if (!family.of(name.addresses()).isEmpty()) {
                    wantedSlices.add(new ObjectKey(name.service().namespace(), family.sliceName(name.service())));
                }
            }
        }
        for (var service : snapshot.services()) {
            var owner = LegacyNameOwnership.controller(service);
            // Only the same-named Service this writer creates; an owner reference on any other is someone else's.
            if (owner.isEmpty() || !owner.get().equals(Metadata.key(service))) continue;
            if (desired.legacyNames().containsKey(owner.get())) continue;
            var ref = new ResourceRef(LegacyNameOwnership.OWNER_KIND, owner.get());
            guarded(
                    ref,
                    failed,
                    () -> delete(
                            ref,
                            service,
                            "Service " + owner.get() + " deleted: the LegacyService is gone or not applied"));
        }
        for (var slice : snapshot.endpointSlices()) {
            var owner = LegacyNameOwnership.controller(slice);
            if (owner.isEmpty() || !managedHere(slice) || wantedSlices.contains(Metadata.key(slice))) continue;
            var ref = new ResourceRef(LegacyNameOwnership.OWNER_KIND, owner.get());
            var why = desired.legacyNames().containsKey(owner.get())
                    ? "no " + slice.getAddressType() + " address to resolve to"
                    : "the LegacyService is gone or not applied";
            guarded(ref, failed, () -> delete(ref, slice, "EndpointSlice " + Metadata.key(slice) + " deleted: " + why));
        }
    }

    static Service service(LegacyName name, LegacyService owner) {
        var ports = name.ports().stream()
                .map(p -> new ServicePortBuilder()
                        .withName(p.name().isEmpty() ? null : p.name())
                        .withProtocol(p.protocol())
                        .withPort(p.port())
                        .withTargetPort(new IntOrString(p.port()))
                        .build())
                .toList();
        return new ServiceBuilder()
                .withNewMetadata()
                .withNamespace(name.service().namespace())
                .withName(name.service().name())
                .withLabels(Map.of(LegacyNameOwnership.MANAGED_BY_LABEL, LegacyNameOwnership.MANAGED_BY))
                .withOwnerReferences(ownerReference(owner))
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withClusterIP(HEADLESS)
                .withPorts(ports)
                .endSpec()
                .build();
    }

    static EndpointSlice slice(LegacyName name, LegacyService owner, Family family, List<String> addresses) {
        var labels = new LinkedHashMap<String, String>();
        labels.put(LegacyNameOwnership.SERVICE_NAME_LABEL, name.service().name());
        labels.put(LegacyNameOwnership.SLICE_MANAGED_BY_LABEL, LegacyNameOwnership.SLICE_MANAGER);
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace(name.service().namespace())
                .withName(family.sliceName(name.service()))
                .withLabels(labels)
                .withOwnerReferences(ownerReference(owner))
                .endMetadata()
                .withAddressType(family.addressType)
                .withEndpoints(addresses.stream()
                        .map(a -> new EndpointBuilder()
                                .withAddresses(a)
                                .withNewConditions()
                                .withReady(true)
                                .endConditions()
                                .build())
                        .toList())
                .withPorts(name.ports().stream()
                        .map(p -> new EndpointPortBuilder()
                                .withName(p.name())
                                .withProtocol(p.protocol())
                                .withPort(p.port())
                                .build())
                        .toList())
                .build();
    }

    private static OwnerReference ownerReference(LegacyService owner) {
        // No blockOwnerDeletion: it would need update on legacyservices/finalizers, and this writer deletes anyway.
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(LegacyNameOwnership.OWNER_KIND)
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .build();
    }

    /**
     * Compares only what this writer sets: the API server fills in defaults (cluster IPs, families, session affinity)
     * that must not count as a difference.
     */
    static boolean sameService(Service current, Service wanted) {
        var spec = current.getSpec();
        return spec != null
                && ownedAndLabelled(current, wanted)
                && (spec.getSelector() == null || spec.getSelector().isEmpty())
                && Objects.equals(servicePorts(current), servicePorts(wanted));
    }

    static boolean sameSlice(EndpointSlice current, EndpointSlice wanted) {
        return ownedAndLabelled(current, wanted)
                && Objects.equals(endpoints(current), endpoints(wanted))
                && Objects.equals(slicePorts(current), slicePorts(wanted));
    }

    private static boolean ownedAndLabelled(HasMetadata current, HasMetadata wanted) {
        var labels = current.getMetadata().getLabels();
        var refs = current.getMetadata().getOwnerReferences();
        return labels != null
                && labels.entrySet()
                        .containsAll(wanted.getMetadata().getLabels().entrySet())
                && refs != null
                && refs.containsAll(wanted.getMetadata().getOwnerReferences());
    }

    private static List<String> servicePorts(Service service) {
        var ports = service.getSpec().getPorts();
        if (ports == null) return List.of();
        return ports.stream()
                .map(p -> Objects.toString(p.getName(), "") + "=" + p.getPort() + "/" + p.getProtocol())
                .toList();
    }

    private static List<String> slicePorts(EndpointSlice slice) {
        if (slice.getPorts() == null) return List.of();
        return slice.getPorts().stream()
                .map(p -> Objects.toString(p.getName(), "") + "=" + p.getPort() + "/" + p.getProtocol())
                .toList();
    }

    private static List<String> endpoints(EndpointSlice slice) {
        if (slice.getEndpoints() == null) return List.of();
        return slice.getEndpoints().stream()
                .map(e -> e.getAddresses() + " ready="
                        + (e.getConditions() != null
                                && Boolean.TRUE.equals(e.getConditions().getReady())))
                .toList();
    }

    private static Map<String, String> merged(Map<String, String> current, HasMetadata wanted) {
        var labels = current == null ? new HashMap<String, String>() : new HashMap<>(current);
        labels.putAll(wanted.getMetadata().getLabels());
        return labels;
    }

    /** The current owner references with the LegacyService's controller reference replaced by the wanted one. */
    private static List<OwnerReference> owned(HasMetadata current, HasMetadata wanted) {
        var refs = new ArrayList<OwnerReference>();
        if (current.getMetadata().getOwnerReferences() != null) {
            current.getMetadata().getOwnerReferences().stream()
                    .filter(r -> !Boolean.TRUE.equals(r.getController()))
                    .forEach(refs::add);
        }
        refs.addAll(wanted.getMetadata().getOwnerReferences());
        return refs;
    }

    private static boolean managedHere(EndpointSlice slice) {
        var labels = slice.getMetadata().getLabels();
        return labels != null
                && LegacyNameOwnership.SLICE_MANAGER.equals(labels.get(LegacyNameOwnership.SLICE_MANAGED_BY_LABEL));
    }

    private void create(ResourceRef ref, HasMetadata object, String done) {
        try {
            client.resource(object).create();
            LOG.info("{}: {}", ref, done);
        } catch (KubernetesClientException e) {
            // 409: it exists but the cache has not seen it yet; its event brings another pass.
            if (e.getCode() != 409) throw e;
        }
    }

    /**
     * Deletes the object only if it is still the one the cache saw: the cache may be stale, and by now the name may
     * belong to an object someone else created (or ours may have changed). Preconditions on its uid and
     * resourceVersion make the API server refuse such a delete with 409 instead of deleting by name. fabric8's
     * {@code lockResourceVersion} sends the resourceVersion only, so the DeleteOptions go out as they are.
     */
    private void delete(ResourceRef ref, HasMetadata object, String done) {
        var meta = object.getMetadata();
        var options = new DeleteOptionsBuilder()
                .withNewPreconditions()
                .withUid(meta.getUid())
                .withResourceVersion(meta.getResourceVersion())
                .endPreconditions()
                .build();
        try {
            client.raw(path(object), "DELETE", options);
            LOG.info("{}: {}", ref, done);
        } catch (KubernetesClientException e) {
            // 404: gone already. 409: no longer the object the cache saw, so not ours to delete; the next pass sees.
            if (e.getCode() != 404 && e.getCode() != 409) throw e;
            LOG.debug("{}: {} {} not deleted: {}", ref, object.getKind(), Metadata.key(object), e.getCode());
        }
    }

    /** The object's URL path, as the API server serves the group and version of its class. */
    static String path(HasMetadata object) {
        var type = object.getClass();
        var group = HasMetadata.getGroup(type);
        var api = group == null || group.isEmpty() ? "/api/" : "/apis/" + group + "/";
        return api + HasMetadata.getVersion(type) + "/namespaces/"
                + object.getMetadata().getNamespace() + "/" + HasMetadata.getPlural(type) + "/"
                + object.getMetadata().getName();
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> T clone(T object) {
        return (T) client.getKubernetesSerialization().clone(object);
    }

    /** One LegacyService's writes: a refused write (changed meanwhile, or gone) is left to the next pass. */
    private static void guarded(ResourceRef ref, List<ResourceRef> failed, Runnable writes) {
        try {
            writes.run();
        } catch (KubernetesClientException e) {
            if (StatusWriter.interrupted(e)) throw e; // the operator is stopping
            if (e.getCode() == 404 || e.getCode() == 409) return;
            LOG.warn("{}: writing its Service or EndpointSlices failed: {}", ref, e.getMessage());
            failed.add(ref);
        }
    }

    private static <T extends HasMetadata> Map<ObjectKey, T> index(List<T> objects) {
        return objects.stream().collect(Collectors.toMap(Metadata::key, Function.identity(), (a, b) -> a));
    }
}
