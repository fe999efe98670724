package io.meshgw.operator.standalone;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.BgpPolicy;
import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.crd.EgressIpPool;
import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.crd.LegacyVipPool;
import io.meshgw.operator.crd.MeshCluster;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.desired.Metadata;
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.ClusterId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * Sorts objects read without an API server (standalone mode) into a {@link Snapshot.Builder}. The gateway adds its
 * engines' read side with {@link io.meshgw.operator.reconcile.GatewayPorts#snapshot}, as the operator does.
 *
 * <p>Objects are normalized the way the API server would: a namespaced object without a namespace goes to
 * {@code default}, a cluster-scoped one loses its namespace. Objects without creationTimestamp count as equally old,
 * so address and pod claims are settled by namespace/name.
 */
public final class SnapshotFromObjects {
    static final String DEFAULT_NAMESPACE = "default";

    /** The kinds a snapshot holds, as a message lists them. */
    static final String SUPPORTED = "BgpPeer, BgpPolicy, LegacyVipPool, EgressIpPool, MeshServiceExport,"
            + " EgressIdentity, LegacyService, MeshCluster (meshgw.io/v1alpha1), Service, Secret, Pod (v1),"
            + " EndpointSlice (discovery.k8s.io/v1)";

    private static final Set<Class<?>> KINDS = Set.of(
            BgpPeer.class,
            BgpPolicy.class,
            LegacyVipPool.class,
            EgressIpPool.class,
            MeshServiceExport.class,
            EgressIdentity.class,
            LegacyService.class,
            MeshCluster.class,
            Service.class,
            EndpointSlice.class,
            Secret.class,
            Pod.class);

    private SnapshotFromObjects() {}

    /**
     * @param objects in document order; positions in messages count from 1. Their namespaces are normalized in
     *     place (see above), so calling this again with the same objects gives the same snapshot.
     * @throws IllegalArgumentException for an object of another kind, without a name, or listed twice, naming its
     *     position, kind and namespace/name; never for what {@link StandaloneObjects#parse} returned
     */
    public static Snapshot.Builder of(ClusterId localCluster, List<HasMetadata> objects) {
        var peers = new ArrayList<BgpPeer>();
        var policies = new ArrayList<BgpPolicy>();
        var vipPools = new ArrayList<LegacyVipPool>();
        var egressPools = new ArrayList<EgressIpPool>();
        var exports = new ArrayList<MeshServiceExport>();
        var egressIdentities = new ArrayList<EgressIdentity>();
        var legacyServices = new ArrayList<LegacyService>();
        var meshClusters = new ArrayList<MeshCluster>();
        var services = new ArrayList<Service>();
        var endpointSlices = new ArrayList<EndpointSlice>();
        var secrets = new ArrayList<Secret>();
        var pods = new ArrayList<Pod>();
        prepare(objects, i -> i + 1);
        for (var object : objects) {
            switch (object) {
                case BgpPeer o -> peers.add(o);
                case BgpPolicy o -> policies.add(o);
                case LegacyVipPool o -> vipPools.add(o);
                case EgressIpPool o -> egressPools.add(o);
                case MeshServiceExport o -> exports.add(o);
                case EgressIdentity o -> egressIdentities.add(o);
                case LegacyService o -> legacyServices.add(o);
                case MeshCluster o -> meshClusters.add(o);
                case Service o -> services.add(o);
                case EndpointSlice o -> endpointSlices.add(o);
                case Secret o -> secrets.add(o);
                case Pod o -> pods.add(o);
                default -> throw new IllegalStateException("unreachable: checked above");
            }
        }
        return Snapshot.builder(localCluster)
                .peers(peers)
                .policies(policies)
                .vipPools(vipPools)
                .egressPools(egressPools)
                .exports(exports)
                .egressIdentities(egressIdentities)
                .legacyServices(legacyServices)
                .meshClusters(meshClusters)
                .services(services)
                .endpointSlices(endpointSlices)
                .secrets(secrets)
                .pods(pods);
    }

    /**
     * Checks every object ({@link #check}), normalizes its namespace and rejects a second object of the same kind and
     * namespace/name, so that {@link #of} accepts what passed here.
     *
     * @param documents the document number of the object at each index, for messages
     */
    static void prepare(List<HasMetadata> objects, IntUnaryOperator documents) {
        var seen = new HashMap<ResourceRef, Integer>();
        for (int i = 0; i < objects.size(); i++) {
            var object = objects.get(i);
            int document = documents.applyAsInt(i);
            check(object, document);
            normalizeNamespace(object);
            var earlier = seen.putIfAbsent(Metadata.ref(object), document);
            if (earlier != null) {
                throw new IllegalArgumentException(
                        describe(object, document) + ": the same object as document " + earlier);
            }
        }
    }

    /** Rejects what a snapshot cannot hold: another kind, or an object without a name. */
    static void check(HasMetadata object, int document) {
        if (object == null) throw new IllegalArgumentException("document " + document + ": no object");
        if (!supported(object)) {
            throw new IllegalArgumentException(describe(object, document) + ": kind " + object.getKind() + " ("
                    + object.getApiVersion() + ") is not one meshgw reads; expected " + SUPPORTED);
        }
        if (object.getMetadata() == null
                || object.getMetadata().getName() == null
                || object.getMetadata().getName().isEmpty()) {
            throw new IllegalArgumentException(describe(object, document) + ": metadata.name is required");
        }
    }

    private static boolean supported(HasMetadata object) {
        return KINDS.contains(object.getClass());
    }

    private static void normalizeNamespace(HasMetadata object) {
        var metadata = object.getMetadata();
        if (!(object instanceof Namespaced)) {
            metadata.setNamespace(null);
        } else if (metadata.getNamespace() == null || metadata.getNamespace().isEmpty()) {
            metadata.setNamespace(DEFAULT_NAMESPACE);
        }
    }

    /** {@code document 3 (BgpPeer net/tor1)}, for messages. */
    static String describe(HasMetadata object, int document) {
        var metadata = object.getMetadata();
        var name = metadata == null || metadata.getName() == null ? "<no name>" : metadata.getName();
        var namespace = metadata == null ? null : metadata.getNamespace();
        var key = namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
        return "document " + document + " (" + object.getKind() + " " + key + ")";
    }
}
