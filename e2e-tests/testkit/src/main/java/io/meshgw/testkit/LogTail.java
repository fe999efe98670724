package io.meshgw.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The end of a part's log, quoted in failure messages so a CI report carries it after the work directory is gone. */
public final class LogTail {

    private LogTail() {}

    /** The last {@code lines} lines of {@code file}, or a note that it cannot be read. */
    public static String of(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(no log at " + file + ": " + e.getMessage() + ")";
        }
    }
}
