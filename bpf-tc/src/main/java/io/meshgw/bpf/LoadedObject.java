package io.meshgw.bpf;

import io.meshgw.bpf.libbpf.Libbpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A BPF object loaded into the kernel through the bundled libbpf. It owns the libbpf object,
 * and with it every map and program descriptor, and its native memory; close it to release them
 * (pinned maps stay in bpffs; links attached from its programs keep the programs alive).
 */
public final class LoadedObject implements AutoCloseable {

    private final String name;
    private final Arena arena;
    private final MemorySegment obj;
    private final Map<String, MemorySegment> maps;
    private final Map<String, Path> pins;
    private boolean closed;

    LoadedObject(String name, Arena arena, MemorySegment obj, Map<String, MemorySegment> maps, Map<String, Path> pins) {
        this.name = name;
        this.arena = arena;
        this.obj = obj;
        this.maps = maps;
        this.pins = pins;
    }

    /** Opens and loads one of the objects shipped in this jar, nothing pinned. */
    public static LoadedObject loadBundled(String objectName) {
        ObjectSpec spec = ObjectSpec.bundled(objectName);
        try {
            return spec.load();
        } catch (RuntimeException e) {
            spec.close();
            throw e;
        }
    }

    /** Opens the ELF bytes and loads them, nothing pinned. */
    public static LoadedObject load(String name, byte[] elf) {
        ObjectSpec spec = ObjectSpec.of(name, elf);
        try {
            return spec.load();
        } catch (RuntimeException e) {
            spec.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /** Where a map is pinned, when it is. */
    public Optional<Path> pin(String mapName) {
        return Optional.ofNullable(pins.get(mapName));
    }

    private MemorySegment mapHandle(String mapName) {
        check();
        MemorySegment m = maps.get(mapName);
        if (m == null) {
            throw new BpfException("object " + name + " has no map " + mapName + "; it has " + maps.keySet());
        }
        return m;
    }

    /** Whether the object has a map of that name. */
    public boolean hasMap(String mapName) {
        check();
        return maps.containsKey(mapName);
    }

    /** A typed view of one map; the codecs must match the C structs' sizes. */
    public <K, V> BpfMap<K, V> map(String mapName, Codec<K> keys, Codec<V> values) {
        MemorySegment m = mapHandle(mapName);
        return new BpfMap<>(Libbpf.mapDef(m), Libbpf.mapFd(m, mapName), keys, values, arena);
    }

    public <V> PerCpuArray<V> perCpuArray(String mapName, Codec<V> values) {
        MemorySegment m = mapHandle(mapName);
        return new PerCpuArray<>(Libbpf.mapDef(m), Libbpf.mapFd(m, mapName), values, arena);
    }

    /** The descriptor of program {@code program}; valid while this object is open. */
    public int programFd(String program) {
        check();
        return Libbpf.programFd(arena, obj, program);
    }

    /** Runs {@code program} on {@code packet} with BPF_PROG_TEST_RUN, {@code repeat} times. */
    public TestRun.Result testRun(String program, byte[] packet, int repeat) {
        check();
        return TestRun.run(arena, programFd(program), program, packet, repeat);
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("BPF object " + name + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libbpf.close(obj);
            arena.close();
        }
    }
}
