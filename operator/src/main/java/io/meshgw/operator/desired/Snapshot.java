package io.meshgw.operator.desired;

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
import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.plan.GatewayNode;
import io.meshgw.operator.port.LearnedRoute;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerSession;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.types.ClusterId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything one pass looks at, read at one moment: the cluster's objects (from informer caches, or from a file in
 * standalone mode) and the gateway's read side (the other clusters' exports, sessions, the learned routes the
 * LegacyServices select, what the engines can do). The planner never mutates these objects.
 *
 * @param localCluster this cluster as the mesh knows it: its id marks local backends, its name breaks MCS ties
 * @param secretsNamespace the gateway's namespace: the one whose Secrets the operator reads, so references elsewhere
 *     are invalid, and the only one whose BgpPeers and BgpPolicies are accepted ({@link GatewayNamespace}); null
 *     where Secrets of any namespace are at hand and every namespace's peers are accepted (standalone mode)
 * @param node the node this replica runs on, whose labels select its BgpPeers and may drain it; empty in standalone
 *     mode, where every BgpPeer has a session and nothing drains
 * @param nodes the cluster's Nodes, by which the Lease holder keeps the BgpPeer status entries of the nodes that exist
 *     and are selected; empty in standalone mode
 */
public record Snapshot(
        ClusterId localCluster,
        String secretsNamespace,
        List<BgpPeer> peers,
        List<BgpPolicy> policies,
        List<LegacyVipPool> vipPools,
        List<EgressIpPool> egressPools,
        List<MeshServiceExport> exports,
        List<EgressIdentity> egressIdentities,
        List<LegacyService> legacyServices,
        List<MeshCluster> meshClusters,
        List<Service> services,
        List<EndpointSlice> endpointSlices,
        List<Secret> secrets,
        List<Pod> pods,
        List<RemoteExport> remoteExports,
        Map<ObjectKey, PeerSession> sessions,
        List<LearnedRoute> learnedRoutes,
        Capabilities capabilities,
        Optional<String> replica,
        Optional<GatewayNode> node,
        List<GatewayNode> nodes) {

    public Snapshot {
        Objects.requireNonNull(localCluster, "localCluster");
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(replica, "replica");
        Objects.requireNonNull(node, "node");
        peers = List.copyOf(peers);
        policies = List.copyOf(policies);
        vipPools = List.copyOf(vipPools);
        egressPools = List.copyOf(egressPools);
        exports = List.copyOf(exports);
        egressIdentities = List.copyOf(egressIdentities);
        legacyServices = List.copyOf(legacyServices);
        meshClusters = List.copyOf(meshClusters);
        services = List.copyOf(services);
        endpointSlices = List.copyOf(endpointSlices);
        secrets = List.copyOf(secrets);
        pods = List.copyOf(pods);
        remoteExports = List.copyOf(remoteExports);
        sessions = Map.copyOf(sessions);
        learnedRoutes = List.copyOf(learnedRoutes);
        nodes = List.copyOf(nodes);
    }

    public static Builder builder(ClusterId localCluster) {
        return new Builder(localCluster);
    }

    /**
     * Collects a snapshot; every list starts empty and each setter replaces its list; the capabilities start as
     * {@link Capabilities#DATAPATH}.
     */
    public static final class Builder {
        private final ClusterId localCluster;
        private String secretsNamespace;
        private final List<BgpPeer> peers = new ArrayList<>();
        private final List<BgpPolicy> policies = new ArrayList<>();
        private final List<LegacyVipPool> vipPools = new ArrayList<>();
        private final List<EgressIpPool> egressPools = new ArrayList<>();
        private final List<MeshServiceExport> exports = new ArrayList<>();
        private final List<EgressIdentity> egressIdentities = new ArrayList<>();
        private final List<LegacyService> legacyServices = new ArrayList<>();
        private final List<MeshCluster> meshClusters = new ArrayList<>();
        private final List<Service> services = new ArrayList<>();
        private final List<EndpointSlice> endpointSlices = new ArrayList<>();
        private final List<Secret> secrets = new ArrayList<>();
        private final List<Pod> pods = new ArrayList<>();
        private final List<RemoteExport> remoteExports = new ArrayList<>();
        private final Map<ObjectKey, PeerSession> sessions = new TreeMap<>();
        private final List<LearnedRoute> learnedRoutes = new ArrayList<>();
        private Capabilities capabilities = Capabilities.DATAPATH;
        private Optional<String> replica = Optional.empty();
        private Optional<GatewayNode> node = Optional.empty();
        private final List<GatewayNode> nodes = new ArrayList<>();

        private Builder(ClusterId localCluster) {
            this.localCluster = Objects.requireNonNull(localCluster, "localCluster");
        }

        public Builder secretsNamespace(String namespace) {
            secretsNamespace = namespace;
            return this;
        }

        public Builder peers(List<BgpPeer> items) {
            peers.clear();
            peers.addAll(items);
            return this;
        }

        public Builder policies(List<BgpPolicy> items) {
            policies.clear();
            policies.addAll(items);
            return this;
        }

        public Builder vipPools(List<LegacyVipPool> items) {
            vipPools.clear();
            vipPools.addAll(items);
            return this;
        }

        public Builder egressPools(List<EgressIpPool> items) {
            egressPools.clear();
            egressPools.addAll(items);
            return this;
        }

        public Builder exports(List<MeshServiceExport> items) {
            exports.clear();
            exports.addAll(items);
            return this;
        }

        public Builder egressIdentities(List<EgressIdentity> items) {
            egressIdentities.clear();
            egressIdentities.addAll(items);
            return this;
        }

        public Builder legacyServices(List<LegacyService> items) {
            legacyServices.clear();
            legacyServices.addAll(items);
            return this;
        }

        /** The LegacyServices given so far: what a pass reads before it asks for the learned routes. */
        public List<LegacyService> legacyServices() {
            return Collections.unmodifiableList(legacyServices);
        }

        public Builder meshClusters(List<MeshCluster> items) {
            meshClusters.clear();
            meshClusters.addAll(items);
            return this;
        }

        public Builder services(List<Service> items) {
            services.clear();
            services.addAll(items);
            return this;
        }

        public Builder endpointSlices(List<EndpointSlice> items) {
            endpointSlices.clear();
            endpointSlices.addAll(items);
            return this;
        }

        public Builder secrets(List<Secret> items) {
            secrets.clear();
            secrets.addAll(items);
            return this;
        }

        public Builder pods(List<Pod> items) {
            pods.clear();
            pods.addAll(items);
            return this;
        }

        public Builder remoteExports(List<RemoteExport> items) {
            remoteExports.clear();
            remoteExports.addAll(items);
            return this;
        }

        public Builder sessions(Map<ObjectKey, PeerSession> items) {
            sessions.clear();
            sessions.putAll(items);
            return this;
        }

        public Builder learnedRoutes(List<LearnedRoute> items) {
            learnedRoutes.clear();
            learnedRoutes.addAll(items);
            return this;
        }

        public Builder capabilities(Capabilities engines) {
            capabilities = Objects.requireNonNull(engines, "capabilities");
            return this;
        }

        /** The gateway replica that plans this pass and, holding the Lease, serves the egress addresses. */
        public Builder replica(String name) {
            replica = Optional.of(name);
            return this;
        }

        /** The node this replica runs on; without one (standalone mode), every BgpPeer has a session here. */
        public Builder node(GatewayNode on) {
            node = Optional.of(on);
            return this;
        }

        /** The cluster's Nodes, this replica's among them. */
        public Builder nodes(List<GatewayNode> items) {
            nodes.clear();
            nodes.addAll(items);
            return this;
        }

        public Snapshot build() {
            return new Snapshot(
                    localCluster,
                    secretsNamespace,
                    peers,
                    policies,
                    vipPools,
                    egressPools,
                    exports,
                    egressIdentities,
                    legacyServices,
                    meshClusters,
                    services,
                    endpointSlices,
                    secrets,
                    pods,
                    remoteExports,
                    sessions,
                    learnedRoutes,
                    capabilities,
                    replica,
                    node,
                    nodes);
        }
    }
}
