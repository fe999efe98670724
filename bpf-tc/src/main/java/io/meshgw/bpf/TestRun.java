package io.meshgw.bpf;

import io.meshgw.bpf.libbpf.Libbpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/** BPF_PROG_TEST_RUN: the kernel runs a loaded program on a packet we craft, no NIC needed. */
public final class TestRun {

    /**
     * What the program did.
     *
     * @param retval the program's return code (TC_ACT_OK = 0, TC_ACT_SHOT = 2, ...)
     * @param packetOut the packet as the program left it
     * @param nanosPerRun the kernel's average time per repetition
     */
    public record Result(int retval, byte[] packetOut, long nanosPerRun) {}

    private TestRun() {}

    static Result run(Arena arena, int progFd, String program, byte[] packet, int repeat) {
        if (packet.length < 14) {
            throw new IllegalArgumentException("a tc test packet needs at least an Ethernet header (14 bytes)");
        }
        MemorySegment in = arena.allocate(packet.length);
        MemorySegment.copy(packet, 0, in, ValueLayout.JAVA_BYTE, 0, packet.length);
        MemorySegment out = arena.allocate(packet.length + 256);
        MemorySegment opts = arena.allocate(Libbpf.TEST_RUN_OPTS);
        set(opts, "sz", Libbpf.TEST_RUN_OPTS.byteSize());
        opts.set(ValueLayout.ADDRESS, offset("data_in"), in);
        opts.set(ValueLayout.ADDRESS, offset("data_out"), out);
        opts.set(ValueLayout.JAVA_INT, offset("data_size_in"), packet.length);
        opts.set(ValueLayout.JAVA_INT, offset("data_size_out"), (int) out.byteSize());
        opts.set(ValueLayout.JAVA_INT, offset("repeat"), Math.max(1, repeat));
        Libbpf.testRun(arena, progFd, opts, program);
        int outLen = opts.get(ValueLayout.JAVA_INT, offset("data_size_out"));
        byte[] result = Arrays.copyOf(out.toArray(ValueLayout.JAVA_BYTE), outLen);
        return new Result(
                opts.get(ValueLayout.JAVA_INT, offset("retval")),
                result,
                Integer.toUnsignedLong(opts.get(ValueLayout.JAVA_INT, offset("duration"))));
    }

    private static long offset(String field) {
        return Libbpf.TEST_RUN_OPTS.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    private static void set(MemorySegment s, String field, long v) {
        s.set(ValueLayout.JAVA_LONG, offset(field), v);
    }
}
