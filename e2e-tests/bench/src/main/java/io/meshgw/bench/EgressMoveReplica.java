package io.meshgw.bench;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.meshgw.bgp.speaker.BgpSpeaker;
import io.meshgw.bgp.speaker.SpeakerConfig;
import io.meshgw.gateway.bgp.BgpAdapter;
import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.port.MeshTarget;
import io.meshgw.operator.port.NamesTarget;
import io.meshgw.operator.reconcile.GatewayPorts;
import io.meshgw.operator.reconcile.LeaderElectedOperator;
import io.meshgw.operator.reconcile.OperatorOptions;
import io.meshgw.types.ClusterId;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * One gateway replica for {@link EgressMoveBench}, in a process of its own so that it can be killed: the Kubernetes
 * mode's leader-elected operator against the bench's API server, with a real BGP speaker (no sessions: its originated
 * routes are what it would announce). The datapath is left out: it writes one egress rule in microseconds.
 *
 * <p>Prints {@code PASSED} after its first pass, then {@code ORIGINATES} or {@code WITHDRAWS} as soon as its speaker
 * starts or stops originating the watched prefix. SIGTERM releases the Lease (a graceful stop); SIGKILL cannot.
 *
 * <p>Arguments: API server URL, replica identity, node name, router id (1..), watched prefix, lease duration, renew
 * deadline and retry period in milliseconds.
 */
public final class EgressMoveReplica {
    private EgressMoveReplica() {}

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
        String url = args[0];
        String identity = args[1];
        String node = args[2];
        long routerId = Long.parseLong(args[3]);
        String prefix = args[4];
        var lease = Duration.ofMillis(Long.parseLong(args[5]));
        var renew = Duration.ofMillis(Long.parseLong(args[6]));
        var retry = Duration.ofMillis(Long.parseLong(args[7]));

        var client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder()
                        .withMasterUrl(url)
                        .withTrustCerts(true)
                        .withNamespace("meshgw-system")
                        .build())
                .build();
        var speaker = BgpSpeaker.start(new SpeakerConfig(65001, routerId, InetAddress.ofLiteral("127.0.0.1"), 0));
        var passed = new CountDownLatch(1);
        var ports = new GatewayPorts(
                new BgpAdapter(() -> Optional.of(speaker), Set::of, () -> 65001),
                plan -> {},
                MeshTarget.NONE,
                NamesTarget.NONE,
                Capabilities.DATAPATH,
                (plan, took) -> passed.countDown());
        var options = OperatorOptions.defaults(new ClusterId(1, "east"), "meshgw-system", identity)
                .withTimings(lease, renew, retry, Duration.ofSeconds(30))
                .withNode(node);
        var operator = new LeaderElectedOperator(client, ports, options);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.close();
            speaker.close();
        }));
        operator.start();
        passed.await();
        System.out.println("PASSED");
        System.out.flush();
        boolean originates = false;
        while (true) {
            boolean now = speaker.originated().keySet().stream()
                    .anyMatch(p -> p.toString().equals(prefix));
            if (now != originates) {
                originates = now;
                System.out.println(now ? "ORIGINATES" : "WITHDRAWS");
                System.out.flush();
            }
            Thread.sleep(2);
        }
    }
}
