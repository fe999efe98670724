package io.meshgw.gateway.cli;

/**
 * Why a command could not do its job, worded for the person at the terminal. The root command
 * prints the message after {@code meshgw: } and exits with the code; no stack trace.
 */
final class CommandFailure extends RuntimeException {

    private final ExitCode exit;

    CommandFailure(ExitCode exit, String message) {
        super(message);
        this.exit = exit;
    }

    CommandFailure(ExitCode exit, String message, Throwable cause) {
        super(message, cause);
        this.exit = exit;
    }

    ExitCode exit() {
        return exit;
    }
}
