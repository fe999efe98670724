package io.meshgw.bench;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meshgw.operator.apiserver.StrictMockServer;
import io.meshgw.operator.desired.Fixtures;
import io.meshgw.operator.plan.NodeEgress;
import io.meshgw.operator.reconcile.NodeRoleOperator;
import io.meshgw.operator.reconcile.OperatorOptions;
import io.meshgw.types.ClusterId;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What one node's node role takes from the API server on a cluster of {@code nodes} nodes and {@code pods} Pods (spread
 * evenly, a quarter of them kept by an EgressIdentity): the node role as built (its node's Pods by a field selector,
 * the gateways' namespace's) beside, in the same process against the same server, an informer of every Pod of the
 * cluster (what each node role listed and watched before). For each: the Pods it holds, the time from start until its
 * cache is filled (and, for the node role, until its first plan reached its datapath), the heap the cache keeps, and
 * how many Pod events it receives while {@code churn} Pods on other nodes change.
 *
 * <p>The API server is fabric8's mock (the operator's strict one, which matches Pods by node): its own cost is no
 * measure of a real API server's, but what the client receives, holds and handles is the client's.
 *
 * <p>Arguments: nodes, pods, churn.
 */
public final class NodeRoleWatchBench {
    private NodeRoleWatchBench() {}

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int pods = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int churn = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        if (nodes < 2 || pods < nodes || churn > pods - pods / nodes - nodes) {
            throw new IllegalArgumentException("needs 2 or more nodes, a pod per node, and fewer changes than the pods"
                    + " of the other nodes: " + nodes + " nodes, " + pods + " pods, " + churn + " changes");
        }
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
        var server = StrictMockServer.start(InetAddress.getLoopbackAddress());
        try (KubernetesClient client = server.createClient()) {
            long t0 = System.nanoTime();
            objects(client, nodes, pods);
            System.out.printf(
                    "node role watch bench: %d nodes, %d pods (%d per node), %d changed on other nodes; objects"
                            + " written in %.1f s%n",
                    nodes, pods, pods / nodes, churn, (System.nanoTime() - t0) / 1e9);

            // The node role as built, on node-0.
            long heap0 = usedHeap();
            AtomicReference<NodeEgress> applied = new AtomicReference<>();
            AtomicInteger passes = new AtomicInteger();
            long r0 = System.nanoTime();
            var role = new NodeRoleOperator(
                    client,
                    e -> {
                        applied.set(e);
                        passes.incrementAndGet();
                    },
                    OperatorOptions.defaults(new ClusterId(1, "east"), "meshgw-system", "node-role-0")
                            .withNode("node-0"));
            role.start();
            await(() -> applied.get() != null);
            long roleFirst = System.nanoTime() - r0;
            int roleHeld = applied.get().localPods().size();
            long roleHeap = usedHeap() - heap0;

            // Baseline, beside it: one informer of every Pod, as each node role had.
            heap0 = usedHeap();
            AtomicInteger allEvents = new AtomicInteger();
            long a0 = System.nanoTime();
            SharedIndexInformer<Pod> all = client.pods().inAnyNamespace().runnableInformer(0);
            all.addEventHandler(counting(allEvents));
            all.start();
            await(() -> all.hasSynced() && allEvents.get() >= pods);
            long allSync = System.nanoTime() - a0;
            int allHeld = all.getStore().list().size();
            long allHeap = usedHeap() - heap0;

            // Churn on the other nodes: what each receives.
            allEvents.set(0);
            int before = passes.get();
            for (int i = 0; i < churn; i++) {
                int n = 1 + i % (nodes - 1); // never node-0
                int k = n + nodes * (i / (nodes - 1));
                client.pods().inNamespace("pay").withName("p-" + k).edit(p -> {
                    p.getMetadata().getLabels().put("rev", "1");
                    return p;
                });
            }
            await(() -> allEvents.get() >= churn);
            Thread.sleep(2_000); // what else reaches the node role
            int rolePasses = passes.get() - before;
            all.stop();
            role.close();

            System.out.printf("  %-52s %8s %10s %10s %10s%n", "", "Pods held", "synced ms", "heap MiB", "events");
            System.out.printf(
                    "  %-52s %8d %10.0f %10.1f %10d%n",
                    "informer of every Pod (each node role before)",
                    allHeld,
                    allSync / 1e6,
                    allHeap / 1048576.0,
                    allEvents.get());
            System.out.printf(
                    "  %-52s %8d %10.0f %10.1f %10d%n",
                    "node role: its node's Pods and the gateways'",
                    roleHeld,
                    roleFirst / 1e6,
                    roleHeap / 1048576.0,
                    rolePasses);
            System.out.println(
                    "  (informer: synced = until every Pod was delivered, events = Pod events during the churn; node role:"
                            + " synced = until its first plan reached its datapath, events = passes it ran during the"
                            + " churn, heap = its whole operator's; heap = used heap after full GCs, before and after)");
        } finally {
            server.destroy();
        }
    }

    static void objects(KubernetesClient client, int nodes, int pods) {
        for (int n = 0; n < nodes; n++) {
            client.nodes()
                    .resource(new NodeBuilder()
                            .withNewMetadata()
                            .withName("node-" + n)
                            .endMetadata()
                            .build())
                    .create();
        }
        client.resource(Fixtures.egressPool("egress", "198.51.100.0/30")).create();
        client.resource(Fixtures.egressIdentity("pay", "billing", 0, "egress")).create();
        for (int i = 0; i < pods; i++) {
            var pod = Fixtures.pod(
                    "pay",
                    "p-" + i,
                    i % 4 == 0 ? "billing" : "web",
                    new java.util.HashMap<>(Map.of("app", "p" + (i % 50))),
                    "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
            pod.getSpec().setNodeName("node-" + (i % nodes));
            client.resource(pod).create();
        }
    }

    static ResourceEventHandler<Pod> counting(AtomicInteger events) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod obj) {
                events.incrementAndGet();
            }

            @Override
            public void onUpdate(Pod oldObj, Pod newObj) {
                events.incrementAndGet();
            }

            @Override
            public void onDelete(Pod obj, boolean deletedFinalStateUnknown) {
                events.incrementAndGet();
            }
        };
    }

    static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out");
            Thread.sleep(20);
        }
    }
}
