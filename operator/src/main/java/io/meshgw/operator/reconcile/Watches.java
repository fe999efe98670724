package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.BgpPolicy;
import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.crd.EgressIpPool;
import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.crd.LegacyVipPool;
import io.meshgw.operator.crd.MeshCluster;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.plan.GatewayNode;
import io.meshgw.types.ClusterId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Informers on every kind a pass reads: the meshgw resources, Services, discovery.k8s.io/v1 EndpointSlices, Secrets
 * (for TCP-MD5 passwords; in the one Secrets namespace only, so the operator needs no cluster-wide read of Secrets)
 * and Pods (the addresses EgressIdentities select). Any event asks for a pass; the pass reads all caches at once.
 *
 * <p>The node role ({@link #forNodeRole}) reads only what egress needs: EgressIdentities, EgressIpPools, Nodes, the
 * gateways' Lease, and of the Pods only those its node runs (a field selector on {@code spec.nodeName}) and those of
 * the gateways' namespace (whose gateway Pods tell a live gateway node from a description left behind); the other
 * kinds are not watched and read as empty. A node role then holds and handles what its node runs, not every Pod of
 * the cluster on every node.
 */
final class Watches implements AutoCloseable {
    private final Runnable onChange;
    private final String secretsNamespace;
    private final List<SharedIndexInformer<?>> all = new ArrayList<>();
    // Null where not watched (the node role): read as empty.
    private final SharedIndexInformer<BgpPeer> peers;
    private final SharedIndexInformer<BgpPolicy> policies;
    private final SharedIndexInformer<LegacyVipPool> vipPools;
    private final SharedIndexInformer<EgressIpPool> egressPools;
    private final SharedIndexInformer<MeshServiceExport> exports;
    private final SharedIndexInformer<EgressIdentity> egressIdentities;
    private final SharedIndexInformer<LegacyService> legacyServices;
    private final SharedIndexInformer<MeshCluster> meshClusters;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> endpointSlices;
    private final SharedIndexInformer<Secret> secrets;
    private final SharedIndexInformer<Pod> pods;
    /** The node role's: the Pods of the gateways' namespace, beside its own node's in {@link #pods}; else null. */
    private final SharedIndexInformer<Pod> gatewayPods;

    private final Optional<String> nodeName;
    /**
     * The cluster's Nodes, watched where this replica knows its own: that one's labels select its BgpPeers and may
     * drain it; all of them tell the Lease holder whose BgpPeer status entries to keep.
     */
    private final Optional<SharedIndexInformer<Node>> nodes;
    /** The gateways' Lease, watched by the node role alone (a gateway learns the holder by standing for it). */
    private final Optional<SharedIndexInformer<Lease>> lease;

    Watches(KubernetesClient client, String secretsNamespace, Optional<String> nodeName, Runnable onChange) {
        this.onChange = onChange;
        this.secretsNamespace = secretsNamespace;
        this.nodeName = nodeName;
        this.nodes = nodeName.map(name -> watch(client.nodes().runnableInformer(0)));
        this.lease = Optional.empty();
        peers = watch(client.resources(BgpPeer.class).inAnyNamespace().runnableInformer(0));
        policies = watch(client.resources(BgpPolicy.class).inAnyNamespace().runnableInformer(0));
        vipPools = watch(client.resources(LegacyVipPool.class).runnableInformer(0));
        egressPools = watch(client.resources(EgressIpPool.class).runnableInformer(0));
        exports =
                watch(client.resources(MeshServiceExport.class).inAnyNamespace().runnableInformer(0));
        egressIdentities =
                watch(client.resources(EgressIdentity.class).inAnyNamespace().runnableInformer(0));
        legacyServices =
                watch(client.resources(LegacyService.class).inAnyNamespace().runnableInformer(0));
        meshClusters = watch(client.resources(MeshCluster.class).runnableInformer(0));
        services = watch(client.services().inAnyNamespace().runnableInformer(0));
        endpointSlices =
                watch(client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0));
        secrets = watch(client.secrets().inNamespace(secretsNamespace).runnableInformer(0));
        pods = watch(client.pods().inAnyNamespace().runnableInformer(0));
        gatewayPods = null;
    }

    private Watches(
            KubernetesClient client, String nodeName, String leaseNamespace, String leaseName, Runnable onChange) {
        this.onChange = onChange;
        this.secretsNamespace = leaseNamespace; // no Secret is read
        this.nodeName = Optional.of(nodeName);
        this.nodes = Optional.of(watch(client.nodes().runnableInformer(0)));
        this.lease = Optional.of(watch(client.resources(Lease.class)
                .inNamespace(leaseNamespace)
                .withName(leaseName)
                .runnableInformer(0)));
        peers = null;
        policies = null;
        vipPools = null;
        egressPools = watch(client.resources(EgressIpPool.class).runnableInformer(0));
        exports = null;
        egressIdentities =
                watch(client.resources(EgressIdentity.class).inAnyNamespace().runnableInformer(0));
        legacyServices = null;
        meshClusters = null;
        services = null;
        endpointSlices = null;
        secrets = null;
        pods = watch(client.pods()
                .inAnyNamespace()
                .withField("spec.nodeName", nodeName)
                .runnableInformer(0));
        gatewayPods = watch(client.pods().inNamespace(leaseNamespace).runnableInformer(0));
    }

    /** What the node role on {@code nodeName} reads: egress, the Nodes, and the gateways' Lease. */
    static Watches forNodeRole(
            KubernetesClient client, String nodeName, String leaseNamespace, String leaseName, Runnable onChange) {
        return new Watches(client, nodeName, leaseNamespace, leaseName, onChange);
    }

    private <T extends HasMetadata> SharedIndexInformer<T> watch(SharedIndexInformer<T> informer) {
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                onChange.run();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.run();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onChange.run();
            }
        });
        all.add(informer);
        return informer;
    }

    /**
     * Starts every informer and waits until each has listed once: a pass over a half-filled cache would withdraw
     * what the missing objects still need.
     */
    void start(Duration timeout) {
        var started = all.stream().map(i -> i.start().toCompletableFuture()).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(started).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the informers synced", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("informers did not sync within " + timeout, e);
        }
    }

    boolean synced() {
        return all.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    Snapshot.Builder snapshot(ClusterId localCluster) {
        var b = Snapshot.builder(localCluster)
                .secretsNamespace(secretsNamespace)
                .peers(list(peers))
                .policies(list(policies))
                .vipPools(list(vipPools))
                .egressPools(list(egressPools))
                .exports(list(exports))
                .egressIdentities(list(egressIdentities))
                .legacyServices(list(legacyServices))
                .meshClusters(list(meshClusters))
                .services(list(services))
                .endpointSlices(list(endpointSlices))
                .secrets(list(secrets))
                .pods(gatewayPods == null ? list(pods) : podsOnNodeAndGateways());
        var all = nodes.map(i -> i.getStore().list().stream()
                        .map(n -> new GatewayNode(
                                n.getMetadata().getName(),
                                n.getMetadata().getLabels() == null
                                        ? Map.of()
                                        : n.getMetadata().getLabels(),
                                annotations(n),
                                internalAddresses(n),
                                ready(n)))
                        .toList())
                .orElse(List.of());
        b.nodes(all);
        // This replica's Node without labels while it cannot be read (it is listed before the first pass).
        nodeName.ifPresent(name -> b.node(all.stream()
                .filter(n -> n.name().equals(name))
                .findFirst()
                .orElseGet(() -> new GatewayNode(name, Map.of()))));
        return b;
    }

    /**
     * Whether a Node is Ready as the node controller judges it: not when its Ready condition is False or Unknown (the
     * kubelet stopped reporting), yes when it is True or there is none (nothing judged it).
     */
    static boolean ready(Node n) {
        if (n.getStatus() == null || n.getStatus().getConditions() == null) return true;
        return n.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .noneMatch(c -> "False".equals(c.getStatus()) || "Unknown".equals(c.getStatus()));
    }

    /** A Node's InternalIP addresses (status.addresses), those that parse; an unreadable one is skipped. */
    private static List<io.meshgw.types.IpAddress> internalAddresses(Node n) {
        if (n.getStatus() == null || n.getStatus().getAddresses() == null) return List.of();
        return n.getStatus().getAddresses().stream()
                .filter(a -> "InternalIP".equals(a.getType()) && a.getAddress() != null)
                .map(a -> io.meshgw.types.IpAddress.tryParse(a.getAddress().strip()))
                .flatMap(Optional::stream)
                .toList();
    }

    /** The node role's Pods: its node's and the gateways' namespace's, each once. */
    private List<Pod> podsOnNodeAndGateways() {
        var byKey = new java.util.LinkedHashMap<String, Pod>();
        for (Pod p : list(pods)) {
            byKey.put(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), p);
        }
        for (Pod p : list(gatewayPods)) {
            byKey.putIfAbsent(
                    p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), p);
        }
        return List.copyOf(byKey.values());
    }

    private static <T> List<T> list(SharedIndexInformer<T> informer) {
        return informer == null ? List.of() : informer.getStore().list();
    }

    /**
     * The Lease holder's identity as the gateways' Lease says (node role only); empty while there is none: no Lease,
     * or one released (its holder emptied).
     */
    Optional<String> leaseHolder() {
        return lease.flatMap(i -> i.getStore().list().stream().findFirst())
                .map(Lease::getSpec)
                .map(io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec::getHolderIdentity)
                .filter(h -> !h.isBlank());
    }

    /**
     * A Node's meshgw annotations (those its gateway writes), without members whose value is null: the rest of a
     * Node's annotations (often large, and on every Node) mean nothing to a pass.
     */
    private static Map<String, String> annotations(Node n) {
        var all = n.getMetadata().getAnnotations();
        if (all == null) return Map.of();
        var out = new java.util.HashMap<String, String>();
        all.forEach((k, v) -> {
            if (k != null && v != null && k.startsWith("meshgw.io/")) out.put(k, v);
        });
        return out;
    }

    @Override
    public void close() {
        all.forEach(SharedIndexInformer::close);
    }
}
