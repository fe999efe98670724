package io.meshgw.testkit.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a host command to completion with a bounded wait, capturing both output streams. */
public final class Command {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Command() {}

    public static CommandResult run(List<String> cmd) {
        return run(cmd, DEFAULT_TIMEOUT);
    }

    public static CommandResult run(List<String> cmd, Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run `" + String.join(" ", cmd) + "`", e);
        }
        try {
            p.getOutputStream().close(); // no input: a command that prompts fails instead of hanging
        } catch (IOException ignored) {
            // the process may already be gone; its exit code tells
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("`" + String.join(" ", cmd) + "` did not finish within " + timeout);
            }
            return new CommandResult(List.copyOf(cmd), p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while running `" + String.join(" ", cmd) + "`", e);
        }
    }

    /** Runs and requires exit code 0. */
    public static CommandResult check(String... cmd) {
        return run(List.of(cmd)).check();
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
