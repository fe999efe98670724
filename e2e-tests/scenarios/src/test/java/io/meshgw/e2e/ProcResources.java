package io.meshgw.e2e;

import io.meshgw.testkit.net.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a process holds: threads and open file descriptors from /proc, and for a JVM its live
 * heap through jcmd.
 */
final class ProcResources {

    /** A generation's (or a whole heap's) summary line of GC.heap_info, e.g. "Tenured total 43712K, used 8036K". */
    private static final Pattern HEAP_USED = Pattern.compile("^\\S.*\\btotal \\d+K, used (\\d+)K", Pattern.MULTILINE);

    private ProcResources() {}

    static int threads(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                    .filter(l -> l.startsWith("Threads:"))
                    .mapToInt(l -> Integer.parseInt(l.substring(8).strip()))
                    .findFirst()
                    .orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int fds(long pid) {
        try (Stream<Path> s = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A JVM's heap in use right after full collections, in KiB: what it holds, not the garbage
     * that happens to be waiting. Two collections, because what cleaners release after the first
     * is only reclaimed by the second. The gateway runs on the same JDK as the tests, so this
     * JDK's jcmd attaches to it.
     */
    static long liveHeapKib(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        for (int i = 0; i < 2; i++) {
            Command.run(List.of(jcmd, String.valueOf(pid), "GC.run")).check();
        }
        String info = Command.run(List.of(jcmd, String.valueOf(pid), "GC.heap_info"))
                .check()
                .stdout();
        var used = HEAP_USED
                .matcher(info)
                .results()
                .mapToLong(r -> Long.parseLong(r.group(1)))
                .toArray();
        if (used.length == 0) {
            throw new IllegalStateException("no heap figures in GC.heap_info of " + pid + ": " + info);
        }
        return java.util.Arrays.stream(used).sum();
    }
}
