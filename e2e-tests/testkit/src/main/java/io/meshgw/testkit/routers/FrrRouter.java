package io.meshgw.testkit.routers;

import io.meshgw.testkit.net.Command;
import io.meshgw.testkit.net.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * FRR (zebra + bgpd) in a namespace. The daemons run as the {@code frr} user the package creates,
 * with their pid files, sockets and logs in a private directory, and are queried through vtysh.
 */
public final class FrrRouter implements BgpRouter {

    private static final Pattern PREFIX_KEY =
            Pattern.compile("\"(\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+|[0-9a-f:]+:[0-9a-f:]*/\\d+)\"\\s*:");

    private static final Pattern CONNECTIONS_ESTABLISHED = Pattern.compile("\"connectionsEstablished\"\\s*:\\s*(\\d+)");

    private final NetNs ns;
    private final RouterSpec spec;
    private final Path dir;

    private FrrRouter(NetNs ns, RouterSpec spec, Path dir) {
        this.ns = ns;
        this.spec = spec;
        this.dir = dir;
    }

    /**
     * Starts FRR. The daemons drop to the frr user, which cannot enter a test's private temp
     * directory, so FRR gets its own directory under the system temp dir (named in {@code
     * workDir/frr-dir} for whoever reads the test's files).
     */
    static FrrRouter start(NetNs ns, RouterSpec spec, Path workDir) {
        Path dir;
        try {
            dir = Files.createTempDirectory(
                    Path.of(System.getProperty("java.io.tmpdir")),
                    "meshgw-frr-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Files.writeString(dir.resolve("zebra.conf"), "hostname " + spec.name() + "\n");
            Files.writeString(dir.resolve("bgpd.conf"), config(spec));
            Files.createDirectories(workDir);
            Files.writeString(workDir.resolve("frr-dir"), dir + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Command.check("chown", "-R", "frr:frr", dir.toString());
        FrrRouter r = new FrrRouter(ns, spec, dir);
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
            for (BgpNeighbor n : spec.neighbors()) {
                c.append(RouterSpec.v6(n.address()) == v6 ? "  neighbor " : "  no neighbor ")
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
        List<String> cmd = new ArrayList<>(List.of(
                "/usr/lib/frr/" + name,
                "-d",
                "-N",
                spec.name(),
                "-f",
                dir.resolve(name + ".conf").toString(),
                "-i",
                dir.resolve(name + ".pid").toString(),
                "-z",
                dir.resolve("zserv.api").toString(),
                "--vty_socket",
                dir.toString(),
                "--log",
                "file:" + dir.resolve(name + ".log")));
        if (name.equals("bgpd") && !spec.kernelRoutes()) {
            cmd.add("--no_kernel"); // bgpd keeps nexthop tracking through zebra but installs nothing
        }
        ns.exec(cmd.toArray(String[]::new)).check();
    }

    /** Runs one vtysh command against this FRR instance and returns what it printed. */
    public String vtysh(String command) {
        return ns.exec("vtysh", "--vty_socket", dir.toString(), "-c", command).stdout();
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
        return BirdRouter.readPid(dir.resolve("bgpd.pid"));
    }

    @Override
    public Path logFile() {
        return dir.resolve("bgpd.log");
    }

    @Override
    public void close() {
        for (String d : List.of("bgpd", "zebra")) {
            try {
                String pid = Files.readString(dir.resolve(d + ".pid")).strip();
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroy);
            } catch (IOException | NumberFormatException e) {
                // never started or already gone; the namespace's close kills what is left
            }
        }
        Command.run(List.of("rm", "-rf", dir.toString()));
    }
}
