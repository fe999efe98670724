package io.meshgw.bpf.libbpf;

import io.meshgw.bpf.BpfException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Hand-written FFM downcalls into the bundled libbpf 1.1 (there is no jextract here). Every call
 * that can fail captures errno, and failures become {@link BpfException}s naming the call.
 */
public final class Libbpf {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final AddressLayout PTR = ValueLayout.ADDRESS;
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle OPEN_MEM =
            errnoCall("bpf_object__open_mem", FunctionDescriptor.of(PTR, PTR, ValueLayout.JAVA_LONG, PTR));
    private static final MethodHandle LOAD =
            errnoCall("bpf_object__load", FunctionDescriptor.of(ValueLayout.JAVA_INT, PTR));
    private static final MethodHandle CLOSE = call("bpf_object__close", FunctionDescriptor.ofVoid(PTR));
    private static final MethodHandle FIND_PROGRAM =
            errnoCall("bpf_object__find_program_by_name", FunctionDescriptor.of(PTR, PTR, PTR));
    private static final MethodHandle PROGRAM_FD =
            call("bpf_program__fd", FunctionDescriptor.of(ValueLayout.JAVA_INT, PTR));
    private static final MethodHandle TEST_RUN =
            errnoCall("bpf_prog_test_run_opts", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, PTR));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(),
            FunctionDescriptor.of(PTR.withTargetLayout(ValueLayout.JAVA_BYTE), ValueLayout.JAVA_INT));

    /** struct bpf_test_run_opts of libbpf 1.1 (bpf.h), 80 bytes on x86_64. */
    public static final StructLayout TEST_RUN_OPTS = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("sz"),
            PTR.withName("data_in"),
            PTR.withName("data_out"),
            ValueLayout.JAVA_INT.withName("data_size_in"),
            ValueLayout.JAVA_INT.withName("data_size_out"),
            PTR.withName("ctx_in"),
            PTR.withName("ctx_out"),
            ValueLayout.JAVA_INT.withName("ctx_size_in"),
            ValueLayout.JAVA_INT.withName("ctx_size_out"),
            ValueLayout.JAVA_INT.withName("retval"),
            ValueLayout.JAVA_INT.withName("repeat"),
            ValueLayout.JAVA_INT.withName("duration"),
            ValueLayout.JAVA_INT.withName("flags"),
            ValueLayout.JAVA_INT.withName("cpu"),
            ValueLayout.JAVA_INT.withName("batch_size"));

    private Libbpf() {}

    private static MethodHandle call(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd);
    }

    private static MethodHandle errnoCall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd, Linker.Option.captureCallState("errno"));
    }

    private static MemorySegment symbol(String name) {
        return BundledLibbpf.lookup()
                .find(name)
                .orElseThrow(() -> new BpfException("the bundled libbpf has no symbol " + name));
    }

    static String strerror(int errno) {
        try {
            return ((MemorySegment) STRERROR.invokeExact(errno))
                    .reinterpret(256)
                    .getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static BpfException failure(String call, String object, MemorySegment state, int rc) {
        int errno = (int) ERRNO.get(state, 0L);
        if (errno == 0 && rc < 0) {
            errno = -rc; // libbpf also returns -errno directly
        }
        return new BpfException(call, object, errno, strerror(errno));
    }

    /** struct bpf_object_open_opts of libbpf 1.1 (libbpf.h), 80 bytes on x86_64. */
    static final long OPEN_OPTS_SIZE = 80;

    private static final long OPEN_OPTS_OBJECT_NAME = 8;
    private static final long OPEN_OPTS_KERNEL_LOG_BUF = 56;
    private static final long OPEN_OPTS_KERNEL_LOG_SIZE = 64;

    /**
     * Opens an ELF object from memory; the result must be closed with {@link #close}. When a
     * program later fails to load, libbpf retries it with logging into {@code verifierLog}, so
     * the verifier's reasons can be reported.
     */
    public static MemorySegment openMem(Arena arena, MemorySegment elf, String name, MemorySegment verifierLog) {
        MemorySegment opts = arena.allocate(OPEN_OPTS_SIZE, 8);
        opts.set(ValueLayout.JAVA_LONG, 0, OPEN_OPTS_SIZE);
        opts.set(PTR, OPEN_OPTS_OBJECT_NAME, arena.allocateFrom(name));
        opts.set(PTR, OPEN_OPTS_KERNEL_LOG_BUF, verifierLog);
        opts.set(ValueLayout.JAVA_LONG, OPEN_OPTS_KERNEL_LOG_SIZE, verifierLog.byteSize());
        MemorySegment state = arena.allocate(CALL_STATE);
        MemorySegment obj;
        try {
            obj = (MemorySegment) OPEN_MEM.invokeExact(state, elf, elf.byteSize(), opts);
        } catch (Throwable t) {
            throw new BpfException("bpf_object__open_mem(" + name + ") could not be called: " + t);
        }
        if (obj.equals(MemorySegment.NULL)) {
            throw failure("bpf_object__open_mem", name, state, 0);
        }
        return obj;
    }

    /** Loads the object's maps and programs into the kernel (the verifier runs here). */
    public static void load(Arena arena, MemorySegment obj, String name) {
        MemorySegment state = arena.allocate(CALL_STATE);
        int rc;
        try {
            rc = (int) LOAD.invokeExact(state, obj);
        } catch (Throwable t) {
            throw new BpfException("bpf_object__load(" + name + ") could not be called: " + t);
        }
        if (rc != 0) {
            throw failure("bpf_object__load", name, state, rc);
        }
    }

    public static void close(MemorySegment obj) {
        try {
            CLOSE.invokeExact(obj);
        } catch (Throwable t) {
            throw new BpfException("bpf_object__close failed: " + t);
        }
    }

    /** The file descriptor of a loaded program, by its function name. */
    public static int programFd(Arena arena, MemorySegment obj, String program) {
        MemorySegment state = arena.allocate(CALL_STATE);
        try {
            MemorySegment prog = (MemorySegment) FIND_PROGRAM.invokeExact(state, obj, arena.allocateFrom(program));
            if (prog.equals(MemorySegment.NULL)) {
                throw failure("bpf_object__find_program_by_name", program, state, 0);
            }
            int fd = (int) PROGRAM_FD.invokeExact(prog);
            if (fd < 0) {
                throw new BpfException("bpf_program__fd", program, -fd, strerror(-fd));
            }
            return fd;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new BpfException("looking up program " + program + " failed: " + t);
        }
    }

    /** bpf_prog_test_run_opts on a filled-in {@link #TEST_RUN_OPTS} segment. */
    public static void testRun(Arena arena, int progFd, MemorySegment opts, String program) {
        MemorySegment state = arena.allocate(CALL_STATE);
        int rc;
        try {
            rc = (int) TEST_RUN.invokeExact(state, progFd, opts);
        } catch (Throwable t) {
            throw new BpfException("bpf_prog_test_run_opts(" + program + ") could not be called: " + t);
        }
        if (rc != 0) {
            throw failure("bpf_prog_test_run_opts", program, state, rc);
        }
    }
}
