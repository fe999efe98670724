package io.meshgw.operator.reconcile;

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
import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.desired.LegacyNameOwnership;
import io.meshgw.operator.plan.LegacyName;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpFamily;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Service and EndpointSlices that make a LegacyService a name cluster DNS answers, built purely from its
 * {@link LegacyName}: a selectorless headless Service of the same namespace and name and one EndpointSlice per
 * address family, both controlled by the LegacyService. Also what counts as a difference from what the cluster holds,
 * and how a cached object is changed to match without touching fields others own.
 */
final class LegacyNameObjects {
    /** A headless Service: DNS answers with the endpoints' addresses instead of a cluster IP. */
    static final String HEADLESS = "None";

    private LegacyNameObjects() {}

    /** One EndpointSlice per family, as discovery.k8s.io/v1 requires; named {@code <service>-<suffix>}. */
    enum Family {
        IPV4("IPv4", "ipv4", IpFamily.IPV4),
        IPV6("IPv6", "ipv6", IpFamily.IPV6);

        final String addressType;
        final String suffix;
        final IpFamily family;

        Family(String addressType, String suffix, IpFamily family) {
            this.addressType = addressType;
            this.suffix = suffix;
            this.family = family;
        }

        ObjectKey slice(ObjectKey service) {
            return new ObjectKey(service.namespace(), service.name() + "-" + suffix);
        }

        List<IpAddress> of(List<IpAddress> addresses) {
            return addresses.stream().filter(a -> a.family() == family).toList();
        }
    }

    static Service service(LegacyName name, LegacyService owner) {
        var ports = name.ports().stream()
                .map(p -> new ServicePortBuilder()
                        .withName(p.name().isEmpty() ? null : p.name())
                        .withProtocol(p.protocol().name())
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

    /** @param addresses of the slice's family, not empty */
    static EndpointSlice slice(LegacyName name, LegacyService owner, Family family, List<IpAddress> addresses) {
        var labels = new LinkedHashMap<String, String>();
        labels.put(LegacyNameOwnership.SERVICE_NAME_LABEL, name.service().name());
        labels.put(LegacyNameOwnership.SLICE_MANAGED_BY_LABEL, LegacyNameOwnership.SLICE_MANAGER);
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace(name.service().namespace())
                .withName(family.slice(name.service()).name())
                .withLabels(labels)
                .withOwnerReferences(ownerReference(owner))
                .endMetadata()
                .withAddressType(family.addressType)
                .withEndpoints(addresses.stream()
                        .map(a -> new EndpointBuilder()
                                .withAddresses(a.toString())
                                .withNewConditions()
                                .withReady(true)
                                .endConditions()
                                .build())
                        .toList())
                .withPorts(name.ports().stream()
                        .map(p -> new EndpointPortBuilder()
                                .withName(p.name())
                                .withProtocol(p.protocol().name())
                                .withPort(p.port())
                                .build())
                        .toList())
                .build();
    }

    private static OwnerReference ownerReference(LegacyService owner) {
        // No blockOwnerDeletion: it would need update on legacyservices/finalizers, and the writer deletes anyway.
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(LegacyNameOwnership.OWNER_KIND)
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .build();
    }

    /**
     * Compares only what the writer sets: the API server fills in defaults (cluster IPs, families, session affinity)
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

    /** The cached Service with the writer's fields set to {@code wanted}'s; everything else kept. */
    static Service updated(Service current, Service wanted) {
        adopt(current, wanted);
        current.getSpec().setSelector(null);
        current.getSpec().setPorts(wanted.getSpec().getPorts());
        return current;
    }

    /** The cached EndpointSlice with the writer's fields set to {@code wanted}'s; everything else kept. */
    static EndpointSlice updated(EndpointSlice current, EndpointSlice wanted) {
        adopt(current, wanted);
        current.setEndpoints(wanted.getEndpoints());
        current.setPorts(wanted.getPorts());
        return current;
    }

    /** The wanted labels added, and the controller reference replaced by the LegacyService's. */
    private static void adopt(HasMetadata current, HasMetadata wanted) {
        var metadata = current.getMetadata();
        var labels = metadata.getLabels() == null ? new HashMap<String, String>() : new HashMap<>(metadata.getLabels());
        labels.putAll(wanted.getMetadata().getLabels());
        metadata.setLabels(labels);
        var refs = new ArrayList<OwnerReference>();
        if (metadata.getOwnerReferences() != null) {
            metadata.getOwnerReferences().stream()
                    .filter(r -> !Boolean.TRUE.equals(r.getController()))
                    .forEach(refs::add);
        }
        refs.addAll(wanted.getMetadata().getOwnerReferences());
        metadata.setOwnerReferences(refs);
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

    /** Slices this operator keeps carry its manager label; controllers leave slices with another manager alone. */
    static boolean managedHere(EndpointSlice slice) {
        var labels = slice.getMetadata().getLabels();
        return labels != null
                && LegacyNameOwnership.SLICE_MANAGER.equals(labels.get(LegacyNameOwnership.SLICE_MANAGED_BY_LABEL));
    }
}
