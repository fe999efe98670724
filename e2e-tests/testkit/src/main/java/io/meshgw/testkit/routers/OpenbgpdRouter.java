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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenBGPD (Debian's portable bgpd) in a namespace, configured from a {@link RouterSpec} and queried through bgpctl's
 * JSON output on the instance's own control socket.
 */
public final class OpenbgpdRouter implements BgpRouter {

    /**
     * bgpd chroots its unprivileged engines into the home of its {@code _openbgpd} user; Debian leaves creating it to
     * systemd, which does not start this instance.
     */
    private static final Path CHROOT = Path.of("/run/openbgpd");

    private static final Pattern PREFIX = Pattern.compile("\"prefix\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern IPV4_NETWORKS = Pattern.compile("(\\d+) IPv4 unicast network entries");

    private final NetNs ns;
    private final RouterSpec spec;
    private final Path dir;
    private final Process process;

    private OpenbgpdRouter(NetNs ns, RouterSpec spec, Path dir, Process process) {
        this.ns = ns;
        this.spec = spec;
        this.dir = dir;
        this.process = process;
    }

    static OpenbgpdRouter start(NetNs ns, RouterSpec spec, Path workDir) {
        Path conf = workDir.resolve("bgpd.conf");
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(CHROOT);
            Files.writeString(conf, config(spec, workDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ns.exec("bgpd", "-n", "-f", conf.toString()).check();
        // -d: stay in the foreground, so the spawned process is the parent that stops the engines when it stops;
        // -v: log every session state change and refused connection, for failure messages
        Process p = ns.spawn(List.of("bgpd", "-d", "-v", "-f", conf.toString()), workDir.resolve("bgpd.log"));
        OpenbgpdRouter r = new OpenbgpdRouter(ns, spec, workDir, p);
        if (!BgpRouter.await(
                Duration.ofSeconds(15), () -> r.ctl("show", "summary").ok())) {
            r.close();
            throw new IllegalStateException(
                    "bgpd did not answer on " + r.socket() + " in " + ns.name() + "; log " + r.logFile());
        }
        return r;
    }

    static String config(RouterSpec spec, Path workDir) {
        if (spec.kernelRoutes()) {
            // portable OpenBGPD has no kernel route support on Linux
            throw new IllegalArgumentException(
                    "OpenBGPD cannot install routes on Linux; use BIRD or FRR for " + spec.name());
        }
        StringBuilder c = new StringBuilder();
        c.append("AS ").append(spec.asn()).append('\n');
        c.append("router-id ").append(spec.routerId()).append('\n');
        c.append("socket \"").append(workDir.resolve("bgpd.sock")).append("\"\n");
        c.append("fib-update no\n");
        c.append("connect-retry 2\n");
        for (String prefix : spec.originate()) {
            c.append("network ").append(prefix).append(tags(spec.tags())).append('\n');
        }
        for (BgpNeighbor n : spec.neighbors()) {
            c.append("neighbor ").append(n.address()).append(" {\n");
            c.append("\tremote-as ").append(n.asn()).append('\n');
            n.password()
                    .ifPresent(pw ->
                            c.append("\ttcp md5sig password \"").append(pw).append("\"\n"));
            n.localRole()
                    .ifPresent(r -> c.append("\tannounce policy ")
                            // OpenBGPD calls the route server "rs"
                            .append(r.equals("rs-server") ? "rs" : r)
                            .append(n.strictRole() ? " enforce" : "")
                            .append('\n'));
            c.append("}\n");
        }
        // OpenBGPD's default filter action is deny (RFC 8212 for eBGP); the test routers pass everything.
        c.append("allow from any\nallow to any\n");
        return c.toString();
    }

    private static String tags(RouterSpec.RouteTags t) {
        if (!t.any()) {
            return "";
        }
        List<String> set = new ArrayList<>();
        t.communities().forEach(x -> set.add("community " + x));
        t.largeCommunities().forEach(x -> set.add("large-community " + x));
        if (t.med() >= 0) {
            set.add("med " + t.med());
        }
        return " set { " + String.join(" ", set) + " }";
    }

    private String socket() {
        return dir.resolve("bgpd.sock").toString();
    }

    private CommandResult ctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("bgpctl", "-s", socket()));
        cmd.addAll(List.of(args));
        return ns.exec(cmd.toArray(String[]::new));
    }

    @Override
    public RouterKind kind() {
        return RouterKind.OPENBGPD;
    }

    @Override
    public RouterSpec spec() {
        return spec;
    }

    @Override
    public boolean established(String address) {
        return ctl("show", "neighbor", address).stdout().contains("BGP state = Established");
    }

    @Override
    public Set<String> receivedPrefixes() {
        Set<String> out = new HashSet<>();
        PREFIX.matcher(ctl("-j", "show", "rib").check().stdout()).results().forEach(r -> out.add(r.group(1)));
        out.removeAll(spec.originate());
        return Set.copyOf(out);
    }

    @Override
    public boolean holds(String prefix) {
        if (spec.originate().contains(prefix)) {
            return false;
        }
        // bgpctl looks a prefix up exactly; it answers with an error when the RIB has none
        return PREFIX.matcher(ctl("-j", "show", "rib", prefix).stdout())
                .results()
                .anyMatch(r -> r.group(1).equals(prefix));
    }

    @Override
    public long routeCount() {
        String out = ctl("show", "rib", "memory").check().stdout();
        Matcher m = IPV4_NETWORKS.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("unexpected `show rib memory` output from " + spec.name() + ": " + out);
        }
        return Long.parseLong(m.group(1));
    }

    @Override
    public String routeDetails(String prefix) {
        return ctl("show", "rib", "detail", prefix).stdout();
    }

    @Override
    public long pid() {
        // ip netns exec execs into bgpd, and -d keeps it in the foreground
        return process.pid();
    }

    @Override
    public Path logFile() {
        return dir.resolve("bgpd.log");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
