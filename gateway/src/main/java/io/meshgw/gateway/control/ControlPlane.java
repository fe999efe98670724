package io.meshgw.gateway.control;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.meshgw.gateway.GatewayConfig;
import io.meshgw.gateway.bgp.BgpPort;
import io.meshgw.gateway.datapath.DatapathPort;
import io.meshgw.gateway.dns.DnsService;
import io.meshgw.gateway.dns.LegacyNames;
import io.meshgw.gateway.mesh.MeshService;
import io.meshgw.operator.desired.DesiredState;
import io.meshgw.operator.reconcile.GatewayPorts;
import io.meshgw.operator.reconcile.LeaderElectedOperator;
import io.meshgw.operator.reconcile.OperatorOptions;
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
 * Where the desired state comes from. In {@code kubernetes} mode the operator (leader-elected)
 * watches the CRDs, Services, EndpointSlices and Pods; in {@code standalone} mode a file of the
 * same objects is read. Either way every change goes through the same ports, and a change in
 * the other clusters' state (mesh-sync) triggers a pass, so a VIP is announced or withdrawn as
 * soon as its last backend anywhere appears or goes.
 */
@ApplicationScoped
public class ControlPlane {

    private static final Logger LOG = Logger.getLogger(ControlPlane.class);

    private final GatewayConfig config;
    private final GatewayPorts ports;
    private final MeshService mesh;
    private final DatapathPort datapath;
    private StandaloneSource standalone;
    private LeaderElectedOperator operator;
    private KubernetesClient client;

    ControlPlane(
            GatewayConfig config,
            BgpPort bgp,
            DatapathPort datapath,
            MeshService mesh,
            DnsService dns,
            MeterRegistry registry) {
        this.config = config;
        this.mesh = mesh;
        this.datapath = datapath;
        Timer passes = Timer.builder("meshgw_reconcile_duration")
                .description("Control-plane passes: desired state computed and applied to BGP, datapath and mesh")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        // in Kubernetes mode only the leader passes; DNS is off there (the cluster DNS serves the names)
        this.ports = new GatewayPorts(bgp, bgp, datapath, mesh, (state, took) -> {
            passes.record(took);
            dns.publish(LegacyNames.of(state.legacyNames(), dns::notServed));
        });
        bgp.beforeAnnounce(datapath::flush);
    }

    /** After the speaker, the datapath and mesh-sync have started. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent ev) {
        // The first pass must see the other clusters, or it would take their backends out of the
        // datapath an earlier run pinned, and withdraw the VIPs they serve.
        mesh.awaitSynced(Duration.ofSeconds(30));
        switch (config.mode()) {
            case "standalone" -> startStandalone();
            case "kubernetes" -> startKubernetes();
            case "none" -> {
                LOG.info("no control plane (meshgw.mode=none): only the properties' BGP peers run");
                datapath.release();
            }
            default ->
                throw new IllegalArgumentException(
                        "meshgw.mode is '" + config.mode() + "'; it must be kubernetes, standalone or none");
        }
    }

    private void startStandalone() {
        Path file = Path.of(config.standalone()
                .file()
                .orElseThrow(() -> new IllegalArgumentException(
                        "meshgw.standalone.file is required when meshgw.mode=standalone")));
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("meshgw.standalone.file " + file + " does not exist or is not readable");
        }
        standalone = new StandaloneSource(file, config.cluster().name(), ports, mesh);
        mesh.onRemoteChange(standalone::request);
        standalone.start();
        datapath.release();
        LOG.infof("standalone mode: desired state from %s", file);
    }

    private void startKubernetes() {
        client = new KubernetesClientBuilder().build();
        String namespace = config.kubernetes().leaseNamespace().orElseGet(ControlPlane::podNamespace);
        String identity = config.kubernetes()
                .identity()
                .orElseGet(() -> Optional.ofNullable(System.getenv("HOSTNAME")).orElse("meshgw"));
        String secretsNamespace = config.kubernetes().secretsNamespace().orElseGet(ControlPlane::podNamespace);
        operator = new LeaderElectedOperator(
                client,
                ports,
                OperatorOptions.defaults(config.cluster().name(), namespace, identity)
                        .withSecretsNamespace(secretsNamespace));
        mesh.onRemoteChange(operator::requestReconcile);
        operator.start();
        // The operator has no first-pass signal: its informers sync and a pass runs within
        // seconds; until then the pinned maps of the previous run keep forwarding.
        datapath.releaseAfter(Duration.ofSeconds(15));
        LOG.infof("kubernetes mode: operator %s electing a leader in namespace %s", identity, namespace);
    }

    private static String podNamespace() {
        try {
            return Files.readString(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace"))
                    .strip();
        } catch (IOException e) {
            return "default";
        }
    }

    /** The last pass's outcome in standalone mode (Kubernetes mode reports it in each object's status). */
    public Optional<DesiredState> lastState() {
        return standalone == null ? Optional.empty() : Optional.ofNullable(standalone.lastState());
    }

    public boolean leading() {
        return operator == null || operator.leading();
    }

    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent ev) {
        if (standalone != null) {
            standalone.close();
        }
        if (operator != null) {
            operator.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
