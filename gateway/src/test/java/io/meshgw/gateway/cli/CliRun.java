package io.meshgw.gateway.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** One in-process run of {@code meshgw}: exit code, stdout and stderr. */
record CliRun(int exit, String out, String err) {

    /** "Now" for every run: uptimes in the canned JSON are measured from here. */
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    /** Runs with no MESHGW_* variables set. */
    static CliRun run(String... args) {
        return withEnv(Map.of(), args);
    }

    static CliRun withEnv(Map<String, String> env, String... args) {
        Map<String, String> copy = new HashMap<>(env);
        CommandLine cli = Meshgw.commandLine(new Meshgw(copy::get, Clock.fixed(NOW, ZoneOffset.UTC)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    List<String> lines() {
        return out.lines().toList();
    }
}
