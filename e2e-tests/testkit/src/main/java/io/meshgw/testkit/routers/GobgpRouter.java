package io.meshgw.testkit.routers;

import io.meshgw.testkit.net.CommandResult;
import io.meshgw.testkit.net.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GoBGP (gobgpd) in a namespace, configured by TOML and queried through the gobgp CLI. */
public final class GobgpRouter implements BgpRouter {

    private static final Pattern PREFIX_KEY =
            Pattern.compile("\"(\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+|[0-9a-f:]+:[0-9a-f:]*/\\d+)\"\\s*:");
    private static final Pattern DESTINATIONS = Pattern.compile("Destination: (\\d+)");
    private static final String API = "127.0.0.1:50051";

    private final NetNs ns;
    private final RouterSpec spec;
    private final Path dir;
    private final Process process;

    private GobgpRouter(NetNs ns, RouterSpec spec, Path dir, Process process) {
        this.ns = ns;
        this.spec = spec;
        this.dir = dir;
        this.process = process;
    }

    static GobgpRouter start(NetNs ns, RouterSpec spec, Path workDir) {
        try {
            Files.createDirectories(workDir);
            Files.writeString(workDir.resolve("gobgpd.toml"), config(spec));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process p = ns.spawn(
                List.of(
                        "gobgpd",
                        "-f",
                        workDir.resolve("gobgpd.toml").toString(),
                        "-t",
                        "toml",
                        "--api-hosts",
                        API,
                        "--log-plain"),
                workDir.resolve("gobgpd.log"));
        GobgpRouter r = new GobgpRouter(ns, spec, workDir, p);
        if (!BgpRouter.await(Duration.ofSeconds(15), () -> r.cli("global").ok())) {
            r.close();
            throw new IllegalStateException("gobgpd did not answer on " + API + " in " + ns.name());
        }
        for (String prefix : spec.originate()) {
            List<String> add = new ArrayList<>(
                    List.of("global", "rib", "add", "-a", RouterSpec.v6(prefix) ? "ipv6" : "ipv4", prefix));
            RouterSpec.RouteTags t = spec.tags();
            if (!t.communities().isEmpty()) {
                add.addAll(List.of("community", String.join(",", t.communities())));
            }
            if (!t.largeCommunities().isEmpty()) {
                add.addAll(List.of("large-community", String.join(",", t.largeCommunities())));
            }
            if (t.med() >= 0) {
                add.addAll(List.of("med", Long.toString(t.med())));
            }
            r.cli(add.toArray(String[]::new)).check();
        }
        return r;
    }

    static String config(RouterSpec spec) {
        StringBuilder c = new StringBuilder();
        c.append("[global.config]\n  as = ").append(spec.asn()).append('\n');
        c.append("  router-id = \"").append(spec.routerId()).append("\"\n");
        for (BgpNeighbor n : spec.neighbors()) {
            if (n.localRole().isPresent()) {
                throw new IllegalArgumentException(
                        "GoBGP has no RFC 9234 roles; use BIRD or FRR for neighbor " + n.address());
            }
            c.append("\n[[neighbors]]\n  [neighbors.config]\n");
            c.append("    neighbor-address = \"").append(n.address()).append("\"\n");
            c.append("    peer-as = ").append(n.asn()).append('\n');
            n.password()
                    .ifPresent(
                            pw -> c.append("    auth-password = \"").append(pw).append("\"\n"));
            c.append("  [neighbors.timers.config]\n    connect-retry = 2\n");
            if (n.extendedNextHop()) {
                throw new IllegalArgumentException(
                        "the GoBGP configuration here has no RFC 8950; use BIRD or FRR for neighbor " + n.address());
            }
            for (boolean v6 : new boolean[] {false, true}) {
                if (n.carries(v6)) {
                    c.append("  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n");
                    c.append("      afi-safi-name = \"")
                            .append(v6 ? "ipv6" : "ipv4")
                            .append("-unicast\"\n");
                }
            }
        }
        return c.toString();
    }

    private CommandResult cli(String... args) {
        String[] host = API.split(":");
        List<String> cmd = new ArrayList<>(List.of("gobgp", "-u", host[0], "-p", host[1]));
        cmd.addAll(List.of(args));
        return ns.exec(cmd.toArray(String[]::new));
    }

    @Override
    public RouterKind kind() {
        return RouterKind.GOBGP;
    }

    @Override
    public RouterSpec spec() {
        return spec;
    }

    @Override
    public boolean established(String address) {
        return cli("neighbor", address).stdout().contains("BGP state = ESTABLISHED");
    }

    @Override
    public Set<String> receivedPrefixes() {
        Set<String> out = new HashSet<>();
        for (String family : List.of("ipv4", "ipv6")) {
            PREFIX_KEY
                    .matcher(cli("global", "rib", "-a", family, "-j").stdout())
                    .results()
                    .forEach(r -> out.add(r.group(1)));
        }
        out.removeAll(spec.originate());
        return Set.copyOf(out);
    }

    @Override
    public long routeCount() {
        Matcher m = DESTINATIONS.matcher(
                cli("global", "rib", "summary", "-a", "ipv4").stdout());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Override
    public String routeDetails(String prefix) {
        return cli("global", "rib", "-a", RouterSpec.v6(prefix) ? "ipv6" : "ipv4", prefix, "-j")
                .stdout();
    }

    @Override
    public long pid() {
        // ip netns exec execs into gobgpd, so the spawned process is the daemon itself
        return process.pid();
    }

    @Override
    public Path logFile() {
        return dir.resolve("gobgpd.log");
    }

    @Override
    public void close() {
        process.destroy();
    }
}
