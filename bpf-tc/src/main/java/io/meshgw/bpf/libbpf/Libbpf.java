package io.meshgw.bpf.libbpf;

import static io.meshgw.bpf.libbpf.NativeCall.INT;
import static io.meshgw.bpf.libbpf.NativeCall.LONG;
import static io.meshgw.bpf.libbpf.NativeCall.PTR;

import io.meshgw.bpf.BpfException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Hand-written FFM downcalls into the bundled libbpf 1.1 for objects, their programs and their
 * map definitions (there is no jextract here). Every call that can fail captures errno, and
 * failures become {@link BpfException}s naming the call and the object.
 */
public final class Libbpf {

    private static final MethodHandle OPEN_MEM =
            NativeCall.withErrno("bpf_object__open_mem", FunctionDescriptor.of(PTR, PTR, LONG, PTR));
    private static final MethodHandle LOAD = NativeCall.withErrno("bpf_object__load", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle CLOSE = NativeCall.plain("bpf_object__close", FunctionDescriptor.ofVoid(PTR));
    private static final MethodHandle FIND_PROGRAM =
            NativeCall.withErrno("bpf_object__find_program_by_name", FunctionDescriptor.of(PTR, PTR, PTR));
    private static final MethodHandle PROGRAM_FD = NativeCall.plain("bpf_program__fd", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle NEXT_MAP =
            NativeCall.plain("bpf_object__next_map", FunctionDescriptor.of(PTR, PTR, PTR));
    private static final MethodHandle MAP_NAME = NativeCall.plain(
            "bpf_map__name",
            FunctionDescriptor.of(PTR.withTargetLayout(MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)), PTR));
    private static final MethodHandle MAP_TYPE = NativeCall.plain("bpf_map__type", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle MAP_KEY_SIZE =
            NativeCall.plain("bpf_map__key_size", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle MAP_VALUE_SIZE =
            NativeCall.plain("bpf_map__value_size", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle MAP_MAX_ENTRIES =
            NativeCall.plain("bpf_map__max_entries", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle MAP_FLAGS =
            NativeCall.plain("bpf_map__map_flags", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle MAP_SET_MAX_ENTRIES =
            NativeCall.plain("bpf_map__set_max_entries", FunctionDescriptor.of(INT, PTR, INT));
    private static final MethodHandle MAP_SET_PIN_PATH =
            NativeCall.plain("bpf_map__set_pin_path", FunctionDescriptor.of(INT, PTR, PTR));
    private static final MethodHandle MAP_FD = NativeCall.plain("bpf_map__fd", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle TEST_RUN =
            NativeCall.withErrno("bpf_prog_test_run_opts", FunctionDescriptor.of(INT, INT, PTR));
    private static final MethodHandle POSSIBLE_CPUS =
            NativeCall.plain("libbpf_num_possible_cpus", FunctionDescriptor.of(INT));

    /** struct bpf_test_run_opts of libbpf 1.1 (bpf.h), 80 bytes on x86_64. */
    public static final StructLayout TEST_RUN_OPTS = MemoryLayout.structLayout(
            LONG.withName("sz"),
            PTR.withName("data_in"),
            PTR.withName("data_out"),
            INT.withName("data_size_in"),
            INT.withName("data_size_out"),
            PTR.withName("ctx_in"),
            PTR.withName("ctx_out"),
            INT.withName("ctx_size_in"),
            INT.withName("ctx_size_out"),
            INT.withName("retval"),
            INT.withName("repeat"),
            INT.withName("duration"),
            INT.withName("flags"),
            INT.withName("cpu"),
            INT.withName("batch_size"));

    /** struct bpf_object_open_opts of libbpf 1.1 (libbpf.h), 80 bytes on x86_64. */
    static final long OPEN_OPTS_SIZE = 80;

    private static final long OPEN_OPTS_OBJECT_NAME = 8;
    private static final long OPEN_OPTS_KERNEL_LOG_BUF = 56;
    private static final long OPEN_OPTS_KERNEL_LOG_SIZE = 64;

    /** A map definition as libbpf read it from the ELF (before load) or created it (after). */
    public record MapDef(String name, int type, int keySize, int valueSize, int maxEntries, int flags) {}

    private Libbpf() {}

    /**
     * Opens an ELF object from memory; the result must be closed with {@link #close}. When a
     * program later fails to load, libbpf retries it with logging into {@code verifierLog}, so
     * the verifier's reasons can be reported.
     */
    public static MemorySegment openMem(Arena arena, MemorySegment elf, String name, MemorySegment verifierLog) {
        MemorySegment opts = arena.allocate(OPEN_OPTS_SIZE, 8);
        opts.set(LONG, 0, OPEN_OPTS_SIZE);
        opts.set(PTR, OPEN_OPTS_OBJECT_NAME, arena.allocateFrom(name));
        opts.set(PTR, OPEN_OPTS_KERNEL_LOG_BUF, verifierLog);
        opts.set(LONG, OPEN_OPTS_KERNEL_LOG_SIZE, verifierLog.byteSize());
        MemorySegment state = NativeCall.state(arena);
        MemorySegment obj;
        try {
            obj = (MemorySegment) OPEN_MEM.invokeExact(state, elf, elf.byteSize(), opts);
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_object__open_mem", name, t);
        }
        if (obj.equals(MemorySegment.NULL)) {
            throw NativeCall.failure("bpf_object__open_mem", name, state, 0);
        }
        return obj;
    }

    /** Loads the object's maps and programs into the kernel (the verifier runs here). */
    public static void load(Arena arena, MemorySegment obj, String name) {
        MemorySegment state = NativeCall.state(arena);
        int rc;
        try {
            rc = (int) LOAD.invokeExact(state, obj);
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_object__load", name, t);
        }
        if (rc != 0) {
            throw NativeCall.failure("bpf_object__load", name, state, rc);
        }
    }

    public static void close(MemorySegment obj) {
        try {
            CLOSE.invokeExact(obj);
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_object__close", "object", t);
        }
    }

    /** The file descriptor of a loaded program, by its function name. */
    public static int programFd(Arena arena, MemorySegment obj, String program) {
        MemorySegment state = NativeCall.state(arena);
        try {
            MemorySegment prog = (MemorySegment) FIND_PROGRAM.invokeExact(state, obj, arena.allocateFrom(program));
            if (prog.equals(MemorySegment.NULL)) {
                throw NativeCall.failure("bpf_object__find_program_by_name", program, state, 0);
            }
            int fd = (int) PROGRAM_FD.invokeExact(prog);
            if (fd < 0) {
                throw new BpfException("bpf_program__fd", program, -fd, NativeCall.strerror(-fd));
            }
            return fd;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_object__find_program_by_name", program, t);
        }
    }

    /** The object's maps in ELF order (internal .rodata/.bss maps included). */
    public static java.util.List<MemorySegment> maps(MemorySegment obj) {
        var out = new java.util.ArrayList<MemorySegment>();
        try {
            MemorySegment m = (MemorySegment) NEXT_MAP.invokeExact(obj, MemorySegment.NULL);
            while (!m.equals(MemorySegment.NULL)) {
                out.add(m);
                m = (MemorySegment) NEXT_MAP.invokeExact(obj, m);
            }
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_object__next_map", "object", t);
        }
        return out;
    }

    public static MapDef mapDef(MemorySegment map) {
        try {
            String name = ((MemorySegment) MAP_NAME.invokeExact(map)).getString(0);
            return new MapDef(
                    name,
                    (int) MAP_TYPE.invokeExact(map),
                    (int) MAP_KEY_SIZE.invokeExact(map),
                    (int) MAP_VALUE_SIZE.invokeExact(map),
                    (int) MAP_MAX_ENTRIES.invokeExact(map),
                    (int) MAP_FLAGS.invokeExact(map));
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_map__name", "map", t);
        }
    }

    /** Resizes a map before load. */
    public static void setMaxEntries(MemorySegment map, String name, int maxEntries) {
        int rc;
        try {
            rc = (int) MAP_SET_MAX_ENTRIES.invokeExact(map, maxEntries);
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_map__set_max_entries", name, t);
        }
        if (rc != 0) {
            throw new BpfException("bpf_map__set_max_entries", name, -rc, NativeCall.strerror(-rc));
        }
    }

    /** Sets (or with {@code null} clears) where a map is pinned and looked for at load. */
    public static void setPinPath(Arena arena, MemorySegment map, String name, String path) {
        int rc;
        try {
            MemorySegment cPath = path == null ? MemorySegment.NULL : arena.allocateFrom(path);
            rc = (int) MAP_SET_PIN_PATH.invokeExact(map, cPath);
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_map__set_pin_path", name, t);
        }
        if (rc != 0) {
            throw new BpfException("bpf_map__set_pin_path", name, -rc, NativeCall.strerror(-rc));
        }
    }

    /** The descriptor of a loaded map; valid while its object is open. */
    public static int mapFd(MemorySegment map, String name) {
        int fd;
        try {
            fd = (int) MAP_FD.invokeExact(map);
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_map__fd", name, t);
        }
        if (fd < 0) {
            throw new BpfException("bpf_map__fd", name, -fd, NativeCall.strerror(-fd));
        }
        return fd;
    }

    /** bpf_prog_test_run_opts on a filled-in {@link #TEST_RUN_OPTS} segment. */
    public static void testRun(Arena arena, int progFd, MemorySegment opts, String program) {
        MemorySegment state = NativeCall.state(arena);
        int rc;
        try {
            rc = (int) TEST_RUN.invokeExact(state, progFd, opts);
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_prog_test_run_opts", program, t);
        }
        if (rc != 0) {
            throw NativeCall.failure("bpf_prog_test_run_opts", program, state, rc);
        }
    }

    /** How many CPUs per-CPU maps hold a value for. */
    public static int possibleCpus() {
        try {
            int n = (int) POSSIBLE_CPUS.invokeExact();
            if (n <= 0) {
                throw new BpfException("libbpf_num_possible_cpus", "", -n, NativeCall.strerror(-n));
            }
            return n;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeCall.uncallable("libbpf_num_possible_cpus", "", t);
        }
    }
}
