package io.meshgw.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's own figures on the lab (a benchmark, not a test): start to admin API and to
 * ready, export to VIP answering, last backend to route withdrawn, RSS at idle and with many
 * exported services. Usage: {@code GatewayFigures [services=10000]}.
 */
public final class GatewayFigures {

    private GatewayFigures() {}

    static long rssKib(long pid) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    static int services(GatewayProcess g) {
        Matcher m = Pattern.compile("\"services\":(\\d+)")
                .matcher(g.get("/api/v1/datapath").body());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    public static void main(String[] args) throws Exception {
        int bulk = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        try (HybridLab lab = HybridLab.start(Files.createTempDirectory("meshgw-figures"))) {
            Scenarios s = new Scenarios(lab);
            System.out.printf("sessions up after %d ms%n", s.sessionsUp());
            s.legacyToVipUntil("saw", Duration.ofSeconds(30));

            lab.gateway("east").stop();
            long t0 = System.nanoTime();
            GatewayProcess east = lab.startGateway("east");
            long up = (System.nanoTime() - t0) / 1_000_000;
            long ready = Scenarios.millisUntil(
                    Duration.ofSeconds(60), () -> east.get("/q/health/ready").statusCode() == 200);
            System.out.printf(
                    "gateway start -> admin API up: %d ms; -> ready (BGP established, mesh synced): %d ms%n",
                    up, up + ready);
            Thread.sleep(5000);
            System.out.printf("RSS at idle (1 export): %,d KiB%n", rssKib(east.pid()));

            s.setBackends("west", List.of());
            System.out.printf("last backend gone -> routers withdrew the VIP (ms): %s%n", s.vipWithdrawn());
            long t1 = System.nanoTime();
            s.setBackends("west", List.of(HybridLab.WEB_B));
            String answer = s.legacyToVipUntil("saw", Duration.ofSeconds(30));
            System.out.printf(
                    "backend exported in west -> VIP answering from the legacy host: %d ms (%s)%n",
                    (System.nanoTime() - t1) / 1_000_000, answer);

            long t2 = System.nanoTime();
            lab.updateWithExtra("east", ClusterFile.bulk(bulk));
            long applied = Scenarios.millisUntil(Duration.ofMinutes(5), () -> services(east) >= bulk + 1);
            System.out.printf(
                    "%,d more exports: in the datapath after %d ms (file read, desired state, ports)%n",
                    bulk, applied < 0 ? -1 : (System.nanoTime() - t2) / 1_000_000);
            long announced = Scenarios.millisUntil(
                    Duration.ofMinutes(5), () -> lab.bird().routeCount() >= bulk);
            System.out.printf("... all announced at BIRD after %d ms more%n", announced);
            Thread.sleep(10_000);
            System.out.printf("RSS with %,d exports: %,d KiB%n", bulk + 1, rssKib(east.pid()));
        }
    }
}
