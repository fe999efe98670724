package io.meshgw.bpf.libbpf;

import io.meshgw.bpf.BpfException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** Downcall plumbing shared by the bindings: symbol lookup in the bundled libbpf, errno capture. */
final class NativeCall {

    static final Linker LINKER = Linker.nativeLinker();
    static final AddressLayout PTR = ValueLayout.ADDRESS;
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

    private NativeCall() {}

    /** A libbpf function that cannot fail (or reports failure in its return value only). */
    static MethodHandle plain(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd);
    }

    /** A libbpf function whose failure is described by errno; the handle takes the state first. */
    static MethodHandle withErrno(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd, Linker.Option.captureCallState("errno"));
    }

    /** A libc function (close) with errno capture. */
    static MethodHandle libc(String name, FunctionDescriptor fd) {
        return Libc.function(name, fd);
    }

    private static MemorySegment symbol(String name) {
        return BundledLibbpf.lookup()
                .find(name)
                .orElseThrow(() -> new BpfException("the bundled libbpf has no symbol " + name));
    }

    static MemorySegment state(Arena arena) {
        return Libc.callState(arena);
    }

    static int errno(MemorySegment state) {
        return Libc.errno(state);
    }

    static String strerror(int errno) {
        return Libc.strerror(errno);
    }

    /** The exception for a failed call; libbpf returns -errno and also sets errno. */
    static BpfException failure(String call, String object, MemorySegment state, int rc) {
        int errno = errno(state);
        if (errno == 0 && rc < 0) {
            errno = -rc;
        }
        return new BpfException(call, object, errno, strerror(errno));
    }

    static BpfException uncallable(String call, String object, Throwable t) {
        return new BpfException(call + "(" + object + ") could not be called: " + t);
    }
}
