package io.meshgw.bpf;

import io.meshgw.bpf.libbpf.Libbpf;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A BPF object loaded into the kernel through the bundled libbpf. It owns the libbpf object,
 * and with it every map and program descriptor, and its native memory; close it to release them.
 */
public final class LoadedObject implements AutoCloseable {

    /** Room for the verifier's explanation of a rejected program. */
    private static final int VERIFIER_LOG_BYTES = 256 * 1024;

    private final String name;
    private final Arena arena;
    private final MemorySegment obj;
    private boolean closed;

    private LoadedObject(String name, Arena arena, MemorySegment obj) {
        this.name = name;
        this.arena = arena;
        this.obj = obj;
    }

    /** Loads one of the programs shipped in this jar, e.g. {@code tc_noop}. */
    public static LoadedObject loadBundled(String objectName) {
        String resource = "/io/meshgw/bpf/progs/" + objectName + ".o";
        try (InputStream in = LoadedObject.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new BpfException("the bpf-tc jar has no " + resource);
            }
            return load(objectName, in.readAllBytes());
        } catch (IOException e) {
            throw new BpfException("cannot read " + resource + ": " + e.getMessage());
        }
    }

    /** Opens the ELF bytes and loads them; the verifier's verdict surfaces as a {@link BpfException}. */
    public static LoadedObject load(String name, byte[] elf) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment buf = arena.allocate(elf.length, 8);
            MemorySegment.copy(elf, 0, buf, ValueLayout.JAVA_BYTE, 0, elf.length);
            MemorySegment log = arena.allocate(VERIFIER_LOG_BYTES);
            MemorySegment obj = Libbpf.openMem(arena, buf, name, log);
            try {
                Libbpf.load(arena, obj, name);
            } catch (BpfException e) {
                Libbpf.close(obj);
                String verifier = log.getString(0).strip();
                if (verifier.isEmpty()) {
                    throw e;
                }
                throw new BpfException(e.getMessage() + "\nverifier log:\n" + tail(verifier, 40));
            }
            return new LoadedObject(name, arena, obj);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    public String name() {
        return name;
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
