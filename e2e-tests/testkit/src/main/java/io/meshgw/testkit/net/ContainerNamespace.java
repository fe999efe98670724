package io.meshgw.testkit.net;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Capability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * The network namespace of a container, used the way a local {@link NetNs} is ("pipework"): the
 * container starts with no network but its loopback, holding the namespace with an idle process,
 * and the lab moves veth ends into it by the container's process id. Host tools run in it through
 * {@code nsenter -t <pid> -n}; the image's programs (daemons, their CLIs) run through {@code
 * docker exec}, so they start after the links are in place, as they do in a local namespace.
 *
 * <p>Needs a Docker engine on this host and root (nsenter and {@code ip link ... netns <pid>} act
 * on the container's process from the host's side).
 */
public final class ContainerNamespace implements PartNamespace {

    /** Keeps the namespace while nothing else runs; docker's init reaps the daemons started later. */
    private static final String[] IDLE = {"tail", "-f", "/dev/null"};

    private final GenericContainer<?> container;
    private final String label;
    private final long pid;

    private ContainerNamespace(GenericContainer<?> container, String label, long pid) {
        this.container = container;
        this.label = label;
        this.pid = pid;
    }

    /**
     * Starts {@code image} idle with no network of its own and the Linux capabilities its daemons
     * need (e.g. {@code NET_ADMIN} for a router that installs routes).
     */
    public static ContainerNamespace start(DockerImageName image, String label, List<String> capabilities) {
        return start(
                image,
                label,
                host -> host.withCapAdd(
                        capabilities.stream().map(Capability::valueOf).toArray(Capability[]::new)));
    }

    /**
     * Starts {@code image} idle with no network of its own, and {@code settings} setting the rest of the container:
     * its environment, and in its host configuration capabilities, mounts, a read-only root, security options. What
     * later runs in it through {@link #execPart} runs with that configuration.
     */
    public static ContainerNamespace start(DockerImageName image, String label, Consumer<CreateContainerCmd> settings) {
        GenericContainer<?> c = new GenericContainer<>(image)
                .withNetworkMode("none")
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withEntrypoint(IDLE).withCmd(List.of());
                    cmd.getHostConfig().withInit(true);
                    settings.accept(cmd);
                })
                // no ports to wait for: ready once it takes a docker exec
                .waitingFor(Wait.forSuccessfulCommand("true"))
                .withStartupTimeout(Duration.ofMinutes(3));
        c.start();
        Long pid = c.getContainerInfo().getState().getPidLong();
        if (pid == null || pid <= 0) {
            c.stop();
            throw new IllegalStateException("container " + c.getContainerId() + " of " + image
                    + " has no process id; is it running on this host's kernel?");
        }
        ContainerNamespace ns = new ContainerNamespace(c, label, pid);
        ns.exec("ip", "link", "set", "lo", "up").check();
        return ns;
    }

    @Override
    public String name() {
        return label + "-" + container.getContainerId().substring(0, 12);
    }

    /** {@code ip link ... netns} takes a process id as well as a name. */
    @Override
    public String linkTarget() {
        return Long.toString(pid);
    }

    @Override
    public CommandResult exec(Duration timeout, String... cmd) {
        return Command.run(networkCommand(pid, List.of(cmd)), timeout);
    }

    /** A host command run with the network namespace of process {@code pid}. */
    static List<String> networkCommand(long pid, List<String> cmd) {
        List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid), "-n", "--"));
        full.addAll(cmd);
        return full;
    }

    @Override
    public CommandResult execPart(Duration timeout, String... cmd) {
        List<String> shown = Stream.concat(Stream.of("docker", "exec", container.getContainerId()), Stream.of(cmd))
                .toList();
        if (!container.isRunning()) {
            // Stopped already (at JVM exit Testcontainers' own hook may stop it first): the command fails, as a
            // command in a namespace that is gone would.
            return new CommandResult(shown, -1, "", "the container is not running");
        }
        CompletableFuture<Container.ExecResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return container.execInContainer(cmd);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        try {
            Container.ExecResult r = run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new CommandResult(shown, r.getExitCode(), r.getStdout(), r.getStderr());
        } catch (TimeoutException e) {
            run.cancel(true);
            throw new IllegalStateException("`" + String.join(" ", shown) + "` did not finish within " + timeout);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot run `" + String.join(" ", shown) + "`", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running `" + String.join(" ", shown) + "`", e);
        }
    }

    @Override
    public String createDirectory(String prefix) {
        String dir = execPart("mktemp", "-d", "/tmp/" + prefix + "XXXXXX")
                .check()
                .stdout()
                .strip();
        execPart("chmod", "755", dir).check();
        return dir;
    }

    @Override
    public void writeFile(String path, String content) {
        container.copyFileToContainer(Transferable.of(content), path);
    }

    @Override
    public Path hostCopy(String path, Path into) {
        try {
            Files.createDirectories(into);
            Path copy = into.resolve(Path.of(path).getFileName());
            container.copyFileFromContainer(path, in -> Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING));
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + path + " out of " + name(), e);
        }
    }

    /**
     * Finds the host process whose innermost pid (the last field of {@code NSpid} in its status)
     * is {@code pid}, among the container's processes.
     */
    @Override
    public long hostPid(long pid) {
        return ProcessHandle.of(this.pid).stream()
                .flatMap(init -> Stream.concat(Stream.of(init), init.descendants()))
                .filter(p -> innermostPid(p.pid()).equals(Optional.of(pid)))
                .findFirst()
                .map(ProcessHandle::pid)
                .orElseThrow(() -> new IllegalStateException(
                        "no process of " + name() + " has pid " + pid + " in the container; it has exited"));
    }

    private static Optional<Long> innermostPid(long hostPid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(hostPid), "status")).stream()
                    .filter(l -> l.startsWith("NSpid:"))
                    .findFirst()
                    .map(ContainerNamespace::lastField);
        } catch (IOException e) {
            return Optional.empty(); // the process exited meanwhile
        }
    }

    /** The last pid of an {@code NSpid:} line of /proc/PID/status: the one the innermost namespace sees. */
    static long lastField(String nspidLine) {
        String[] f = nspidLine.strip().split("\\s+");
        return Long.parseLong(f[f.length - 1]);
    }

    /** Stops and removes the container; its namespace and the links in it go with it. */
    @Override
    public void close() {
        container.stop();
    }
}
