package io.meshgw.testkit.net;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.function.Supplier;

/**
 * Runs code with the calling thread inside a named network namespace (setns(2) moves only the
 * calling thread), then moves it back. What the code does with interfaces, ifindexes, netlink
 * and sockets happens in that namespace; the rest of the JVM stays where it was. Must be called
 * from a platform thread.
 */
public final class ThreadNetns {

    private static final int O_RDONLY = 0;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN =
            libc("open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SETNS =
            libc("setns", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE =
            libc("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private ThreadNetns() {}

    private static MethodHandle libc(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd);
    }

    public static <T> T call(NetNs ns, Supplier<T> body) {
        return call("/var/run/netns/" + ns.name(), body);
    }

    public static void run(NetNs ns, Runnable body) {
        call(ns, () -> {
            body.run();
            return null;
        });
    }

    public static <T> T call(String nsPath, Supplier<T> body) {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("setns needs a platform thread");
        }
        int home = open("/proc/thread-self/ns/net");
        int target = open(nsPath);
        try {
            setns(target, nsPath);
            try {
                return body.get();
            } finally {
                setns(home, "the thread's own namespace");
            }
        } finally {
            close(target);
            close(home);
        }
    }

    private static int open(String path) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(arena.allocateFrom(path), O_RDONLY);
            if (fd < 0) {
                throw new IllegalStateException("cannot open " + path);
            }
            return fd;
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("open(" + path + "): " + t, t);
        }
    }

    private static void setns(int fd, String what) {
        int rc;
        try {
            rc = (int) SETNS.invokeExact(fd, CLONE_NEWNET);
        } catch (Throwable t) {
            throw new IllegalStateException("setns(" + what + "): " + t, t);
        }
        if (rc != 0) {
            throw new IllegalStateException("setns into " + what + " failed (needs CAP_SYS_ADMIN)");
        }
    }

    private static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // a descriptor we opened ourselves; nothing useful to do
        }
    }
}
