package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.meshgw.operator.crd.AddressPoolSpec;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.BgpPeerSpec;
import io.meshgw.operator.crd.BgpPolicy;
import io.meshgw.operator.crd.BgpPolicySpec;
import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.crd.EgressIdentitySpec;
import io.meshgw.operator.crd.EgressIdentityStatus;
import io.meshgw.operator.crd.EgressIpPool;
import io.meshgw.operator.crd.EgressIpPoolSpec;
import io.meshgw.operator.crd.LegacyVipPool;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.crd.MeshServiceExportSpec;
import io.meshgw.operator.crd.MeshServiceExportStatus;
import io.meshgw.operator.crd.PrefixMatch;
import io.meshgw.operator.crd.SecretKeyRef;
import io.meshgw.operator.plan.Community;
import io.meshgw.operator.port.LearnedRoute;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.ClusterId;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Objects for model tests, shaped like what the API server returns. */
public final class Fixtures {
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** The cluster the tests plan for, and another cluster of its mesh. */
    public static final ClusterId EAST = new ClusterId(1, "east");

    public static final ClusterId WEST = new ClusterId(2, "west");

    private Fixtures() {}

    public static <T extends HasMetadata> T meta(T object, String ns, String name, int ageRank) {
        object.setMetadata(new ObjectMetaBuilder()
                .withNamespace(ns)
                .withName(name)
                .withGeneration(1L)
                .withCreationTimestamp(T0.plusSeconds(ageRank).toString())
                .build());
        return object;
    }

    public static LegacyVipPool vipPool(String name, String... cidrs) {
        var pool = meta(new LegacyVipPool(), null, name, 0);
        pool.setSpec(poolSpec(cidrs));
        return pool;
    }

    /** An EgressIpPool that serves every namespace. */
    public static EgressIpPool egressPool(String name, String... cidrs) {
        return egressPoolFor(name, List.of(EgressIpPoolSpec.EVERY_NAMESPACE), cidrs);
    }

    /** An EgressIpPool that serves {@code namespaces} ({@code allowedNamespaces}; none when empty). */
    public static EgressIpPool egressPoolFor(String name, List<String> namespaces, String... cidrs) {
        var pool = meta(new EgressIpPool(), null, name, 0);
        var spec = poolSpec(new EgressIpPoolSpec(), cidrs);
        spec.allowedNamespaces.addAll(namespaces);
        pool.setSpec(spec);
        return pool;
    }

    private static AddressPoolSpec poolSpec(String... cidrs) {
        return poolSpec(new AddressPoolSpec(), cidrs);
    }

    private static <S extends AddressPoolSpec> S poolSpec(S spec, String... cidrs) {
        spec.cidrs.addAll(List.of(cidrs));
        spec.communities.add("65000:100");
        return spec;
    }

    /** An export of ns/name created at T0 + ageRank seconds, exposed through {@code pool} when not null. */
    public static MeshServiceExport export(String ns, String name, int ageRank, String pool) {
        var export = meta(new MeshServiceExport(), ns, name, ageRank);
        export.setSpec(new MeshServiceExportSpec());
        if (pool != null) {
            export.getSpec().legacy = new MeshServiceExportSpec.LegacyExposure();
            export.getSpec().legacy.poolRef = pool;
        }
        return export;
    }

    public static MeshServiceExport withRequestedVip(MeshServiceExport export, String vip) {
        export.getSpec().legacy.requestedVip = vip;
        return export;
    }

    public static MeshServiceExport withStatusVip(MeshServiceExport export, String vip) {
        export.setStatus(new MeshServiceExportStatus());
        export.getStatus().assignedVip = vip;
        return export;
    }

    /** A ClusterIP Service with named TCP ports, e.g. {@code service("a", "web", "http", 80)}. */
    public static Service service(String ns, String name, Object... namePortPairs) {
        var builder = new ServiceBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP");
        for (int i = 0; i < namePortPairs.length; i += 2) {
            builder.addNewPort()
                    .withName((String) namePortPairs[i])
                    .withProtocol("TCP")
                    .withPort((Integer) namePortPairs[i + 1])
                    .endPort();
        }
        return builder.endSpec().build();
    }

    /** One EndpointSlice of ns/service with one port and endpoints "ip" (ready) or "ip!" (not ready). */
    public static EndpointSlice slice(String ns, String service, String portName, int port, String... endpoints) {
        var builder = new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName(service + "-" + portName + "-" + endpoints.length)
                .withLabels(Map.of(ServiceBackends.SERVICE_NAME_LABEL, service))
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort()
                .withName(portName)
                .withProtocol("TCP")
                .withPort(port)
                .endPort();
        for (var e : endpoints) {
            boolean ready = !e.endsWith("!");
            builder.addToEndpoints(new EndpointBuilder()
                    .withAddresses(e.replace("!", ""))
                    .withNewConditions()
                    .withReady(ready)
                    .endConditions()
                    .build());
        }
        return builder.build();
    }

    public static Secret secret(String ns, String name, String key, String value) {
        return new SecretBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName(name)
                .endMetadata()
                .withData(Map.of(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    public static BgpPeer peer(String ns, String name, int ageRank, String address, long peerAsn) {
        var peer = meta(new BgpPeer(), ns, name, ageRank);
        var spec = new BgpPeerSpec();
        spec.peerAddress = address;
        spec.peerAsn = peerAsn;
        spec.localAsn = 65001L;
        peer.setSpec(spec);
        return peer;
    }

    public static BgpPeer withPassword(BgpPeer peer, String secret, String key) {
        peer.getSpec().passwordSecretRef = new SecretKeyRef(secret, key);
        return peer;
    }

    /** A policy accepting routes inside {@code prefix} up to /32. */
    public static BgpPolicy acceptPolicy(String ns, String name, String prefix) {
        var policy = meta(new BgpPolicy(), ns, name, 0);
        var spec = new BgpPolicySpec();
        var statement = new BgpPolicySpec.Statement();
        statement.name = "accept";
        statement.match = new BgpPolicySpec.Match();
        statement.match.prefixes.add(new PrefixMatch(prefix, 24, null));
        statement.actions = new BgpPolicySpec.Actions();
        statement.actions.result = BgpPolicySpec.Result.ACCEPT;
        spec.statements.add(statement);
        policy.setSpec(spec);
        return policy;
    }

    public static EgressIdentity egressIdentity(String ns, String name, int ageRank, String pool) {
        var identity = meta(new EgressIdentity(), ns, name, ageRank);
        var spec = new EgressIdentitySpec();
        spec.selector = new EgressIdentitySpec.Selector();
        spec.selector.serviceAccount = "billing";
        spec.poolRef = pool;
        spec.destinations.add("10.20.0.0/16");
        identity.setSpec(spec);
        return identity;
    }

    /** A Running pod of service account {@code sa} with {@code labels} and the given IPs (status.podIPs). */
    public static Pod pod(String ns, String name, String sa, Map<String, String> labels, String... ips) {
        var builder = new PodBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName(sa)
                .endSpec()
                .withNewStatus()
                .withPhase("Running");
        for (var ip : ips) builder.addNewPodIP().withIp(ip).endPodIP();
        return builder.endStatus().build();
    }

    public static EgressIdentity withStatusSource(EgressIdentity identity, String ip) {
        identity.setStatus(new EgressIdentityStatus());
        identity.getStatus().assignedSourceIp = ip;
        return identity;
    }

    /** A route learned from {@code peer} through next hop 192.0.2.1, carrying {@code communities}. */
    public static LearnedRoute route(String prefix, ObjectKey peer, String... communities) {
        return new LearnedRoute(
                IpPrefix.parse(prefix),
                Optional.of(IpAddress.parse("192.0.2.1")),
                peer,
                Stream.of(communities).map(Community::parse).toList(),
                List.of());
    }
}
