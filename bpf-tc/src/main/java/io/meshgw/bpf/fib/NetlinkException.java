package io.meshgw.bpf.fib;

/** A netlink socket call failed: the message names the call and the errno text. */
public final class NetlinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    NetlinkException(String call, int errno, String errnoText) {
        super(call + " failed: " + errnoText + " (errno " + errno + ")");
        this.errno = errno;
    }

    NetlinkException(String message) {
        super(message);
        this.errno = 0;
    }

    public int errno() {
        return errno;
    }
}
