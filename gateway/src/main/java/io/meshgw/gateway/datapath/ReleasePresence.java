package io.meshgw.gateway.datapath;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshgw.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Whether the release this replica belongs to is being uninstalled, asked of the API server as the gateway stops. A
 * restart (a new image, a rolling update, a deleted pod) leaves the DaemonSet in place and the datapath must keep
 * forwarding for the next start; {@code helm uninstall} deletes the DaemonSet first and its pods after, so a DaemonSet
 * that is gone, or has a deletion timestamp, means nobody will start again and the programs must come off the
 * interfaces. When the answer cannot be had (API server unreachable, no permission), the datapath stays: forwarding
 * a little longer is the safe mistake, and the log says how to detach by hand.
 */
@ApplicationScoped
public class ReleasePresence {
    private static final Logger LOG = Logger.getLogger(ReleasePresence.class);
    private static final Path NAMESPACE_FILE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    /** What the API server said about the DaemonSet. */
    public enum Verdict {
        /** Gone or being deleted: the release is being uninstalled. */
        UNINSTALLING,
        /** Still there: a restart. */
        PRESENT,
        /** Not asked (not in Kubernetes, or no DaemonSet configured) or no answer. */
        UNKNOWN
    }

    private final GatewayConfig config;

    ReleasePresence(GatewayConfig config) {
        this.config = config;
    }

    /**
     * Asks the API server, in Kubernetes or node mode with {@code meshgw.kubernetes.daemon-set} set; UNKNOWN otherwise.
     */
    public Verdict verdict() {
        Optional<String> daemonSet = config.kubernetes().daemonSet();
        boolean inKubernetes = "kubernetes".equals(config.mode()) || "node".equals(config.mode());
        if (!inKubernetes || daemonSet.isEmpty()) return Verdict.UNKNOWN;
        String namespace = podNamespace();
        try (KubernetesClient client = new KubernetesClientBuilder()
                .editOrNewConfig()
                .withRequestTimeout(3_000)
                .withConnectionTimeout(3_000)
                .withRequestRetryBackoffLimit(1)
                .endConfig()
                .build()) {
            return verdict(client, namespace, daemonSet.get());
        }
    }

    /** The verdict for DaemonSet {@code name} in {@code namespace}, asked through {@code client}. */
    static Verdict verdict(KubernetesClient client, String namespace, String name) {
        DaemonSet ds;
        try {
            ds = client.apps()
                    .daemonSets()
                    .inNamespace(namespace)
                    .withName(name)
                    .get();
        } catch (KubernetesClientException e) {
            LOG.warnf(
                    "cannot tell whether DaemonSet %s/%s is being deleted (%s): the datapath stays attached; after an"
                            + " uninstall, remove meshgw's bpffs directory on the node (meshgw.datapath.pin-root):"
                            + " a link whose pin is removed comes off its interface",
                    namespace, name, e.getMessage());
            return Verdict.UNKNOWN;
        }
        if (ds == null) return Verdict.UNINSTALLING;
        if (ds.getMetadata().getDeletionTimestamp() != null) return Verdict.UNINSTALLING;
        return Verdict.PRESENT;
    }

    private static String podNamespace() {
        try {
            return Files.readString(NAMESPACE_FILE).strip();
        } catch (IOException e) {
            return "default";
        }
    }
}
