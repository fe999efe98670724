package io.meshgw.bpf;

import io.meshgw.bpf.libbpf.Libbpf.MapDef;
import io.meshgw.bpf.libbpf.MapCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * A map opened from its bpffs pin, without the object that created it: what the CLI and
 * benchmarks use to read or fill a running datapath's maps. Owns its descriptor.
 */
public final class PinnedMap implements AutoCloseable {

    private final Path path;
    private final Arena arena;
    private final int fd;
    private final MapDef def;
    private boolean closed;

    private PinnedMap(Path path, Arena arena, int fd, MapDef def) {
        this.path = path;
        this.arena = arena;
        this.fd = fd;
        this.def = def;
    }

    public static PinnedMap open(Path path) {
        Arena arena = Arena.ofShared();
        int fd = MapCalls.getPinned(arena, path.toString());
        if (fd < 0) {
            arena.close();
            throw new BpfException("bpf_obj_get", path.toString(), -fd, MapCalls.strerror(-fd));
        }
        try {
            return new PinnedMap(path, arena, fd, info(arena, fd, path));
        } catch (RuntimeException e) {
            MapCalls.close(fd);
            arena.close();
            throw e;
        }
    }

    /** What the kernel says about the map pinned at {@code path}. */
    public static MapDef describe(Path path) {
        try (PinnedMap m = open(path)) {
            return m.def;
        }
    }

    private static MapDef info(Arena arena, int fd, Path path) {
        MemorySegment info = arena.allocate(MapCalls.INFO_SIZE, 8);
        MapCalls.info(arena, fd, info, path.toString());
        return new MapDef(
                info.asSlice(MapCalls.INFO_NAME, 16).getString(0),
                info.get(ValueLayout.JAVA_INT, MapCalls.INFO_TYPE),
                info.get(ValueLayout.JAVA_INT, MapCalls.INFO_KEY_SIZE),
                info.get(ValueLayout.JAVA_INT, MapCalls.INFO_VALUE_SIZE),
                info.get(ValueLayout.JAVA_INT, MapCalls.INFO_MAX_ENTRIES),
                info.get(ValueLayout.JAVA_INT, MapCalls.INFO_MAP_FLAGS));
    }

    public MapDef def() {
        return def;
    }

    public Path path() {
        return path;
    }

    public <K, V> BpfMap<K, V> typed(Codec<K> keys, Codec<V> values) {
        return new BpfMap<>(def, fd, keys, values, arena);
    }

    public <V> PerCpuArray<V> perCpu(Codec<V> values) {
        return new PerCpuArray<>(def, fd, values, arena);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            MapCalls.close(fd);
            arena.close();
        }
    }
}
