package io.meshgw.bpf.fib;

/**
 * A change the kernel refused.
 *
 * @param change what was asked
 * @param errno the kernel's errno (EEXIST: another protocol's route to the destination; ENETUNREACH: a gateway on no
 *     connected network)
 * @param reason the errno's name and the kernel's text
 */
public record RouteFailure(RouteChange change, int errno, String reason) {

    /** The errno's symbolic name, for a metric label: EEXIST, ENETUNREACH, ... or E followed by the number. */
    public String errnoName() {
        return errnoName(errno);
    }

    static String errnoName(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 3 -> "ESRCH";
            case 17 -> "EEXIST";
            case 19 -> "ENODEV";
            case 22 -> "EINVAL";
            case 101 -> "ENETUNREACH";
            case 105 -> "ENOBUFS";
            case 113 -> "EHOSTUNREACH";
            default -> "E" + errno;
        };
    }
}
