package io.meshgw.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.reconcile.LegacyNameWrites;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Writes of Services and EndpointSlices and what the admission policy must answer: the gateway's own writes (built by
 * the operator's LegacyName writer), anyone else's, and what a stolen gateway service account would try. Shared by the
 * policy's test and its mutation test, which requires every change of an expression to turn at least one answer.
 */
final class ServiceWriteScenarios {
    static final String APPS = "apps";
    static final String KUBE_ADMIN = "kubernetes-admin";
    static final String SLICE_CONTROLLER = "system:serviceaccount:kube-system:endpointslice-controller";

    /**
     * One write and the expected answer.
     *
     * @param cluster what exists besides the written object (the policies look up Services there)
     * @param denials one part of each expected denial message, so each rule that must refuse is named; empty when the
     *     write is allowed
     */
    record Scenario(String name, AdmissionRequest request, List<HasMetadata> cluster, List<String> denials) {
        boolean allowed() {
            return denials.isEmpty();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** The rules' messages, as far as the scenarios tell them apart. */
    static final String UNMARKED_SERVICE =
            "meshgw writes only services labelled app.kubernetes.io/managed-by=meshgw and";

    static final String UNMARKED_SLICE =
            "meshgw writes only endpointslices labelled endpointslice.kubernetes.io/managed-by=meshgw.io/operator and";
    static final String NOT_ITS_SERVICE = "meshgw changes and deletes only services labelled";
    static final String NOT_ITS_SLICE = "meshgw changes and deletes only endpointslices labelled";
    static final String SERVICE_NAME = "meshgw writes a Service only named mainframe, after its LegacyService";
    static final String SLICE_NAMES =
            "meshgw writes an EndpointSlice only named mainframe-ipv4 or mainframe-ipv6 and labelled"
                    + " kubernetes.io/service-name=mainframe";
    static final String NOT_HEADLESS = "meshgw writes only headless Services";
    static final String WEB_IS_NOT_MESHGWS = "Service apps/web is not meshgw's";

    final String gateway;
    final LegacyService mainframe = owner("mainframe", "5a1e0000-0000-4000-8000-000000000001");
    final Service own = stored(LegacyNameWrites.service(mainframe));
    final EndpointSlice ownV4 = stored(LegacyNameWrites.slice(mainframe, false).orElseThrow());
    final EndpointSlice ownV6 = stored(LegacyNameWrites.slice(mainframe, true).orElseThrow());
    /** Somebody else's Service and its slice: what the gateway must never touch. */
    final Service web = stored(new ServiceBuilder()
            .withNewMetadata()
            .withNamespace(APPS)
            .withName("web")
            .withLabels(Map.of("app", "web"))
            .endMetadata()
            .withNewSpec()
            .withType("ClusterIP")
            .withClusterIP("10.96.0.20")
            .withSelector(Map.of("app", "web"))
            .withPorts(new ServicePortBuilder().withPort(80).build())
            .endSpec()
            .build());

    final EndpointSlice webSlice = stored(new EndpointSliceBuilder()
            .withNewMetadata()
            .withNamespace(APPS)
            .withName("web-x7k2p")
            .withLabels(Map.of(
                    "kubernetes.io/service-name", "web",
                    "endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io"))
            .endMetadata()
            .withAddressType("IPv4")
            .withEndpoints(new EndpointBuilder().withAddresses("10.1.0.5").build())
            .build());
    /** The Services of the namespace when the gateway writes its slices. */
    final List<HasMetadata> services = List.of(own, web);

    ServiceWriteScenarios(ChartRender render) {
        gateway = "system:serviceaccount:" + ChartRender.NAMESPACE + ":"
                + render.one(ServiceAccount.class).getMetadata().getName();
    }

    List<Scenario> all() {
        var out = new ArrayList<Scenario>();
        out.addAll(gatewaysOwnWrites());
        out.addAll(othersWrites());
        out.addAll(unmarkedWrites());
        out.addAll(sliceHijacks());
        out.addAll(exposedServices());
        return out;
    }

    /** What the LegacyName writer sends: create, update and delete of its Service and slices. */
    List<Scenario> gatewaysOwnWrites() {
        var v4 = LegacyNameWrites.slice(mainframe, false).orElseThrow();
        var v6 = LegacyNameWrites.slice(mainframe, true).orElseThrow();
        var morePorts = edit(own, s -> {
            s.getSpec()
                    .getPorts()
                    .add(new ServicePortBuilder()
                            .withName("admin")
                            .withPort(9000)
                            .build());
            return s;
        });
        var fewerAddresses = edit(ownV4, s -> {
            s.setEndpoints(
                    List.of(new EndpointBuilder().withAddresses("10.50.1.5").build()));
            return s;
        });
        return List.of(
                allowed(
                        "the gateway creates its Service",
                        AdmissionRequest.create(gateway, LegacyNameWrites.service(mainframe)),
                        List.of()),
                allowed("the gateway creates its IPv4 slice", AdmissionRequest.create(gateway, v4), services),
                allowed("the gateway creates its IPv6 slice", AdmissionRequest.create(gateway, v6), services),
                allowed(
                        "the gateway creates its slice before the Service is seen",
                        AdmissionRequest.create(gateway, v4),
                        List.of(web)),
                allowed(
                        "the gateway changes its Service's ports",
                        AdmissionRequest.update(gateway, own, morePorts),
                        services),
                allowed(
                        "the gateway changes its slice's endpoints",
                        AdmissionRequest.update(gateway, ownV4, fewerAddresses),
                        services),
                allowed("the gateway deletes its Service", AdmissionRequest.delete(gateway, own), services),
                allowed("the gateway deletes its IPv6 slice", AdmissionRequest.delete(gateway, ownV6), services));
    }

    /** The policy is about the gateway's account only. */
    List<Scenario> othersWrites() {
        var exposed = edit(web, s -> {
            s.getSpec().setType("LoadBalancer");
            s.getSpec().setExternalIPs(List.of("203.0.113.9"));
            return s;
        });
        var otherMeshgw = "system:serviceaccount:other:" + gateway.substring(gateway.lastIndexOf(':') + 1);
        return List.of(
                allowed("an admin creates any Service", AdmissionRequest.create(KUBE_ADMIN, exposed), List.of()),
                allowed("an admin deletes meshgw's Service", AdmissionRequest.delete(KUBE_ADMIN, own), services),
                allowed(
                        "the EndpointSlice controller writes its slice",
                        AdmissionRequest.create(SLICE_CONTROLLER, webSlice),
                        services),
                allowed(
                        "an account of the same name in another namespace",
                        AdmissionRequest.update(otherMeshgw, web, exposed),
                        services));
    }

    /** Objects without the writer's marks, before or after the write. */
    List<Scenario> unmarkedWrites() {
        var service = LegacyNameWrites.service(mainframe);
        var slice = LegacyNameWrites.slice(mainframe, false).orElseThrow();
        var out = new ArrayList<Scenario>();
        // Each way to miss the marks, on the new object (create) and on the old one (delete).
        var misses = ServiceWriteScenarios.<Service>ordered(
                "unlabelled", labelled(service, null),
                "labelled by another manager", labelled(service, Map.of("app.kubernetes.io/managed-by", "helm")),
                "with the slices' label",
                        labelled(service, Map.of("endpointslice.kubernetes.io/managed-by", "meshgw.io/operator")),
                "without owner", withOwners(service, List.of()),
                "whose LegacyService is no controller",
                        withOwners(service, List.of(ref(mainframe, r -> r.withController(false)))),
                "whose owner reference leaves controller unset",
                        withOwners(service, List.of(ref(mainframe, r -> r.withController(null)))),
                "controlled by a Deployment",
                        withOwners(
                                service,
                                List.of(ref(
                                        mainframe,
                                        r -> r.withApiVersion("apps/v1").withKind("Deployment")))),
                "controlled by a LegacyService of another group",
                        withOwners(service, List.of(ref(mainframe, r -> r.withApiVersion("evil.example/v1")))));
        misses.forEach((how, missing) -> {
            out.add(denied(
                    "creating a Service " + how,
                    AdmissionRequest.create(gateway, missing),
                    List.of(),
                    UNMARKED_SERVICE));
            out.add(denied(
                    "deleting a Service " + how,
                    AdmissionRequest.delete(gateway, stored(missing)),
                    services,
                    NOT_ITS_SERVICE));
        });
        var sliceMisses = ServiceWriteScenarios.<EndpointSlice>ordered(
                "without the managed-by label", labelled(slice, Map.of("kubernetes.io/service-name", "mainframe")),
                "with the Services' label",
                        labelled(
                                slice,
                                Map.of(
                                        "kubernetes.io/service-name",
                                        "mainframe",
                                        "app.kubernetes.io/managed-by",
                                        "meshgw")),
                "without owner", withOwners(slice, List.of()));
        sliceMisses.forEach((how, missing) -> {
            out.add(denied(
                    "creating a slice " + how, AdmissionRequest.create(gateway, missing), services, UNMARKED_SLICE));
            out.add(denied(
                    "deleting a slice " + how,
                    AdmissionRequest.delete(gateway, stored(missing)),
                    services,
                    NOT_ITS_SLICE));
        });
        // Without any label it names no Service either.
        out.add(denied(
                "creating a slice without labels",
                AdmissionRequest.create(gateway, labelled(slice, null)),
                services,
                UNMARKED_SLICE,
                SLICE_NAMES));
        var hijacked = edit(web, s -> {
            s.getMetadata().setLabels(Map.of("app.kubernetes.io/managed-by", "meshgw"));
            s.getMetadata().setOwnerReferences(List.of(ref(mainframe, r -> r)));
            return s;
        });
        out.add(denied(
                "marking somebody else's Service",
                AdmissionRequest.update(gateway, web, hijacked),
                services,
                NOT_ITS_SERVICE,
                SERVICE_NAME,
                NOT_HEADLESS));
        out.add(denied(
                "unmarking its own Service",
                AdmissionRequest.update(gateway, own, labelled(own, Map.of())),
                services,
                UNMARKED_SERVICE));
        out.add(denied(
                "deleting somebody else's Service", AdmissionRequest.delete(gateway, web), services, NOT_ITS_SERVICE));
        out.add(denied(
                "deleting somebody else's slice", AdmissionRequest.delete(gateway, webSlice), services, NOT_ITS_SLICE));
        return out;
    }

    /**
     * A marked slice whose kubernetes.io/service-name names another Service: kube-proxy would send that Service's
     * traffic to the slice's endpoints.
     */
    List<Scenario> sliceHijacks() {
        var intoWeb = edit(LegacyNameWrites.slice(mainframe, false).orElseThrow(), s -> {
            s.getMetadata().getLabels().put("kubernetes.io/service-name", "web");
            return s;
        });
        var intoWebRenamed = edit(intoWeb, s -> {
            s.getMetadata().setName("web-meshgw");
            return s;
        });
        var strayName = edit(LegacyNameWrites.slice(mainframe, false).orElseThrow(), s -> {
            s.getMetadata().setName("mainframe-extra");
            return s;
        });
        var turned = edit(ownV4, s -> {
            s.getMetadata().getLabels().put("kubernetes.io/service-name", "web");
            return s;
        });
        var out = new ArrayList<Scenario>(List.of(
                denied(
                        "a marked slice joining another Service",
                        AdmissionRequest.create(gateway, intoWeb),
                        services,
                        SLICE_NAMES,
                        WEB_IS_NOT_MESHGWS),
                denied(
                        "a marked slice named after the other Service",
                        AdmissionRequest.create(gateway, intoWebRenamed),
                        services,
                        SLICE_NAMES,
                        WEB_IS_NOT_MESHGWS),
                denied(
                        "a marked slice with a forged owner of the other Service's name",
                        AdmissionRequest.create(gateway, forgedOwnerSlice()),
                        services,
                        WEB_IS_NOT_MESHGWS),
                denied(
                        "a marked slice of its own Service under another name",
                        AdmissionRequest.create(gateway, strayName),
                        services,
                        SLICE_NAMES),
                denied(
                        "its own slice turned to another Service",
                        AdmissionRequest.update(gateway, ownV4, turned),
                        services,
                        SLICE_NAMES,
                        WEB_IS_NOT_MESHGWS)));
        // The forged slice against a Service web that carries some of the marks but is not meshgw's for "web".
        var partly = ServiceWriteScenarios.<Service>ordered(
                "labelled meshgw without owner", labelled(web, Map.of("app.kubernetes.io/managed-by", "meshgw")),
                "labelled meshgw, controlled by LegacyService mainframe",
                        withOwners(
                                labelled(web, Map.of("app.kubernetes.io/managed-by", "meshgw")),
                                List.of(ref(mainframe, r -> r))),
                "controlled by LegacyService web, labelled by helm",
                        withOwners(
                                labelled(web, Map.of("app.kubernetes.io/managed-by", "helm")),
                                List.of(ref(owner("web", "5a1e0000-0000-4000-8000-0000000000ff"), r -> r))),
                "labelled meshgw, LegacyService web no controller",
                        withOwners(
                                labelled(web, Map.of("app.kubernetes.io/managed-by", "meshgw")),
                                List.of(ref(
                                        owner("web", "5a1e0000-0000-4000-8000-0000000000ff"),
                                        r -> r.withController(false)))),
                "labelled meshgw, controller reference unset",
                        withOwners(
                                labelled(web, Map.of("app.kubernetes.io/managed-by", "meshgw")),
                                List.of(ref(
                                        owner("web", "5a1e0000-0000-4000-8000-0000000000ff"),
                                        r -> r.withController(null)))),
                "labelled meshgw, controlled by Deployment web",
                        withOwners(
                                labelled(web, Map.of("app.kubernetes.io/managed-by", "meshgw")),
                                List.of(ref(
                                        owner("web", "5a1e0000-0000-4000-8000-0000000000ff"),
                                        r -> r.withApiVersion("apps/v1").withKind("Deployment")))),
                "labelled meshgw, controlled by a LegacyService web of another group",
                        withOwners(
                                labelled(web, Map.of("app.kubernetes.io/managed-by", "meshgw")),
                                List.of(ref(
                                        owner("web", "5a1e0000-0000-4000-8000-0000000000ff"),
                                        r -> r.withApiVersion("evil.example/v1")))));
        partly.forEach((how, victim) -> out.add(denied(
                "a forged slice for a Service " + how,
                AdmissionRequest.create(gateway, forgedOwnerSlice()),
                List.of(own, victim),
                WEB_IS_NOT_MESHGWS)));
        return out;
    }

    /**
     * A slice adding endpoints to Service web with every mark: the owner reference is only data, so a stolen account
     * can name a LegacyService "web" that does not exist, and the slice's names agree with it.
     */
    EndpointSlice forgedOwnerSlice() {
        return withOwners(
                edit(LegacyNameWrites.slice(mainframe, false).orElseThrow(), s -> {
                    s.getMetadata().setName("web-ipv4");
                    s.getMetadata().getLabels().put("kubernetes.io/service-name", "web");
                    return s;
                }),
                List.of(ref(owner("web", "5a1e0000-0000-4000-8000-0000000000ff"), r -> r)));
    }

    /** A marked Service reachable from outside: only a headless ClusterIP Service is the writer's. */
    List<Scenario> exposedServices() {
        var service = LegacyNameWrites.service(mainframe);
        var externalIps = edit(service, s -> {
            s.getSpec().setExternalIPs(List.of("203.0.113.9"));
            return s;
        });
        var nodePort = edit(service, s -> {
            s.getSpec().setType("NodePort");
            return s;
        });
        var loadBalancer = edit(service, s -> {
            s.getSpec().setType("LoadBalancer");
            return s;
        });
        var externalName = edit(service, s -> {
            s.getSpec().setType("ExternalName");
            s.getSpec().setClusterIP(null);
            s.getSpec().setExternalName("evil.example");
            return s;
        });
        var clusterIp = edit(service, s -> {
            s.getSpec().setClusterIP("10.96.0.30");
            return s;
        });
        var exposedLater = edit(own, s -> {
            s.getSpec().setExternalIPs(List.of("203.0.113.9"));
            return s;
        });
        var otherName = edit(service, s -> {
            s.getMetadata().setName("payments");
            return s;
        });
        return List.of(
                denied(
                        "a marked Service with externalIPs",
                        AdmissionRequest.create(gateway, externalIps),
                        List.of(),
                        NOT_HEADLESS),
                denied(
                        "a marked NodePort Service",
                        AdmissionRequest.create(gateway, nodePort),
                        List.of(),
                        NOT_HEADLESS),
                denied(
                        "a marked LoadBalancer Service",
                        AdmissionRequest.create(gateway, loadBalancer),
                        List.of(),
                        NOT_HEADLESS),
                denied(
                        "a marked ExternalName Service",
                        AdmissionRequest.create(gateway, externalName),
                        List.of(),
                        NOT_HEADLESS),
                denied(
                        "a marked Service with a cluster IP",
                        AdmissionRequest.create(gateway, clusterIp),
                        List.of(),
                        NOT_HEADLESS),
                denied(
                        "its own Service given externalIPs",
                        AdmissionRequest.update(gateway, own, exposedLater),
                        services,
                        NOT_HEADLESS),
                denied(
                        "a marked Service named other than its LegacyService",
                        AdmissionRequest.create(gateway, otherName),
                        List.of(),
                        SERVICE_NAME));
    }

    // --- building blocks

    static Scenario allowed(String name, AdmissionRequest request, List<HasMetadata> cluster) {
        return new Scenario(name, request, cluster, List.of());
    }

    static Scenario denied(String name, AdmissionRequest request, List<HasMetadata> cluster, String... denials) {
        return new Scenario(name, request, cluster, List.of(denials));
    }

    static LegacyService owner(String name, String uid) {
        var owner = LegacyNameWrites.legacyService(APPS, name, 3270, "10.50.1.5", "10.50.2.5", "2001:db8:50::5");
        owner.getMetadata().setUid(uid);
        return owner;
    }

    /** The object as the API server stores it: with uid, resourceVersion and the defaults a Service gets. */
    static <T extends HasMetadata> T stored(T object) {
        T copy = copy(object);
        copy.getMetadata()
                .setUid("0b1ec700-0000-4000-8000-"
                        + String.format(
                                "%012x", Math.abs(object.getMetadata().getName().hashCode())));
        copy.getMetadata().setResourceVersion("41");
        copy.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
        if (copy instanceof Service s) {
            var spec = s.getSpec();
            spec.setClusterIPs(List.of(spec.getClusterIP()));
            spec.setIpFamilies(List.of("IPv4"));
            spec.setIpFamilyPolicy("SingleStack");
            spec.setSessionAffinity("None");
            spec.setInternalTrafficPolicy("Cluster");
        }
        return copy;
    }

    static <T extends HasMetadata> T edit(T object, UnaryOperator<T> change) {
        return change.apply(copy(object));
    }

    /** Name, value, name, value...: in this order, so the scenarios keep theirs. */
    @SuppressWarnings("unchecked")
    static <V> Map<String, V> ordered(Object... pairs) {
        var map = new LinkedHashMap<String, V>();
        for (int i = 0; i < pairs.length; i += 2) map.put((String) pairs[i], (V) pairs[i + 1]);
        return map;
    }

    static <T extends HasMetadata> T labelled(T object, Map<String, String> labels) {
        return edit(object, o -> {
            o.getMetadata().setLabels(labels);
            return o;
        });
    }

    static <T extends HasMetadata> T withOwners(T object, List<OwnerReference> refs) {
        return edit(object, o -> {
            o.getMetadata().setOwnerReferences(refs);
            return o;
        });
    }

    static OwnerReference ref(LegacyService owner, UnaryOperator<OwnerReferenceBuilder> change) {
        return change.apply(new OwnerReferenceBuilder()
                        .withApiVersion("meshgw.io/v1alpha1")
                        .withKind("LegacyService")
                        .withName(owner.getMetadata().getName())
                        .withUid(owner.getMetadata().getUid())
                        .withController(true))
                .build();
    }

    static <T extends HasMetadata> T copy(T object) {
        return SERIALIZATION.clone(object);
    }
}
