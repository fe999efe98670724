package io.meshgw.testkit.routers;

import io.meshgw.testkit.net.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** BIRD 2 in a namespace, configured from a {@link RouterSpec} and queried through birdc. */
public final class BirdRouter implements BgpRouter {

    private static final Pattern ROUTE_LINE =
            Pattern.compile("^(\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+|[0-9a-f:]+:[0-9a-f:]*/\\d+)\\s", Pattern.MULTILINE);

    private static final Pattern ROUTE_COUNT =
            Pattern.compile("(\\d+) of \\d+ routes for \\d+ networks in table master");

    private final NetNs ns;
    private final RouterSpec spec;
    private final Path dir;

    private BirdRouter(NetNs ns, RouterSpec spec, Path dir) {
        this.ns = ns;
        this.spec = spec;
        this.dir = dir;
    }

    static BirdRouter start(NetNs ns, RouterSpec spec, Path workDir) {
        BirdRouter r = new BirdRouter(ns, spec, workDir);
        try {
            Files.createDirectories(workDir);
            Files.writeString(workDir.resolve("bird.conf"), config(spec, workDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ns.exec(
                        "bird",
                        "-c",
                        workDir.resolve("bird.conf").toString(),
                        "-s",
                        r.socket(),
                        "-P",
                        workDir.resolve("bird.pid").toString())
                .check();
        return r;
    }

    static String config(RouterSpec spec, Path workDir) {
        StringBuilder c = new StringBuilder();
        c.append("log \"").append(workDir.resolve("bird.log")).append("\" all;\n");
        c.append("router id ").append(spec.routerId()).append(";\n");
        c.append("protocol device {}\n");
        if (spec.kernelRoutes()) {
            // ECMP, as a datacenter router in front of several gateway nodes runs it: equal routes from several
            // neighbors become one kernel route with a next hop each.
            c.append("protocol kernel { merge paths on; ipv4 { export all; }; }\n");
        }
        staticProtocol(c, spec, "originated4", "ipv4", false);
        staticProtocol(c, spec, "originated6", "ipv6", true);
        for (int i = 0; i < spec.neighbors().size(); i++) {
            BgpNeighbor n = spec.neighbors().get(i);
            c.append("protocol bgp ").append(protocolName(i)).append(" {\n");
            c.append("  local as ").append(spec.asn()).append(";\n");
            c.append("  neighbor ")
                    .append(n.address())
                    .append(" as ")
                    .append(n.asn())
                    .append(";\n");
            c.append("  connect delay time 1;\n  connect retry time 2;\n  error wait time 1, 10;\n");
            n.password().ifPresent(pw -> c.append("  password \"").append(pw).append("\";\n"));
            // BIRD spells the route-server roles with an underscore
            n.localRole()
                    .ifPresent(r -> c.append("  local role ")
                            .append(r.replace('-', '_'))
                            .append(";\n"));
            if (n.strictRole()) {
                c.append("  require roles;\n");
            }
            n.iface().ifPresent(nic -> c.append("  interface \"").append(nic).append("\";\n"));
            if (n.carries(false)) {
                c.append("  ipv4 { import all; export all;")
                        .append(n.extendedNextHop() ? " extended next hop on;" : "")
                        .append(" };\n");
            }
            if (n.carries(true)) {
                c.append("  ipv6 { import all; export all; };\n");
            }
            c.append("}\n");
        }
        return c.toString();
    }

    private static void staticProtocol(StringBuilder c, RouterSpec spec, String name, String channel, boolean v6) {
        List<String> prefixes =
                spec.originate().stream().filter(p -> RouterSpec.v6(p) == v6).toList();
        if (prefixes.isEmpty()) {
            return;
        }
        c.append("protocol static ")
                .append(name)
                .append(" {\n  ")
                .append(channel)
                .append(";\n");
        for (String p : prefixes) {
            c.append("  route ").append(p).append(" blackhole");
            RouterSpec.RouteTags t = spec.tags();
            if (t.any()) {
                c.append(" {");
                t.communities()
                        .forEach(x -> c.append(" bgp_community.add((")
                                .append(x.replace(':', ','))
                                .append("));"));
                t.largeCommunities()
                        .forEach(x -> c.append(" bgp_large_community.add((")
                                .append(x.replace(':', ','))
                                .append("));"));
                if (t.med() >= 0) {
                    c.append(" bgp_med = ").append(t.med()).append(";");
                }
                c.append(" }");
            }
            c.append(";\n");
        }
        c.append("}\n");
    }

    private static String protocolName(int index) {
        return "peer" + index;
    }

    private String socket() {
        return dir.resolve("bird.ctl").toString();
    }

    @Override
    public RouterKind kind() {
        return RouterKind.BIRD;
    }

    @Override
    public RouterSpec spec() {
        return spec;
    }

    @Override
    public boolean established(String address) {
        return ns.exec("birdc", "-s", socket(), "show", "protocols", protocolOf(address))
                .stdout()
                .contains("Established");
    }

    /**
     * When the session with {@code address} last changed state, as BIRD shows it in the "Since"
     * column (time of day to the millisecond): a session that went down or came back since has
     * another value.
     */
    public String sessionSince(String address) {
        String protocol = protocolOf(address);
        String out = ns.exec("birdc", "-s", socket(), "show", "protocols", protocol)
                .check()
                .stdout();
        Matcher m = Pattern.compile("^" + protocol + "\\s+BGP\\s+\\S+\\s+\\S+\\s+(\\S+)", Pattern.MULTILINE)
                .matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no state line for " + protocol + " in `show protocols`: " + out);
        }
        return m.group(1);
    }

    /** Drops the session with {@code address} and lets it come back: one flap, as an operator's `birdc restart`. */
    public void restartSession(String address) {
        ns.exec("birdc", "-s", socket(), "restart", protocolOf(address)).check();
    }

    private String protocolOf(String address) {
        for (int i = 0; i < spec.neighbors().size(); i++) {
            if (spec.neighbors().get(i).address().equals(address)) {
                return protocolName(i);
            }
        }
        throw new IllegalArgumentException(address + " is not a neighbor of " + spec.name());
    }

    /** Withdraws the IPv4 prefixes this router originates from every neighbor (its static protocol off). */
    public void stopOriginating() {
        ns.exec("birdc", "-s", socket(), "disable", "originated4").check();
    }

    /** Announces the IPv4 prefixes this router originates again. */
    public void startOriginating() {
        ns.exec("birdc", "-s", socket(), "enable", "originated4").check();
    }

    @Override
    public Set<String> receivedPrefixes() {
        String out = ns.exec("birdc", "-s", socket(), "show", "route", "where", "source = RTS_BGP")
                .check()
                .stdout();
        Matcher m = ROUTE_LINE.matcher(out);
        return m.results().map(r -> r.group(1)).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public long routeCount() {
        String out = ns.exec("birdc", "-s", socket(), "show", "route", "count")
                .check()
                .stdout();
        Matcher m = ROUTE_COUNT.matcher(out);
        long total = 0;
        boolean any = false;
        while (m.find()) {
            total += Long.parseLong(m.group(1));
            any = true;
        }
        if (!any) {
            throw new IllegalStateException("unexpected `show route count` output from " + spec.name() + ": " + out);
        }
        return total;
    }

    @Override
    public String routeDetails(String prefix) {
        return ns.exec("birdc", "-s", socket(), "show", "route", "for", prefix, "all")
                .stdout();
    }

    @Override
    public long pid() {
        return readPid(dir.resolve("bird.pid"));
    }

    static long readPid(Path file) {
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("no pid in " + file, e);
        }
    }

    @Override
    public Path logFile() {
        return dir.resolve("bird.log");
    }

    @Override
    public void close() {
        ns.exec("birdc", "-s", socket(), "down");
    }
}
