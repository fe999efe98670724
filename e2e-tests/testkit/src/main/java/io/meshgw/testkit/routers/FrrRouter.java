package io.meshgw.testkit.routers;

import io.meshgw.testkit.net.PartNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * FRR (zebra + bgpd) in a namespace: the host's FRR in a local namespace, or the FRR image's in a
 * container's (see {@link PartNamespace}). The daemons run as the {@code frr} user the package
 * creates, with their pid files, sockets and logs in a private directory, and are queried through
 * vtysh.
 */
public final class FrrRouter implements BgpRouter {

    private static final Pattern PREFIX_KEY =
            Pattern.compile("\"(\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+|[0-9a-f:]+:[0-9a-f:]*/\\d+)\"\\s*:");

    private static final Pattern CONNECTIONS_ESTABLISHED = Pattern.compile("\"connectionsEstablished\"\\s*:\\s*(\\d+)");

    private final PartNamespace ns;
    private final RouterSpec spec;
    private final String dir;
    private final Path workDir;

    private FrrRouter(PartNamespace ns, RouterSpec spec, String dir, Path workDir) {
        this.ns = ns;
        this.spec = spec;
        this.dir = dir;
        this.workDir = workDir;
    }

    /**
     * Starts FRR in {@code ns}: a local namespace (the host's FRR) or an FRR container's. The
     * daemons drop to the frr user, which cannot enter a test's private temp directory, so FRR
     * gets its own directory (named in {@code workDir/frr-dir} for whoever reads the test's
     * files); copies of its files from a container land in {@code workDir}.
     */
    public static FrrRouter start(PartNamespace ns, RouterSpec spec, Path workDir) {
        String dir = ns.createDirectory("meshgw-frr-");
        ns.writeFile(dir + "/zebra.conf", "hostname " + spec.name() + "\n");
        ns.writeFile(dir + "/bgpd.conf", config(spec));
        try {
            Files.createDirectories(workDir);
            Files.writeString(workDir.resolve("frr-dir"), dir + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ns.execPart("chown", "-R", "frr:frr", dir).check();
        FrrRouter r = new FrrRouter(ns, spec, dir, workDir);
        r.daemon("zebra");
        r.daemon("bgpd");
        return r;
    }

    static String config(RouterSpec spec) {
        StringBuilder c = new StringBuilder();
        c.append("frr defaults traditional\nhostname ").append(spec.name()).append('\n');
        RouterSpec.RouteTags t = spec.tags();
        c.append("router bgp ").append(spec.asn()).append('\n');
        c.append(" bgp router-id ").append(spec.routerId()).append('\n');
        // Tests exchange routes without route-maps, and originate prefixes that are not in the RIB.
        c.append(" no bgp ebgp-requires-policy\n no bgp network import-check\n");
        for (BgpNeighbor n : spec.neighbors()) {
            c.append(" neighbor ")
                    .append(n.address())
                    .append(" remote-as ")
                    .append(n.asn())
                    .append('\n');
            c.append(" neighbor ").append(n.address()).append(" timers connect 2\n");
            n.localRole()
                    .ifPresent(r -> c.append(" neighbor ")
                            .append(n.address())
                            .append(" local-role ")
                            .append(r)
                            .append(n.strictRole() ? " strict-mode" : "")
                            .append('\n'));
            if (n.extendedNextHop()) {
                c.append(" neighbor ").append(n.address()).append(" capability extended-nexthop\n");
            }
            n.password()
                    .ifPresent(pw -> c.append(" neighbor ")
                            .append(n.address())
                            .append(" password ")
                            .append(pw)
                            .append('\n'));
        }
        for (String family : List.of("ipv4", "ipv6")) {
            boolean v6 = family.equals("ipv6");
            c.append(" address-family ").append(family).append(" unicast\n");
            if (spec.kernelRoutes()) {
                c.append("  maximum-paths 8\n"); // ECMP over equal routes from several neighbors
            }
            for (BgpNeighbor n : spec.neighbors()) {
                c.append(n.carries(v6) ? "  neighbor " : "  no neighbor ")
                        .append(n.address())
                        .append(" activate\n");
            }
            spec.originate().stream()
                    .filter(p -> RouterSpec.v6(p) == v6)
                    .forEach(p -> c.append("  network ")
                            .append(p)
                            .append(t.any() ? " route-map TAGS" : "")
                            .append('\n'));
            c.append(" exit-address-family\n");
        }
        if (t.any()) {
            c.append("route-map TAGS permit 10\n");
            if (!t.communities().isEmpty()) {
                c.append(" set community ")
                        .append(String.join(" ", t.communities()))
                        .append('\n');
            }
            if (!t.largeCommunities().isEmpty()) {
                c.append(" set large-community ")
                        .append(String.join(" ", t.largeCommunities()))
                        .append('\n');
            }
            if (t.med() >= 0) {
                c.append(" set metric ").append(t.med()).append('\n');
            }
        }
        return c.toString();
    }

    private void daemon(String name) {
        ns.execPart(daemonCommand(name, spec, dir).toArray(String[]::new)).check();
    }

    /** The command line of one FRR daemon whose files are all in {@code dir}. */
    static List<String> daemonCommand(String name, RouterSpec spec, String dir) {
        List<String> cmd = new ArrayList<>(List.of(
                "/usr/lib/frr/" + name,
                "-d",
                "-N",
                spec.name(),
                "-f",
                dir + "/" + name + ".conf",
                "-i",
                dir + "/" + name + ".pid",
                "-z",
                dir + "/zserv.api",
                "--vty_socket",
                dir,
                "--log",
                "file:" + dir + "/" + name + ".log"));
        if (name.equals("bgpd") && !spec.kernelRoutes()) {
            cmd.add("--no_kernel"); // bgpd keeps nexthop tracking through zebra but installs nothing
        }
        return cmd;
    }

    /** Runs one vtysh command against this FRR instance and returns what it printed. */
    public String vtysh(String command) {
        return ns.execPart("vtysh", "--vty_socket", dir, "-c", command).stdout();
    }

    @Override
    public RouterKind kind() {
        return RouterKind.FRR;
    }

    @Override
    public RouterSpec spec() {
        return spec;
    }

    @Override
    public boolean established(String address) {
        return vtysh("show bgp neighbors " + address + " json").contains("\"bgpState\":\"Established\"");
    }

    /**
     * How many times the session with {@code address} has reached Established, as FRR counts
     * ("connectionsEstablished"): a session that reset and came back counts once more.
     */
    public int sessionsEstablished(String address) {
        String json = vtysh("show bgp neighbors " + address + " json");
        Matcher m = CONNECTIONS_ESTABLISHED.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no connectionsEstablished for " + address + " in: " + json);
        }
        return Integer.parseInt(m.group(1));
    }

    @Override
    public Set<String> receivedPrefixes() {
        Set<String> out = new HashSet<>();
        for (String family : List.of("ipv4", "ipv6")) {
            PREFIX_KEY
                    .matcher(vtysh("show bgp " + family + " unicast json"))
                    .results()
                    .forEach(r -> out.add(r.group(1)));
        }
        out.removeAll(spec.originate());
        return Set.copyOf(out);
    }

    /** One vtysh lookup of the exact prefix instead of the whole table of both families. */
    @Override
    public boolean holds(String prefix) {
        return !spec.originate().contains(prefix) && routeDetails(prefix).contains("\"paths\"");
    }

    @Override
    public long routeCount() {
        // "ribCount" in the summary counts table nodes, not prefixes; count the prefixes instead.
        return PREFIX_KEY.matcher(vtysh("show bgp ipv4 unicast json")).results().count()
                + PREFIX_KEY
                        .matcher(vtysh("show bgp ipv6 unicast json"))
                        .results()
                        .count();
    }

    @Override
    public String routeDetails(String prefix) {
        return vtysh("show bgp " + (RouterSpec.v6(prefix) ? "ipv6" : "ipv4") + " unicast " + prefix + " json");
    }

    @Override
    public long pid() {
        return ns.hostPid(BirdRouter.readPid(ns.hostCopy(dir + "/bgpd.pid", workDir)));
    }

    @Override
    public Path logFile() {
        return ns.hostCopy(dir + "/bgpd.log", workDir);
    }

    @Override
    public void close() {
        for (String d : List.of("bgpd", "zebra")) {
            try {
                String pid = Files.readString(ns.hostCopy(dir + "/" + d + ".pid", workDir))
                        .strip();
                ProcessHandle.of(ns.hostPid(Long.parseLong(pid))).ifPresent(ProcessHandle::destroy);
            } catch (IOException | RuntimeException e) {
                // never started or already gone; the namespace's close kills what is left
            }
        }
        ns.execPart("rm", "-rf", dir);
    }
}
