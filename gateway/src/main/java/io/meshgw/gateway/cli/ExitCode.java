package io.meshgw.gateway.cli;

/** The exit codes of {@code meshgw}; scripts branch on them, so they are a stable interface. */
enum ExitCode {
    OK(0),
    /** The gateway did not answer: not running, wrong address, firewall. */
    UNREACHABLE(2),
    /** HTTP 401: no token, or the wrong one. */
    TOKEN_REFUSED(3),
    /** Any other HTTP error status. */
    HTTP_ERROR(4),
    /** A 2xx answer that is not the JSON this CLI expects (a different gateway version, a proxy page). */
    BAD_ANSWER(5),
    /** Bad arguments (sysexits.h EX_USAGE). */
    USAGE(64);

    final int code;

    ExitCode(int code) {
        this.code = code;
    }
}
