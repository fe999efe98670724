package io.meshgw.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.crd.EgressIdentitySpec;
import io.meshgw.operator.crd.EgressIpPool;
import io.meshgw.operator.crd.EgressIpPoolSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * How long an egress address takes to move when the replica that serves it stops: two gateway replicas (processes,
 * {@link EgressMoveReplica}) against one API server (the fabric8 mock server in CRUD mode, in this process); the one
 * that serves the EgressIdentity's address is killed (SIGKILL: it cannot release the Lease) or stopped (SIGTERM: it
 * releases it), and the time from then until the other serves the address is measured twice: until the status names
 * it ({@code servedBy}), and until its speaker originates the address. A fresh standby replaces the stopped one before
 * each repetition. Printed beside the Lease timings they run with.
 *
 * <p>Arguments: repetitions, {@code kill} or {@code term}, lease duration, renew deadline and retry period in ms.
 */
public final class EgressMoveBench {
    static final String PREFIX = "198.51.100.0/32";

    private EgressMoveBench() {}

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        boolean kill = !(args.length > 1 && args[1].equals("term"));
        long lease = args.length > 2 ? Long.parseLong(args[2]) : 15_000;
        long renew = args.length > 3 ? Long.parseLong(args[3]) : 10_000;
        long retry = args.length > 4 ? Long.parseLong(args[4]) : 2_000;
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);

        var server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            objects(client);
            String url = client.getConfiguration().getMasterUrl();
            var timings = new long[] {lease, renew, retry};
            var owner = Replica.start(url, 0, timings);
            await(
                    "replica-0 serves the address",
                    60_000,
                    () -> owner.originates() && "replica-0".equals(servedBy(client)));
            var current = owner;
            double[] status = new double[reps];
            double[] announced = new double[reps];
            for (int i = 1; i <= reps; i++) {
                var standby = Replica.start(url, i, timings);
                standby.awaitPassed();
                String before = servedBy(client);
                if (!current.identity.equals(before)) throw new IllegalStateException("served by " + before);
                long t0 = System.nanoTime();
                if (kill) current.process.destroyForcibly();
                else current.process.destroy();
                var next = standby;
                await(next.identity + " named in status", 120_000, () -> next.identity.equals(servedBy(client)));
                status[i - 1] = (System.nanoTime() - t0) / 1e6;
                await(next.identity + " originates the address", 120_000, next::originates);
                announced[i - 1] = (next.originatesAt - t0) / 1e6;
                current.process.waitFor(30, TimeUnit.SECONDS);
                System.out.printf(
                        "repetition %d: status %.0f ms, announced %.0f ms after the %s%n",
                        i, status[i - 1], announced[i - 1], kill ? "SIGKILL" : "SIGTERM");
                current = next;
            }
            current.process.destroy();
            current.process.waitFor(30, TimeUnit.SECONDS);
            System.out.printf(
                    "egress address move after %s of its owner (%d repetitions; Lease %d ms, renew deadline %d ms,"
                            + " retry period %d ms): status p50 %.0f ms max %.0f ms; announced p50 %.0f ms max %.0f ms%n",
                    kill ? "SIGKILL" : "SIGTERM",
                    reps,
                    lease,
                    renew,
                    retry,
                    pct(status, 50),
                    pct(status, 100),
                    pct(announced, 50),
                    pct(announced, 100));
        } finally {
            server.destroy();
        }
    }

    /** An EgressIpPool of one address, a pod of service account billing, and its EgressIdentity. */
    static void objects(KubernetesClient client) {
        var pool = new EgressIpPool();
        pool.setMetadata(new ObjectMetaBuilder().withName("egress").build());
        var poolSpec = new EgressIpPoolSpec();
        poolSpec.cidrs.add("198.51.100.0/32");
        poolSpec.allowedNamespaces.add(EgressIpPoolSpec.EVERY_NAMESPACE);
        pool.setSpec(poolSpec);
        create(client, pool);
        create(
                client,
                new PodBuilder()
                        .withNewMetadata()
                        .withNamespace("pay")
                        .withName("billing-1")
                        .endMetadata()
                        .withNewSpec()
                        .withServiceAccountName("billing")
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Running")
                        .addNewPodIP()
                        .withIp("10.0.0.1")
                        .endPodIP()
                        .endStatus()
                        .build());
        var identity = new EgressIdentity();
        identity.setMetadata(
                new ObjectMetaBuilder().withNamespace("pay").withName("billing").build());
        var spec = new EgressIdentitySpec();
        spec.selector = new EgressIdentitySpec.Selector();
        spec.selector.serviceAccount = "billing";
        spec.poolRef = "egress";
        spec.destinations.add("10.20.0.0/16");
        identity.setSpec(spec);
        create(client, identity);
    }

    static void create(KubernetesClient client, HasMetadata object) {
        client.resource(object).create();
    }

    static String servedBy(KubernetesClient client) {
        var identity = client.resources(EgressIdentity.class)
                .inNamespace("pay")
                .withName("billing")
                .get();
        return identity == null || identity.getStatus() == null ? null : identity.getStatus().servedBy;
    }

    static void await(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out waiting until " + what);
            Thread.sleep(5);
        }
    }

    static double pct(double[] values, int p) {
        var sorted = values.clone();
        Arrays.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** A replica's process and what it printed, timestamped as read. */
    static final class Replica {
        final String identity;
        final Process process;
        final CountDownLatch passed = new CountDownLatch(1);
        volatile long originatesAt = -1;

        private Replica(String identity, Process process) {
            this.identity = identity;
            this.process = process;
            var reader = new Thread(this::read, "read-" + identity);
            reader.setDaemon(true);
            reader.start();
        }

        static Replica start(String url, int n, long[] timings) throws java.io.IOException {
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var command = new ArrayList<>(List.of(
                    java,
                    "--enable-native-access=ALL-UNNAMED",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                    "-cp",
                    System.getProperty("java.class.path"),
                    EgressMoveReplica.class.getName(),
                    url,
                    "replica-" + n,
                    "node-" + n,
                    Integer.toString(n + 1),
                    PREFIX));
            for (long t : timings) command.add(Long.toString(t));
            var process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new Replica("replica-" + n, process);
        }

        private void read() {
            try (var lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    long at = System.nanoTime();
                    switch (line) {
                        case "PASSED" -> passed.countDown();
                        case "ORIGINATES" -> originatesAt = at;
                        case "WITHDRAWS" -> originatesAt = -1;
                        default -> {}
                    }
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        }

        boolean originates() {
            return originatesAt >= 0;
        }

        void awaitPassed() throws InterruptedException {
            if (!passed.await(120, TimeUnit.SECONDS)) throw new IllegalStateException(identity + " ran no pass");
        }
    }
}
