import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The checker's own test, run by scripts/test.sh before the build: reports written the way the JUnit Platform
 * writes them, with and without skips, in strict and lenient mode. Exits 1 naming what failed.
 *
 * <pre>
 * java scripts/test-report/TestReportTest.java
 * </pre>
 */
public final class TestReportTest {
    private static final String HEAD = """
            <?xml version="1.0" ?>
            <e:events xmlns="https://schemas.opentest4j.org/reporting/core/0.2.0" \
            xmlns:e="https://schemas.opentest4j.org/reporting/events/0.2.0" \
            xmlns:java="https://schemas.opentest4j.org/reporting/java/0.2.0" \
            xmlns:junit="https://schemas.junit.org/open-test-reporting">
            <e:started id="1" name="JUnit Jupiter"><metadata><junit:type>CONTAINER</junit:type></metadata></e:started>
            """;
    private static final String TAIL = """
            <e:finished id="1"><result status="SUCCESSFUL"></result></e:finished>
            </e:events>
            """;

    private final List<String> failures = new ArrayList<>();
    private final List<Path> temporary = new ArrayList<>();
    private final Path allowed;
    private int dirs;

    private TestReportTest() throws IOException {
        allowed = Files.createTempFile("allowed-skips", ".txt");
        temporary.add(allowed);
        Files.writeString(allowed, """
                # comment
                p.DockerIT | no engine here | the issue that installs one
                """);
    }

    public static void main(String[] args) throws IOException {
        var t = new TestReportTest();
        t.aPassingRunPasses();
        t.aSkippedTestFailsAStrictRunWithItsNameAndReason();
        t.aClassSkippedInBeforeAllFailsAStrictRun();
        t.aDisabledTestFailsAStrictRun();
        t.aListedSkipPassesLoudly();
        t.aListedTestThatNoLongerSkipsFails();
        t.aLenientRunCountsSkipsByReasonAndPasses();
        t.aFailedTestFails();
        t.aTruncatedReportFails();
        t.reportsOfEarlierRunsAreIgnored();
        t.nothingRunFailsAStrictRun();
        t.aMalformedListIsRefused();
        t.removeTemporaryFiles();
        if (!t.failures.isEmpty()) {
            t.failures.forEach(f -> System.out.println("[test] report checker: FAILED " + f));
            System.exit(1);
        }
        System.out.println("[test] report checker: its own 12 tests passed");
    }

    void aPassingRunPasses() throws IOException {
        var root = build(test("2", "p.OkTest", "ok", "SUCCESSFUL", ""));
        expect("a passing run", root, true, 0, "summary: 1 tests run, 1 passed, 0 failed, 0 skipped; 0 classes skipped");
    }

    void aSkippedTestFailsAStrictRunWithItsNameAndReason() throws IOException {
        var root = build(test("2", "p.NeedsRootIT", "loads", "ABORTED", aborted("needs root (CAP_BPF)")));
        expect("a skipped test", root, true, 1, "SKIPPED p.NeedsRootIT#loads() [mod IT]: needs root (CAP_BPF)");
    }

    void aClassSkippedInBeforeAllFailsAStrictRun() throws IOException {
        // What Surefire's XML shows as "Tests run: 0" with no reason.
        var root = build("""
                <e:started id="2" name="LabIT" parentId="1"><metadata><junit:type>CONTAINER</junit:type></metadata>\
                <sources><java:classSource className="p.LabIT"/></sources></e:started>
                <e:finished id="2"><result status="ABORTED">%s</result></e:finished>
                """.formatted(aborted("the lab needs root")));
        expect("a class skipped in @BeforeAll", root, true, 1, "SKIPPED p.LabIT (the whole class) [mod IT]: the lab needs root");
    }

    void aDisabledTestFailsAStrictRun() throws IOException {
        var root = build(test("2", "p.SomeTest", "later", "SKIPPED", "<reason>not today</reason>"));
        expect("a disabled test", root, true, 1, "SKIPPED p.SomeTest#later() [mod IT]: not today");
    }

    void aListedSkipPassesLoudly() throws IOException {
        var root = build(test("2", "p.DockerIT", "frr", "ABORTED", aborted("no Docker engine")));
        expect("a listed skip", root, true, 0, "!!! ALLOWED SKIP p.DockerIT#frr() [mod IT]: no Docker engine",
                "to be removed by: the issue that installs one");
    }

    void aListedTestThatNoLongerSkipsFails() throws IOException {
        var root = build(test("2", "p.DockerIT", "frr", "SUCCESSFUL", ""));
        expect("a stale entry", root, true, 1, "p.DockerIT ran without skipping; remove its entry");
    }

    void aLenientRunCountsSkipsByReasonAndPasses() throws IOException {
        var root = build(
                test("2", "p.AIT", "a", "ABORTED", aborted("needs root")),
                test("3", "p.BIT", "b", "ABORTED", aborted("needs root")));
        expect("a lenient run", root, false, 0, "2 tests run, 0 passed, 0 failed, 2 skipped", "skipped 2: needs root (AIT, BIT)");
    }

    void aFailedTestFails() throws IOException {
        var root = build(test("2", "p.BadTest", "wrong", "FAILED", ""));
        expect("a failed test", root, false, 1, "FAILED  p.BadTest#wrong()");
    }

    void aTruncatedReportFails() throws IOException {
        var root = tempDirectory();
        write(root, HEAD + test("2", "p.OkTest", "ok", "SUCCESSFUL", ""));
        expect("a truncated report", root, false, 1, "UNREADABLE report");
    }

    void reportsOfEarlierRunsAreIgnored() throws IOException {
        var root = build(test("2", "p.OldIT", "old", "ABORTED", aborted("stale")));
        try (var files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, FileTime.fromMillis(1_000));
            }
        }
        var out = run(root, true, "--since", "2000");
        check("an earlier run's report", out.code == 1 && out.text.contains("no test reported a result"), out);
    }

    void nothingRunFailsAStrictRun() throws IOException {
        var root = tempDirectory();
        expect("no reports", root, true, 1, "no test reported a result");
    }

    void aMalformedListIsRefused() throws IOException {
        var root = build(test("2", "p.OkTest", "ok", "SUCCESSFUL", ""));
        Files.writeString(allowed, "p.DockerIT | no reason or issue\n");
        try {
            expect("a malformed list", root, true, 2, "expected 'test | why it skips | the issue that removes it'");
        } finally {
            Files.writeString(allowed, "p.DockerIT | no engine here | the issue that installs one\n");
        }
    }

    // --- helpers

    private Path tempDirectory() throws IOException {
        var dir = Files.createTempDirectory("report");
        temporary.add(dir);
        return dir;
    }

    private void removeTemporaryFiles() throws IOException {
        for (Path p : temporary) {
            try (var files = Files.walk(p)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
            }
        }
    }

    private Path build(String... events) throws IOException {
        var root = tempDirectory();
        write(root, HEAD + String.join("", events) + TAIL);
        return root;
    }

    private void write(Path root, String text) throws IOException {
        var dir = Files.createDirectories(root.resolve("mod/target/test-events/failsafe-" + dirs++));
        Files.writeString(dir.resolve("open-test-report.xml"), text);
    }

    private static String test(String id, String className, String method, String status, String detail) {
        return """
                <e:started id="%s" name="%s()" parentId="1"><metadata><junit:legacyReportingName>%s()\
                </junit:legacyReportingName><junit:type>TEST</junit:type></metadata><sources>\
                <java:methodSource className="%s" methodName="%s" methodParameterTypes=""/></sources></e:started>
                <e:finished id="%s"><result status="%s">%s</result></e:finished>
                """.formatted(id, method, method, className, method, id, status, detail);
    }

    private static String aborted(String why) {
        return """
                <java:throwable assertionError="false" type="org.opentest4j.TestAbortedException"><![CDATA[\
                org.opentest4j.TestAbortedException: Assumption failed: %s
                	at org.junit.jupiter.api.Assumptions.throwAssumptionFailed(Assumptions.java:340)
                ]]></java:throwable>""".formatted(why);
    }

    private record Run(int code, String text) {}

    private Run run(Path root, boolean strict, String... extra) {
        var bytes = new ByteArrayOutputStream();
        var args = new ArrayList<String>();
        if (strict) args.add("--strict");
        args.addAll(List.of(extra));
        args.addAll(List.of("--allowed", allowed.toString(), root.toString()));
        int code = TestReport.run(args.toArray(String[]::new), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(code, bytes.toString(StandardCharsets.UTF_8));
    }

    private void expect(String what, Path root, boolean strict, int code, String... lines) {
        var out = run(root, strict);
        boolean ok = out.code == code;
        for (String line : lines) ok &= out.text.contains(line);
        check(what + " (exit " + code + ", " + String.join(" / ", lines) + ")", ok, out);
    }

    private void check(String what, boolean ok, Run out) {
        if (!ok) failures.add(what + "; got exit " + out.code + ":\n" + out.text.indent(4));
    }
}
