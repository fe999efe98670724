package io.meshgw.bpf;

/** A libbpf or kernel call failed; the message names the call, the object and the errno text. */
public class BpfException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public BpfException(String call, String object, int errno, String errnoText) {
        super(call + "(" + object + ") failed: " + errnoText + " (errno " + errno + ")");
        this.errno = errno;
    }

    public BpfException(String message) {
        super(message);
        this.errno = 0;
    }

    public int errno() {
        return errno;
    }
}
