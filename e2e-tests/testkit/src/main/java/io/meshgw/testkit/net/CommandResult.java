package io.meshgw.testkit.net;

import java.util.List;

/** What a finished command printed and returned. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** Returns this result, or throws naming the command, its exit code and what it printed. */
    public CommandResult check() {
        if (!ok()) {
            throw new CommandFailedException(this);
        }
        return this;
    }

    /** A command that exited non-zero where success was required. */
    public static final class CommandFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CommandFailedException(CommandResult r) {
            super("`" + String.join(" ", r.command()) + "` exited with " + r.exitCode()
                    + (r.stderr().isBlank() ? "" : "; stderr: " + r.stderr().strip())
                    + (r.stdout().isBlank() ? "" : "; stdout: " + r.stdout().strip()));
        }
    }
}
