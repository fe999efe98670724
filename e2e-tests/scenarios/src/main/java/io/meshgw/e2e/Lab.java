package io.meshgw.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The main job: the hybrid lab with a progress display. Builds the topology, walks through the
 * story (sessions, a cross-cluster VIP, egress with a stable source, failover, withdrawal), then
 * keeps running for exploration with the CLI until Ctrl-C or {@code LAB_SECONDS}.
 */
public final class Lab {

    private static final int STEPS = 7;
    private static int step;

    private Lab() {}

    private static void title(String what) {
        step++;
        System.out.printf("%n[%d/%d] %s%n", step, STEPS, what);
    }

    private static void line(String fmt, Object... args) {
        System.out.printf("      " + fmt + "%n", args);
    }

    private static String ms(long millis) {
        return millis < 0 ? "NOT within the time limit" : String.format("%.2f s", millis / 1000.0);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("meshgw-lab");
        System.out.println("meshgw lab: two datacenter routers, a legacy host and two clusters with their gateways");
        System.out.println("logs and files in " + dir);
        title("topology: 8 network namespaces, BIRD and FRR, a Kafka broker, gateways east and west");
        long t0 = System.nanoTime();
        HybridLab lab = HybridLab.start(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(lab::close));
        Scenarios s = new Scenarios(lab);
        line("up in %s", ms((System.nanoTime() - t0) / 1_000_000));

        title("BGP: both gateways peer with both datacenter routers, BIRD and FRR (AS 65001)");
        line("established in %s", ms(s.sessionsUp()));

        title("shop/web is exported by west (backend web-b); east gives it VIP " + HybridLab.VIP);
        line("VIP announced to both routers after %s", ms(s.vipAnnounced()));
        line("legacy host -> %s:80  =>  %s", HybridLab.VIP, s.legacyToVipUntil("saw", Duration.ofSeconds(20)));

        title("a pod of east reaches the legacy billing service by name with its stable egress IP");
        line("egress source %s announced after %s", HybridLab.EGRESS_SOURCE, ms(s.egressAnnounced()));
        line(
                "%s resolves in the pod (east's DNS, LegacyService billing) after %s",
                HybridLab.BILLING_NAME, ms(s.billingResolves()));
        String billing = "";
        for (int i = 0; i < 50 && !billing.contains("saw"); i++) {
            billing = s.podToLegacy(HybridLab.BILLING_NAME, 9000);
        }
        line("pod 10.1.0.20 -> %s:9000  =>  %s", HybridLab.BILLING_NAME, billing);
        long dropsBefore = s.counter("east", "drop_policy");
        String admin = s.podToLegacy(9100);
        long drops = s.counter("east", "drop_policy") - dropsBefore;
        line(
                "pod 10.1.0.20 -> admin   192.0.2.10:9100  =>  %s",
                admin.startsWith("failed") && drops > 0
                        ? "dropped by east's egress policy (9100 is not in allowedPorts; " + drops
                                + " packets counted as drop_policy)"
                        : admin);

        title("failover: web-a starts in east (local backends are preferred), then west's backend goes");
        s.setBackends("east", List.of(HybridLab.WEB_A));
        line("legacy host -> VIP  =>  %s", s.legacyToVipUntil("web-a", Duration.ofSeconds(20)));
        s.setBackends("west", List.of());
        line("west's backend gone; legacy host -> VIP  =>  %s", s.legacyToVip());

        title("the last backend goes: the VIP is withdrawn from both routers");
        s.setBackends("east", List.of());
        s.vipWithdrawn().forEach((router, millis) -> line("%s lost %s/32 after %s", router, HybridLab.VIP, ms(millis)));

        title("west's backend comes back: the VIP returns");
        s.setBackends("west", List.of(HybridLab.WEB_B));
        line(
                "announced again after %s; legacy host -> VIP  =>  %s",
                ms(s.vipAnnounced()), s.legacyToVipUntil("web-b", Duration.ofSeconds(20)));

        System.out.println();
        System.out.println("The lab keeps running. Look around with the CLI, e.g.:");
        for (String g : List.of("east", "west")) {
            System.out.printf(
                    "  scripts/meshgw --url %s --token %s services%n",
                    lab.gateway(g).adminUrl(), HybridLab.TOKEN);
        }
        System.out.printf(
                "  scripts/meshgw --url %s --token %s explain %s:80%n",
                lab.gateway("east").adminUrl(), HybridLab.TOKEN, HybridLab.VIP);
        String seconds = System.getenv("LAB_SECONDS");
        if (seconds != null && !seconds.isBlank()) {
            System.out.println("stopping in " + seconds + " s (LAB_SECONDS)");
            Thread.sleep(Long.parseLong(seconds.strip()) * 1000);
        } else {
            System.out.println("Ctrl-C stops the lab and removes everything it created.");
            Thread.currentThread().join();
        }
        lab.close();
    }
}
