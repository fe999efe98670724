package io.meshgw.testkit.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace created for a test and deleted when closed, with its loopback up. Commands
 * run inside it through {@code ip netns exec}. Names carry a prefix and the creating process id so
 * parallel or leftover runs never collide, and {@link #removeStale()} clears namespaces left by
 * runs that died.
 */
public final class NetNs implements PartNamespace {

    /** Every namespace the testkit creates starts with this, so leftovers are recognisable. */
    public static final String PREFIX = "mgwt";

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;
    private final List<Process> processes = new ArrayList<>();

    private NetNs(String name) {
        this.name = name;
    }

    /**
     * Creates a namespace whose name contains {@code label} (letters and digits, kept short: Linux
     * interface and namespace names are limited).
     */
    public static NetNs create(String label) {
        String name = PREFIX + ProcessHandle.current().pid() + "-" + label + COUNTER.incrementAndGet();
        Command.check("ip", "netns", "add", name);
        NetNs ns = new NetNs(name);
        ns.exec("ip", "link", "set", "lo", "up").check();
        return ns;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String linkTarget() {
        return name;
    }

    /** Runs a command inside the namespace and waits for it. */
    @Override
    public CommandResult exec(String... cmd) {
        return Command.run(wrap(List.of(cmd)), Command.DEFAULT_TIMEOUT);
    }

    /** Runs a command inside the namespace with a longer or shorter wait. */
    @Override
    public CommandResult exec(Duration timeout, String... cmd) {
        return Command.run(wrap(List.of(cmd)), timeout);
    }

    /** The part's programs are the host's own, so they run like any other command here. */
    @Override
    public CommandResult execPart(Duration timeout, String... cmd) {
        return exec(timeout, cmd);
    }

    /** A directory under the system temp dir: a test's private temp dir is closed to daemon users. */
    @Override
    public String createDirectory(String prefix) {
        try {
            return Files.createTempDirectory(
                            Path.of(System.getProperty("java.io.tmpdir")),
                            prefix,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")))
                    .toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for " + name, e);
        }
    }

    @Override
    public void writeFile(String path, String content) {
        try {
            Files.writeString(Path.of(path), content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /** The file is on the host already. */
    @Override
    public Path hostCopy(String path, Path into) {
        return Path.of(path);
    }

    /** A namespace shares the host's process ids. */
    @Override
    public long hostPid(long pid) {
        return pid;
    }

    /**
     * Starts a long-running process inside the namespace, its output appended to {@code log}. The
     * process is killed when the namespace is closed.
     */
    public Process spawn(List<String> cmd, Path log) {
        try {
            Process p = new ProcessBuilder(wrap(cmd))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd + " in " + name, e);
        }
    }

    /** Creates a veth pair between two namespaces with one address on each end. */
    public static void link(PartNamespace a, String ifA, String cidrA, PartNamespace b, String ifB, String cidrB) {
        Command.check(
                "ip",
                "link",
                "add",
                ifA,
                "netns",
                a.linkTarget(),
                "type",
                "veth",
                "peer",
                "name",
                ifB,
                "netns",
                b.linkTarget());
        a.addAddress(ifA, cidrA);
        b.addAddress(ifB, cidrB);
    }

    /**
     * Creates a veth pair from the host's own namespace into this one, so a process running in
     * the test JVM can talk to daemons in the namespace. The host end disappears with the
     * namespace. Returns the host-side interface name.
     */
    public String linkToHost(String hostCidr, String nsIf, String nsCidr) {
        String hostIf = "mgh" + (ProcessHandle.current().pid() % 10000) + "x" + COUNTER.incrementAndGet();
        Command.check("ip", "link", "add", hostIf, "type", "veth", "peer", "name", nsIf, "netns", name);
        if (hostCidr.contains(":")) {
            Command.check("ip", "addr", "add", hostCidr, "dev", hostIf, "nodad");
        } else {
            Command.check("ip", "addr", "add", hostCidr, "dev", hostIf);
        }
        Command.check("ip", "link", "set", hostIf, "up");
        addAddress(nsIf, nsCidr);
        return hostIf;
    }

    private List<String> wrap(List<String> cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(cmd);
        return full;
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        // Daemons that fork away from us (bird, zebra, bgpd) are found by namespace membership.
        Command.run(List.of("ip", "netns", "pids", name))
                .stdout()
                .lines()
                .forEach(
                        pid -> ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly));
        Command.run(List.of("ip", "netns", "del", name));
    }

    /** Deletes namespaces left behind by earlier runs whose process no longer exists. */
    public static void removeStale() {
        for (String line :
                Command.run(List.of("ip", "netns", "list")).stdout().lines().toList()) {
            String ns = line.split("\\s+")[0];
            if (!ns.startsWith(PREFIX)) {
                continue;
            }
            String digits = ns.substring(PREFIX.length()).split("-")[0];
            boolean ownerAlive = !digits.isEmpty()
                    && digits.chars().allMatch(Character::isDigit)
                    && ProcessHandle.of(Long.parseLong(digits)).isPresent();
            if (!ownerAlive) {
                Command.run(List.of("ip", "netns", "del", ns));
            }
        }
    }

    /** True when this process may create namespaces (root with CAP_NET_ADMIN, ip available). */
    public static boolean available() {
        try {
            return Command.run(List.of("ip", "netns", "list")).ok() && "root".equals(System.getProperty("user.name"));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
