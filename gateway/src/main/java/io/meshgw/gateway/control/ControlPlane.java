package io.meshgw.gateway.control;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.meshgw.gateway.GatewayConfig;
import io.meshgw.gateway.bgp.BgpAdapter;
import io.meshgw.gateway.datapath.DatapathAdapter;
import io.meshgw.gateway.datapath.NodeRoleService;
import io.meshgw.gateway.dns.DnsService;
import io.meshgw.gateway.mesh.MeshService;
import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.reconcile.GatewayPorts;
import io.meshgw.operator.reconcile.LeaderElectedOperator;
import io.meshgw.operator.reconcile.NodeRoleOperator;
import io.meshgw.operator.reconcile.OperatorOptions;
import io.meshgw.operator.reconcile.PlanApplier;
import io.meshgw.types.ClusterId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Where each pass's inputs come from, and the wiring of the pass to the engines. In {@code kubernetes} mode the
 * operator (leader-elected) watches the CRDs, Services, EndpointSlices and Pods; in {@code standalone} mode a file of
 * the same objects is read. Either way a pass plans once and hands the whole plan to every engine in one order
 * ({@link PlanApplier}), and a pass runs when something it depends on changes: the objects, the other clusters'
 * state (mesh-sync) or the learned routes LegacyServices select (the speaker). Nothing polls the engines.
 */
@ApplicationScoped
public class ControlPlane {

    private static final Logger LOG = Logger.getLogger(ControlPlane.class);

    private final GatewayConfig config;
    private final GatewayPorts ports;
    private final MeshService mesh;
    private final BgpAdapter bgpAdapter;
    private final NodeRoleService nodeRole;
    private final Counter refusedReloads;
    private StandaloneSource standalone;
    private LeaderElectedOperator operator;
    private NodeRoleOperator nodeRoleOperator;
    private KubernetesClient client;

    ControlPlane(
            GatewayConfig config,
            BgpAdapter bgpAdapter,
            DatapathAdapter datapath,
            MeshService mesh,
            DnsService dns,
            AppliedPlan applied,
            NodeRoleService nodeRole,
            MeterRegistry registry) {
        this.config = config;
        this.nodeRole = nodeRole;
        this.mesh = mesh;
        this.bgpAdapter = bgpAdapter;
        this.refusedReloads = Counter.builder("meshgw_standalone_reloads_refused")
                .description("Versions of the standalone file not used, the last good objects kept: not valid, or"
                        + " empty or cut short without saying so (the log says why)")
                .register(registry);
        Timer passes = Timer.builder("meshgw_reconcile_duration")
                .description("Control-plane passes: plan computed and applied to BGP, datapath, mesh and DNS")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        // DNS serves the names in standalone mode only (in Kubernetes the cluster DNS does, through Services).
        this.ports = new GatewayPorts(bgpAdapter, datapath, mesh, dns, capabilities(datapath), (plan, took) -> {
            passes.record(took);
            applied.set(plan);
            mesh.localAddresses(plan);
            bgpAdapter.passApplied();
        });
    }

    /** After the speaker, the datapath and mesh-sync have started. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent ev) {
        // The first pass must see the other clusters, or it would take their backends out of the
        // datapath an earlier run pinned, and withdraw the VIPs they serve.
        mesh.awaitSynced(Duration.ofSeconds(30));
        switch (config.mode()) {
            case "standalone" -> startStandalone();
            case "kubernetes" -> startKubernetes();
            case "node" -> startNodeRole();
            case "none" -> {
                LOG.info("no control plane (meshgw.mode=none): only the properties' BGP peers run");
                bgpAdapter.passApplied(); // no pass will originate anything: the routes are complete as they are
            }
            default ->
                throw new IllegalArgumentException(
                        "meshgw.mode is '" + config.mode() + "'; it must be kubernetes, standalone, node or none");
        }
    }

    private ClusterId localCluster() {
        return new ClusterId(config.cluster().id(), config.cluster().name());
    }

    private void startStandalone() {
        Path file = Path.of(config.standalone()
                .file()
                .orElseThrow(() -> new IllegalArgumentException(
                        "meshgw.standalone.file is required when meshgw.mode=standalone")));
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("meshgw.standalone.file " + file + " does not exist or is not readable");
        }
        standalone = new StandaloneSource(file, localCluster(), ports, refusedReloads);
        mesh.onRemoteChange(standalone::request);
        bgpAdapter.onChange(standalone::request);
        standalone.start();
        LOG.infof("standalone mode: objects from %s", file);
    }

    private void startKubernetes() {
        client = new KubernetesClientBuilder().build();
        String namespace = config.kubernetes().leaseNamespace().orElseGet(ControlPlane::podNamespace);
        String identity = identity();
        String secretsNamespace = config.kubernetes().secretsNamespace().orElseGet(ControlPlane::podNamespace);
        var options =
                OperatorOptions.defaults(localCluster(), namespace, identity).withSecretsNamespace(secretsNamespace);
        options = config.kubernetes().nodeName().map(options::withNode).orElse(options);
        // Written on this node's Node, so the other gateway nodes steer egress to it and accept what it steers.
        options = io.meshgw.gateway.datapath.Tunnels.endpoint(config.datapath().tunnelEndpoint())
                .map(a -> (io.meshgw.types.IpAddress) io.meshgw.types.Ipv4Address.of(a))
                .map(options::withTunnelEndpoint)
                .orElse(options);
        operator = new LeaderElectedOperator(client, ports, options);
        mesh.onRemoteChange(operator::requestReconcile);
        bgpAdapter.onChange(operator::requestReconcile);
        operator.start();
        LOG.infof(
                "kubernetes mode: operator %s on node %s electing a leader in namespace %s",
                identity, config.kubernetes().nodeName().orElse("(not set)"), namespace);
    }

    /**
     * The node role on an ordinary node: no speaker, no gateway datapath, no mesh, no DNS; it reads egress, the Nodes
     * and the gateways' Lease and steers this node's pods' egress to the gateway node that serves it.
     */
    private void startNodeRole() {
        refuseGatewayEngines(config);
        String node = config.kubernetes()
                .nodeName()
                .orElseThrow(() -> new IllegalArgumentException("meshgw.kubernetes.node-name is required when"
                        + " meshgw.mode=node: the node role steers the pods of its own node"));
        nodeRole.start();
        client = new KubernetesClientBuilder().build();
        String namespace = config.kubernetes().leaseNamespace().orElseGet(ControlPlane::podNamespace);
        var options =
                OperatorOptions.defaults(localCluster(), namespace, identity()).withNode(node);
        nodeRoleOperator = new NodeRoleOperator(client, nodeRole, options);
        nodeRoleOperator.start();
        LOG.infof("node mode: the node role on %s, the gateways' Lease in namespace %s", node, namespace);
    }

    /** Node mode runs none of the gateway's engines: one left enabled is a configuration mistake, said at start. */
    static void refuseGatewayEngines(GatewayConfig config) {
        var enabled = new java.util.ArrayList<String>();
        if (config.bgp().enabled()) enabled.add("meshgw.bgp.enabled");
        if (config.datapath().enabled()) enabled.add("meshgw.datapath.enabled");
        if (config.kernelRoutes().enabled()) enabled.add("meshgw.kernel-routes.enabled");
        if (config.mesh().enabled()) enabled.add("meshgw.mesh.enabled");
        if (config.dns().enabled()) enabled.add("meshgw.dns.enabled");
        if (!enabled.isEmpty()) {
            throw new IllegalArgumentException("meshgw.mode=node runs the node role only, not a gateway: set "
                    + String.join(", ", enabled) + " to false");
        }
    }

    private static String podNamespace() {
        try {
            return Files.readString(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace"))
                    .strip();
        } catch (IOException e) {
            return "default";
        }
    }

    /** The Kubernetes Node this replica serves (Kubernetes and node mode), when the chart said. */
    public Optional<String> node() {
        return config.mode().equals("kubernetes") || config.mode().equals("node")
                ? config.kubernetes().nodeName()
                : Optional.empty();
    }

    /** This replica's name: its identity for the Lease in Kubernetes mode, the host's name otherwise. */
    public String identity() {
        return config.kubernetes()
                .identity()
                .orElseGet(() -> Optional.ofNullable(System.getenv("HOSTNAME")).orElse("meshgw"));
    }

    public String mode() {
        return config.mode();
    }

    /**
     * Whether this replica writes for the cluster (status, mesh, egress addresses): while it holds the Lease in
     * Kubernetes mode, always in standalone mode (it is the only one), never without a control plane.
     */
    public boolean leading() {
        return switch (config.mode()) {
            case "kubernetes" -> operator != null && operator.leading();
            case "standalone" -> true;
            default -> false;
        };
    }

    /** Who writes for the cluster, as this replica last saw it; empty while unknown or without a control plane. */
    public Optional<String> leader() {
        return switch (config.mode()) {
            case "kubernetes" -> operator == null ? Optional.empty() : operator.holder();
            case "node" -> nodeRoleOperator == null ? Optional.empty() : nodeRoleOperator.holder();
            case "standalone" -> Optional.of(identity());
            default -> Optional.empty();
        };
    }

    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent ev) {
        if (standalone != null) {
            standalone.close();
        }
        if (operator != null) {
            operator.close();
        }
        if (nodeRoleOperator != null) {
            nodeRoleOperator.close();
        }
        if (client != null) {
            client.close();
        }
    }

    /** What the engines can do: the address families from the datapath, which alone knows what it translates. */
    static Capabilities capabilities(DatapathAdapter datapath) {
        return Capabilities.DATAPATH.translating(datapath.translatedFamilies(), datapath.egressFamilies());
    }
}
