package io.meshgw.bpf.libbpf;

import static io.meshgw.bpf.libbpf.NativeCall.INT;
import static io.meshgw.bpf.libbpf.NativeCall.LONG;
import static io.meshgw.bpf.libbpf.NativeCall.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Attaching tc programs: tcx links through {@code bpf_link_create} (libbpf 1.1 predates
 * {@code bpf_program__attach_tcx}) and the clsact + cls_bpf fallback through {@code bpf_tc_*}.
 * Calls return a descriptor or 0 on success and the negative errno on failure, so callers can
 * tell "not supported" from "failed".
 */
public final class AttachCalls {

    /** enum bpf_attach_type (uapi bpf.h). */
    public static final int BPF_TCX_INGRESS = 46;

    public static final int BPF_TCX_EGRESS = 47;

    /** enum bpf_tc_attach_point (libbpf.h). */
    public static final int BPF_TC_INGRESS = 1;

    public static final int BPF_TC_EGRESS = 2;

    /** struct bpf_tc_hook: sz, ifindex, attach_point, parent. */
    private static final long TC_HOOK_SIZE = 24;
    /** struct bpf_tc_opts: sz, prog_fd, flags, prog_id, handle, priority. */
    private static final long TC_OPTS_SIZE = 32;

    private static final MethodHandle LINK_CREATE =
            NativeCall.withErrno("bpf_link_create", FunctionDescriptor.of(INT, INT, INT, INT, PTR));
    private static final MethodHandle LINK_UPDATE =
            NativeCall.withErrno("bpf_link_update", FunctionDescriptor.of(INT, INT, INT, PTR));
    private static final MethodHandle LINK_DETACH =
            NativeCall.withErrno("bpf_link_detach", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle TC_HOOK_CREATE =
            NativeCall.withErrno("bpf_tc_hook_create", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle TC_ATTACH =
            NativeCall.withErrno("bpf_tc_attach", FunctionDescriptor.of(INT, PTR, PTR));
    private static final MethodHandle TC_DETACH =
            NativeCall.withErrno("bpf_tc_detach", FunctionDescriptor.of(INT, PTR, PTR));
    private static final MethodHandle TC_QUERY =
            NativeCall.withErrno("bpf_tc_query", FunctionDescriptor.of(INT, PTR, PTR));

    private static final MethodHandle IF_NAMETOINDEX = NativeCall.LINKER.downcallHandle(
            NativeCall.LINKER.defaultLookup().find("if_nametoindex").orElseThrow(), FunctionDescriptor.of(INT, PTR));

    private AttachCalls() {}

    private static int call(MethodHandle mh, String name, String what, Object... args) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCall.state(arena);
            Object[] all = new Object[args.length + 1];
            all[0] = state;
            System.arraycopy(args, 0, all, 1, args.length);
            int rc = (int) mh.invokeWithArguments(all);
            if (rc >= 0) {
                return rc;
            }
            int errno = NativeCall.errno(state);
            return errno != 0 ? -errno : rc;
        } catch (Throwable t) {
            throw NativeCall.uncallable(name, what, t);
        }
    }

    /** Creates a tcx link: a new descriptor, or -errno. */
    public static int linkCreate(int progFd, int ifindex, int attachType) {
        return call(
                LINK_CREATE, "bpf_link_create", "ifindex " + ifindex, progFd, ifindex, attachType, MemorySegment.NULL);
    }

    /** Atomically swaps the program behind a link: 0 or -errno. */
    public static int linkUpdate(int linkFd, int newProgFd) {
        return call(LINK_UPDATE, "bpf_link_update", "link fd " + linkFd, linkFd, newProgFd, MemorySegment.NULL);
    }

    /** Detaches a link even if it is pinned elsewhere: 0 or -errno. */
    public static int linkDetach(int linkFd) {
        return call(LINK_DETACH, "bpf_link_detach", "link fd " + linkFd, linkFd);
    }

    public static MemorySegment tcHook(Arena arena, int ifindex, int attachPoint) {
        MemorySegment hook = arena.allocate(TC_HOOK_SIZE, 8);
        hook.set(LONG, 0, TC_HOOK_SIZE);
        hook.set(INT, 8, ifindex);
        hook.set(INT, 12, attachPoint);
        return hook;
    }

    public static MemorySegment tcOpts(Arena arena, int progFd, int handle, int priority) {
        MemorySegment opts = arena.allocate(TC_OPTS_SIZE, 8);
        opts.set(LONG, 0, TC_OPTS_SIZE);
        opts.set(INT, 8, progFd);
        opts.set(INT, 20, handle);
        opts.set(INT, 24, priority);
        return opts;
    }

    /** The program id a tc opts segment reports after attach or query. */
    public static int tcOptsProgId(MemorySegment opts) {
        return opts.get(INT, 16);
    }

    /** Creates the clsact qdisc: 0, -EEXIST when one is there (and it is left alone), or -errno. */
    public static int tcHookCreate(MemorySegment hook) {
        return call(TC_HOOK_CREATE, "bpf_tc_hook_create", "hook", hook);
    }

    public static int tcAttach(MemorySegment hook, MemorySegment opts) {
        return call(TC_ATTACH, "bpf_tc_attach", "hook", hook, opts);
    }

    /** Removes exactly the filter named by handle and priority in {@code opts} (prog fields zero). */
    public static int tcDetach(MemorySegment hook, MemorySegment opts) {
        return call(TC_DETACH, "bpf_tc_detach", "hook", hook, opts);
    }

    public static int tcQuery(MemorySegment hook, MemorySegment opts) {
        return call(TC_QUERY, "bpf_tc_query", "hook", hook, opts);
    }

    /**
     * The ifindex of a network interface in the calling thread's network namespace, or 0 when
     * there is none by that name.
     */
    public static int ifindex(String ifName) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) IF_NAMETOINDEX.invokeExact(arena.allocateFrom(ifName));
        } catch (Throwable t) {
            throw NativeCall.uncallable("if_nametoindex", ifName, t);
        }
    }

    public static String strerror(int errno) {
        return NativeCall.strerror(Math.abs(errno));
    }
}
