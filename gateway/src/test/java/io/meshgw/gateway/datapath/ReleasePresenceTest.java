package io.meshgw.gateway.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshgw.gateway.datapath.ReleasePresence.Verdict;
import org.junit.jupiter.api.Test;

/**
 * As the gateway stops, the API server (the fabric8 mock server in CRUD mode) tells a restart from an uninstall: the
 * DaemonSet is still there on a restart; an uninstall deletes it before its pods. No answer keeps the datapath.
 */
@EnableKubernetesMockClient(crud = true)
class ReleasePresenceTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void aDaemonSetStillThereIsARestart() {
        client.apps()
                .daemonSets()
                .inNamespace("meshgw-system")
                .resource(daemonSet())
                .create();
        assertThat(ReleasePresence.verdict(client, "meshgw-system", "meshgw")).isEqualTo(Verdict.PRESENT);
    }

    @Test
    void aDaemonSetGoneIsAnUninstall() {
        assertThat(ReleasePresence.verdict(client, "meshgw-system", "meshgw")).isEqualTo(Verdict.UNINSTALLING);
    }

    @Test
    void aDaemonSetBeingDeletedIsAnUninstall() {
        // Foreground deletion (kubectl delete --cascade=foreground): the DaemonSet stays, with a deletion timestamp,
        // until its pods are gone.
        var ds = new DaemonSetBuilder(daemonSet())
                .editMetadata()
                .addToFinalizers("foregroundDeletion")
                .endMetadata()
                .build();
        var ops = client.apps().daemonSets().inNamespace("meshgw-system");
        ops.resource(ds).create();
        ops.withName("meshgw").delete();
        assertThat(ops.withName("meshgw").get().getMetadata().getDeletionTimestamp())
                .as("the API server keeps it, marked")
                .isNotNull();
        assertThat(ReleasePresence.verdict(client, "meshgw-system", "meshgw")).isEqualTo(Verdict.UNINSTALLING);
    }

    @Test
    void anotherReleasesDaemonSetDoesNotKeepThisOne() {
        client.apps().daemonSets().inNamespace("other").resource(daemonSet()).create();
        assertThat(ReleasePresence.verdict(client, "meshgw-system", "meshgw")).isEqualTo(Verdict.UNINSTALLING);
    }

    @Test
    void anUnreachableApiServerKeepsTheDatapath() {
        try (KubernetesClient unreachable = new KubernetesClientBuilder()
                .editOrNewConfig()
                .withMasterUrl("https://127.0.0.1:1")
                .withRequestTimeout(1_000)
                .withConnectionTimeout(1_000)
                .withRequestRetryBackoffLimit(0)
                .endConfig()
                .build()) {
            assertThat(ReleasePresence.verdict(unreachable, "meshgw-system", "meshgw"))
                    .isEqualTo(Verdict.UNKNOWN);
        }
    }

    private static DaemonSet daemonSet() {
        return new DaemonSetBuilder()
                .withNewMetadata()
                .withName("meshgw")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", "meshgw")
                .endSelector()
                .endSpec()
                .build();
    }
}
