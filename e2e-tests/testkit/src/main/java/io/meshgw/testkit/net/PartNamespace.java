package io.meshgw.testkit.net;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where a part of a test lab runs: a network namespace that takes links and runs commands. It is
 * either a local {@link NetNs} or the namespace of a container ({@link ContainerNamespace}); code
 * that uses only this type runs the same on both, which is how the e2e scenarios get their routers
 * and broker as local processes or as containers.
 *
 * <p>Two kinds of command run here. {@link #exec} runs a host tool ({@code ip}, {@code sysctl},
 * {@code ss}) with this namespace as its network, for wiring. {@link #execPart} runs the part's
 * own programs (a daemon, its CLI) where they are installed: the host's for a local namespace,
 * the image's for a container.
 */
public sealed interface PartNamespace extends AutoCloseable permits NetNs, ContainerNamespace {

    /** A short name for logs and file names. */
    String name();

    /**
     * What {@code ip link ... netns} takes to put a link into this namespace: a namespace name or
     * the process id of a process inside it.
     */
    String linkTarget();

    /** Runs a host tool in this network namespace and waits for it. */
    CommandResult exec(Duration timeout, String... cmd);

    /** Runs a host tool in this network namespace with the default wait. */
    default CommandResult exec(String... cmd) {
        return exec(Command.DEFAULT_TIMEOUT, cmd);
    }

    /** Runs one of the part's own programs and waits for it. */
    CommandResult execPart(Duration timeout, String... cmd);

    /** Runs one of the part's own programs with the default wait. */
    default CommandResult execPart(String... cmd) {
        return execPart(Command.DEFAULT_TIMEOUT, cmd);
    }

    /**
     * Creates a fresh directory for the part's files, readable by its daemons (which may drop to
     * a user of their own), and returns its path as the part's programs see it.
     */
    String createDirectory(String prefix);

    /** Writes a text file where the part's programs read it. */
    void writeFile(String path, String content);

    /**
     * A host path with the content of the part's file {@code path}: the file itself for a local
     * namespace, a copy made now under {@code into} for a container.
     */
    Path hostCopy(String path, Path into);

    /** The host's id of a process of the part, given the id the part's own programs report. */
    long hostPid(long pid);

    /** Adds an address to an interface and sets it up. */
    default void addAddress(String ifName, String cidr) {
        if (cidr.contains(":")) {
            // no duplicate address detection: the address is usable at once, not "tentative"
            exec("ip", "addr", "add", cidr, "dev", ifName, "nodad").check();
        } else {
            exec("ip", "addr", "add", cidr, "dev", ifName).check();
        }
        exec("ip", "link", "set", ifName, "up").check();
    }

    @Override
    void close();
}
