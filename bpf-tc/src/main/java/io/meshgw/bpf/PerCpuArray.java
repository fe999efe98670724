package io.meshgw.bpf;

import io.meshgw.bpf.libbpf.Libbpf;
import io.meshgw.bpf.libbpf.Libbpf.MapDef;
import io.meshgw.bpf.libbpf.MapCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** A BPF_MAP_TYPE_PERCPU_ARRAY: one value per possible CPU at each index. */
public final class PerCpuArray<V> {

    private final MapDef def;
    private final int fd;
    private final Codec<V> values;
    private final int cpus;
    private final long stride;
    private final MemorySegment key;
    private final MemorySegment buffer;
    private final MemorySegment state;

    PerCpuArray(MapDef def, int fd, Codec<V> values, Arena arena) {
        if (values.size() != def.valueSize()) {
            throw new BpfException("map " + def.name() + " has value size " + def.valueSize() + " but the codec writes "
                    + values.size());
        }
        this.def = def;
        this.fd = fd;
        this.values = values;
        this.cpus = Libbpf.possibleCpus();
        this.stride = (values.size() + 7) & ~7L; // the kernel rounds per-CPU values up to 8 bytes
        this.key = arena.allocate(ValueLayout.JAVA_INT);
        this.buffer = arena.allocate(stride * cpus, 8);
        this.state = MapCalls.newState(arena);
    }

    public int size() {
        return def.maxEntries();
    }

    /** The per-CPU values at {@code index}, CPU 0 first. */
    public synchronized List<V> get(int index) {
        if (index < 0 || index >= def.maxEntries()) {
            throw new IndexOutOfBoundsException(def.name() + " has " + def.maxEntries() + " entries, not " + index);
        }
        key.set(ValueLayout.JAVA_INT, 0, index);
        int errno = MapCalls.lookup(state, fd, key, buffer);
        if (errno != 0) {
            throw new BpfException("bpf_map_lookup_elem", def.name(), errno, MapCalls.strerror(errno));
        }
        List<V> out = new ArrayList<>(cpus);
        for (int cpu = 0; cpu < cpus; cpu++) {
            out.add(values.read(buffer, cpu * stride));
        }
        return out;
    }

    /** Writes {@code v} at {@code index} on every CPU. */
    public synchronized void putOnEveryCpu(int index, V v) {
        if (index < 0 || index >= def.maxEntries()) {
            throw new IndexOutOfBoundsException(def.name() + " has " + def.maxEntries() + " entries, not " + index);
        }
        key.set(ValueLayout.JAVA_INT, 0, index);
        for (int cpu = 0; cpu < cpus; cpu++) {
            values.write(v, buffer, cpu * stride);
        }
        int errno = MapCalls.update(state, fd, key, buffer, MapCalls.BPF_ANY);
        if (errno != 0) {
            throw new BpfException("bpf_map_update_elem", def.name(), errno, MapCalls.strerror(errno));
        }
    }
}
