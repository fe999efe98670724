package io.meshgw.e2e;

import io.meshgw.testkit.net.CommandResult;
import io.meshgw.testkit.routers.BgpRouter;
import io.meshgw.testkit.routers.RouterKind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The steps of the hybrid story, shared by the lab (which prints them) and the end-to-end tests
 * (which assert on them). Each returns what it saw; none asserts.
 */
public final class Scenarios {

    public static final Duration UP = Duration.ofSeconds(60);

    private final HybridLab lab;

    public Scenarios(HybridLab lab) {
        this.lab = lab;
    }

    /** How long a condition took to become true, or -1 when it did not within {@code timeout}. */
    public static long millisUntil(Duration timeout, BooleanSupplier condition) {
        long start = System.nanoTime();
        boolean ok = BgpRouter.await(timeout, condition);
        return ok ? (System.nanoTime() - start) / 1_000_000 : -1;
    }

    public long sessionsUp() {
        return millisUntil(UP, lab::sessionsUp);
    }

    /** The VIP is announced (a backend exists somewhere): millis until both datacenter routers have it. */
    public long vipAnnounced() {
        return millisUntil(UP, () -> lab.routersHave(HybridLab.VIP + "/32"));
    }

    /** One request from the legacy host to the VIP; what the backend answered. */
    public String legacyToVip() {
        CommandResult r = lab.fromLegacy(HybridLab.VIP + ":80");
        return r.ok() ? r.stdout().strip() : "failed: " + r.stderr().strip();
    }

    /** Retries a request until the answer contains {@code expected}, bounded. */
    public String legacyToVipUntil(String expected, Duration timeout) {
        String[] last = {""};
        BgpRouter.await(timeout, () -> (last[0] = legacyToVip()).contains(expected));
        return last[0];
    }

    public String podToLegacy(int port) {
        return podToLegacy(HybridLab.LEGACY_HOST, port);
    }

    /** One TCP exchange from the client pod to {@code host} (a name its resolver looks up, or an address). */
    public String podToLegacy(String host, int port) {
        CommandResult r = lab.fromClientPod(host + ":" + port);
        return r.ok() ? r.stdout().strip() : "failed: " + r.stderr().strip();
    }

    /** Milliseconds until the client pod's resolver gets the legacy host's address for the billing name. */
    public long billingResolves() {
        return millisUntil(
                UP,
                () -> lab.resolveFromClientPod(HybridLab.BILLING_NAME)
                        .equals(java.util.List.of(HybridLab.LEGACY_HOST)));
    }

    /** The egress source is announced, so the legacy host's replies route back to the gateway. */
    public long egressAnnounced() {
        return millisUntil(UP, () -> lab.routersHave(HybridLab.EGRESS_SOURCE + "/32"));
    }

    /** A counter of the datapath, from a gateway's admin API. */
    public long counter(String cluster, String name) {
        String json = lab.gateway(cluster).get("/api/v1/datapath/counters").body();
        Matcher m = Pattern.compile("\"name\":\"" + name + "\",\"description\":\"[^\"]*\",\"packets\":(\\d+)")
                .matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * One of a gateway's BGP sessions (e.g. {@code meshgw-system/dc}) as its admin API shows it:
     * sessionState, establishedSince, flaps, lastError, ...; empty when the gateway has no such session.
     */
    public Map<String, String> bgpPeer(String cluster, String session) {
        return FlatJson.objects(lab.gateway(cluster).get("/api/v1/bgp/peers").body()).stream()
                .filter(p -> session.equals(p.get("name")))
                .findFirst()
                .orElse(Map.of());
    }

    /** The routes a gateway holds from one session (after import policy): prefix -> route fields. */
    public Map<String, Map<String, String>> routesFrom(String cluster, String session) {
        var r = lab.gateway(cluster)
                .get("/api/v1/bgp/routes?peer=" + URLEncoder.encode(session, StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            return Map.of(); // the session is not configured (yet)
        }
        Map<String, Map<String, String>> out = new TreeMap<>();
        FlatJson.objects(r.body()).forEach(route -> out.put(route.get("prefix"), route));
        return out;
    }

    /** Sets the web backends of a cluster; returns the millis until the router's view matches. */
    public long setBackends(String cluster, List<String> backends) {
        lab.update(cluster, s -> HybridLab.withBackends(s, backends));
        return 0;
    }

    /**
     * After the last backend anywhere went: for each datacenter router, millis until it no longer
     * had the VIP, or -1 when it still had it after 10 s. The routers are watched side by side, so
     * one router's slower CLI does not delay what is seen of the other.
     */
    public Map<RouterKind, Long> vipWithdrawn() {
        long start = System.nanoTime();
        Map<RouterKind, CompletableFuture<Long>> watches = new EnumMap<>(RouterKind.class);
        for (BgpRouter r : lab.routers()) {
            watches.put(
                    r.kind(),
                    CompletableFuture.supplyAsync(
                            () -> millisUntilGone(r, HybridLab.VIP + "/32", start, Duration.ofSeconds(10)),
                            task -> Thread.ofPlatform().start(task)));
        }
        Map<RouterKind, Long> out = new EnumMap<>(RouterKind.class);
        watches.forEach((kind, watch) -> out.put(kind, watch.join()));
        return out;
    }

    private static long millisUntilGone(BgpRouter r, String prefix, long startNanos, Duration timeout) {
        long deadline = startNanos + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!r.holds(prefix)) {
                return (System.nanoTime() - startNanos) / 1_000_000;
            }
            GatewayProcess.sleep(20);
        }
        return -1;
    }

    /**
     * A steady stream of short TCP exchanges from the legacy host to the VIP (one every
     * {@code intervalMs}) while {@code during} runs; returns how many failed of how many.
     */
    public int[] steadyStream(int intervalMs, Runnable during, Duration settle) {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Thread stream = Thread.ofPlatform().name("steady-stream").start(() -> {
            while (!stop.get()) {
                sent.incrementAndGet();
                String answer = legacyToVip();
                if (!answer.contains("saw")) {
                    failed.incrementAndGet();
                    System.err.printf(
                            "steady stream: %s failed: %s (legacy router: %s)%n",
                            java.time.LocalTime.now(), answer, lab.legacyRouterRoute(HybridLab.VIP));
                }
                try {
                    Thread.sleep(intervalMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            during.run();
            Thread.sleep(settle.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stop.set(true);
            try {
                stream.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new int[] {failed.get(), sent.get()};
    }
}
