package io.meshgw.bpf.libbpf;

import static io.meshgw.bpf.libbpf.NativeCall.INT;
import static io.meshgw.bpf.libbpf.NativeCall.LONG;
import static io.meshgw.bpf.libbpf.NativeCall.PTR;

import io.meshgw.bpf.BpfException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The bpf(2) map commands through libbpf's thin wrappers, on raw descriptors and caller-owned
 * memory. Each returns 0 or the positive errno, so callers decide which errno is an answer
 * (ENOENT from a lookup) and which is a failure; {@code state} is a {@link #newState} segment.
 */
public final class MapCalls {

    public static final int ENOENT = 2;
    public static final int EEXIST = 17;
    public static final int E2BIG = 7;
    public static final int ENOSPC = 28;

    /** bpf_map_update_elem flags. */
    public static final long BPF_ANY = 0;

    public static final long BPF_NOEXIST = 1;

    /** struct bpf_map_batch_opts of libbpf 1.1: sz, elem_flags, flags. */
    private static final long BATCH_OPTS_SIZE = 24;

    private static final MethodHandle UPDATE =
            NativeCall.withErrno("bpf_map_update_elem", FunctionDescriptor.of(INT, INT, PTR, PTR, LONG));
    private static final MethodHandle LOOKUP =
            NativeCall.withErrno("bpf_map_lookup_elem", FunctionDescriptor.of(INT, INT, PTR, PTR));
    private static final MethodHandle DELETE =
            NativeCall.withErrno("bpf_map_delete_elem", FunctionDescriptor.of(INT, INT, PTR));
    private static final MethodHandle NEXT_KEY =
            NativeCall.withErrno("bpf_map_get_next_key", FunctionDescriptor.of(INT, INT, PTR, PTR));
    private static final MethodHandle UPDATE_BATCH =
            NativeCall.withErrno("bpf_map_update_batch", FunctionDescriptor.of(INT, INT, PTR, PTR, PTR, PTR));
    private static final MethodHandle LOOKUP_BATCH =
            NativeCall.withErrno("bpf_map_lookup_batch", FunctionDescriptor.of(INT, INT, PTR, PTR, PTR, PTR, PTR, PTR));
    private static final MethodHandle DELETE_BATCH =
            NativeCall.withErrno("bpf_map_delete_batch", FunctionDescriptor.of(INT, INT, PTR, PTR, PTR));
    private static final MethodHandle OBJ_PIN =
            NativeCall.withErrno("bpf_obj_pin", FunctionDescriptor.of(INT, INT, PTR));
    private static final MethodHandle OBJ_GET = NativeCall.withErrno("bpf_obj_get", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle INFO =
            NativeCall.withErrno("bpf_obj_get_info_by_fd", FunctionDescriptor.of(INT, INT, PTR, PTR));
    private static final MethodHandle CLOSE = NativeCall.libc("close", FunctionDescriptor.of(INT, INT));

    /** struct bpf_map_info offsets (uapi bpf.h): type, id, key_size, value_size, max_entries, map_flags, name. */
    public static final long INFO_TYPE = 0;

    public static final long INFO_ID = 4;
    public static final long INFO_KEY_SIZE = 8;
    public static final long INFO_VALUE_SIZE = 12;
    public static final long INFO_MAX_ENTRIES = 16;
    public static final long INFO_MAP_FLAGS = 20;
    public static final long INFO_NAME = 24;
    /** Large enough for bpf_map_info and bpf_link_info as this kernel knows them. */
    public static final long INFO_SIZE = 256;

    private MapCalls() {}

    public static MemorySegment newState(Arena arena) {
        return NativeCall.state(arena);
    }

    private static int result(MemorySegment state, int rc) {
        if (rc == 0) {
            return 0;
        }
        int errno = NativeCall.errno(state);
        return errno != 0 ? errno : -rc;
    }

    public static int update(MemorySegment state, int fd, MemorySegment key, MemorySegment value, long flags) {
        try {
            return result(state, (int) UPDATE.invokeExact(state, fd, key, value, flags));
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_map_update_elem", "fd " + fd, t);
        }
    }

    public static int lookup(MemorySegment state, int fd, MemorySegment key, MemorySegment value) {
        try {
            return result(state, (int) LOOKUP.invokeExact(state, fd, key, value));
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_map_lookup_elem", "fd " + fd, t);
        }
    }

    public static int delete(MemorySegment state, int fd, MemorySegment key) {
        try {
            return result(state, (int) DELETE.invokeExact(state, fd, key));
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_map_delete_elem", "fd " + fd, t);
        }
    }

    /** The key after {@code key} ({@link MemorySegment#NULL} for the first); ENOENT at the end. */
    public static int nextKey(MemorySegment state, int fd, MemorySegment key, MemorySegment next) {
        try {
            return result(state, (int) NEXT_KEY.invokeExact(state, fd, key, next));
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_map_get_next_key", "fd " + fd, t);
        }
    }

    /** A bpf_map_batch_opts with the given element flags. */
    public static MemorySegment batchOpts(Arena arena, long elemFlags) {
        MemorySegment opts = arena.allocate(BATCH_OPTS_SIZE, 8);
        opts.set(LONG, 0, BATCH_OPTS_SIZE);
        opts.set(LONG, 8, elemFlags);
        return opts;
    }

    /** Updates {@code count.get(INT, 0)} entries; on failure count holds how many were done. */
    public static int updateBatch(
            MemorySegment state,
            int fd,
            MemorySegment keys,
            MemorySegment values,
            MemorySegment count,
            MemorySegment opts) {
        try {
            return result(state, (int) UPDATE_BATCH.invokeExact(state, fd, keys, values, count, opts));
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_map_update_batch", "fd " + fd, t);
        }
    }

    /**
     * Reads up to {@code count.get(INT, 0)} entries after the batch token {@code inBatch} (NULL: from the start);
     * count then holds how many were read, and {@code outBatch} the token to go on from. ENOENT: these were the
     * last.
     */
    public static int lookupBatch(
            MemorySegment state,
            int fd,
            MemorySegment inBatch,
            MemorySegment outBatch,
            MemorySegment keys,
            MemorySegment values,
            MemorySegment count,
            MemorySegment opts) {
        try {
            return result(
                    state, (int) LOOKUP_BATCH.invokeExact(state, fd, inBatch, outBatch, keys, values, count, opts));
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_map_lookup_batch", "fd " + fd, t);
        }
    }

    public static int deleteBatch(
            MemorySegment state, int fd, MemorySegment keys, MemorySegment count, MemorySegment opts) {
        try {
            return result(state, (int) DELETE_BATCH.invokeExact(state, fd, keys, count, opts));
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_map_delete_batch", "fd " + fd, t);
        }
    }

    /** Pins a map, program or link descriptor at a bpffs path. */
    public static void pin(Arena arena, int fd, String path) {
        MemorySegment state = NativeCall.state(arena);
        int rc;
        try {
            rc = (int) OBJ_PIN.invokeExact(state, fd, arena.allocateFrom(path));
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_obj_pin", path, t);
        }
        if (rc != 0) {
            throw NativeCall.failure("bpf_obj_pin", path, state, rc);
        }
    }

    /** Opens a pinned object; returns its new descriptor, or -errno (ENOENT when nothing is pinned). */
    public static int getPinned(Arena arena, String path) {
        MemorySegment state = NativeCall.state(arena);
        try {
            int fd = (int) OBJ_GET.invokeExact(state, arena.allocateFrom(path));
            return fd >= 0 ? fd : -result(state, fd);
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_obj_get", path, t);
        }
    }

    /** Fills {@code info} ({@link #INFO_SIZE} bytes) with bpf_map_info or bpf_link_info. */
    public static void info(Arena arena, int fd, MemorySegment info, String what) {
        MemorySegment state = NativeCall.state(arena);
        MemorySegment len = arena.allocateFrom(INT, (int) info.byteSize());
        int rc;
        try {
            rc = (int) INFO.invokeExact(state, fd, info, len);
        } catch (Throwable t) {
            throw NativeCall.uncallable("bpf_obj_get_info_by_fd", what, t);
        }
        if (rc != 0) {
            throw NativeCall.failure("bpf_obj_get_info_by_fd", what, state, rc);
        }
    }

    /** Closes a descriptor this process owns. */
    public static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) CLOSE.invokeExact(NativeCall.state(arena), fd);
            if (rc != 0) {
                throw new BpfException("close(" + fd + ") failed");
            }
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeCall.uncallable("close", "fd " + fd, t);
        }
    }

    public static String strerror(int errno) {
        return NativeCall.strerror(errno);
    }
}
