package io.meshgw.bpf;

import java.lang.foreign.MemorySegment;

/**
 * Writes and reads one map key or value in the exact byte layout of its C struct. Codecs are
 * stateless; {@link #size} must equal the struct's {@code sizeof}, which {@link BpfMap} checks
 * against the map the kernel created.
 */
public interface Codec<T> {

    /** The C struct's size in bytes. */
    int size();

    /** Writes {@code value} at {@code offset}; every byte of the struct, padding included. */
    void write(T value, MemorySegment segment, long offset);

    T read(MemorySegment segment, long offset);
}
