package io.meshgw.bpf;

import io.meshgw.bpf.libbpf.AttachCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The fallback for kernels without tcx: a direct-action cls_bpf filter on the clsact qdisc.
 * An existing clsact (another tool's) is used as it is, never replaced or deleted; meshgw owns
 * exactly one filter per hook, at its own handle and priority, and replaces only that one.
 * The filter stays in the kernel after the process exits, so forwarding survives a restart.
 */
public final class TcFilter implements Attachment {

    /** meshgw's handle and priority on the clsact hooks ("MG"); other tools' filters use their own. */
    public static final int HANDLE = 0x4d47;

    public static final int PRIORITY = 0x4d47;

    private static final int EEXIST = 17;
    private static final int BPF_TC_F_REPLACE = 1;

    private final int ifindex;
    private final Attachment.Options options;
    private final boolean adopted;
    private boolean detached;

    private TcFilter(int ifindex, Attachment.Options options, boolean adopted) {
        this.ifindex = ifindex;
        this.options = options;
        this.adopted = adopted;
    }

    private static int point(Attachment.Options options) {
        return options.direction() == Direction.INGRESS ? AttachCalls.BPF_TC_INGRESS : AttachCalls.BPF_TC_EGRESS;
    }

    static TcFilter attach(int progFd, String program, int ifindex, Attachment.Options options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hook = AttachCalls.tcHook(arena, ifindex, point(options));
            int rc = AttachCalls.tcHookCreate(hook);
            if (rc < 0 && rc != -EEXIST) {
                throw new BpfException(
                        "bpf_tc_hook_create", "clsact on " + options.ifName(), -rc, AttachCalls.strerror(rc));
            }
            boolean existing = AttachCalls.tcQuery(hook, AttachCalls.tcOpts(arena, 0, HANDLE, PRIORITY)) == 0;
            MemorySegment opts = AttachCalls.tcOpts(arena, progFd, HANDLE, PRIORITY);
            opts.set(java.lang.foreign.ValueLayout.JAVA_INT, 12, BPF_TC_F_REPLACE);
            rc = AttachCalls.tcAttach(hook, opts);
            if (rc < 0) {
                throw new BpfException(
                        "bpf_tc_attach", program + " on " + options.ifName(), -rc, AttachCalls.strerror(rc));
            }
            return new TcFilter(ifindex, options, existing);
        }
    }

    @Override
    public String describe() {
        return "tc clsact " + options.direction().name().toLowerCase() + " filter on " + options.ifName()
                + " (handle 0x" + Integer.toHexString(HANDLE) + (adopted ? ", replaced in place)" : ")");
    }

    @Override
    public boolean adopted() {
        return adopted;
    }

    /** Removes meshgw's filter only; the clsact qdisc and other filters stay. */
    @Override
    public synchronized void detach() {
        if (detached) {
            return;
        }
        detached = true;
        try (Arena arena = Arena.ofConfined()) {
            int rc = AttachCalls.tcDetach(
                    AttachCalls.tcHook(arena, ifindex, point(options)), AttachCalls.tcOpts(arena, 0, HANDLE, PRIORITY));
            if (rc < 0) {
                throw new BpfException("bpf_tc_detach", options.ifName(), -rc, AttachCalls.strerror(rc));
            }
        }
    }

    /** Nothing to release: the kernel holds the filter. */
    @Override
    public void close() {}
}
