import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads what every test JVM of a build recorded and says how many tests ran, failed and were skipped, naming each
 * skip with its reason. With --strict (scripts/test.sh as root or under CI) a skip fails the run unless the
 * allowed-skips file lists it.
 *
 * <p>It reads the JUnit Platform's own event reports (junit-platform-reporting, enabled for Surefire and Failsafe
 * in the parent pom), not the Surefire XML: a class whose {@code @BeforeAll} assumption fails appears there as a
 * suite of zero tests with no reason, so a whole skipped scenario class would pass unseen.
 *
 * <pre>
 * java scripts/test-report/TestReport.java [--strict] [--since EPOCH_MILLIS] [--allowed FILE] ROOT
 * </pre>
 *
 * Exit status: 0 fine, 1 failures or (strict) skips not allowed, 2 unusable input.
 */
public final class TestReport {

    /** One test or container that finished, as its event report tells it. */
    record Result(
            String module, String tier, boolean container, String className, String method, String name,
            String status, String reason) {

        boolean skipped() {
            return status.equals("ABORTED") || status.equals("SKIPPED");
        }

        boolean failed() {
            return status.equals("FAILED");
        }

        String display() {
            if (className.isEmpty()) return name;
            if (container) return className + " (the whole class)";
            return className + "#" + name;
        }
    }

    /** A line of the allowed-skips file: the test (a class, or class#method), why it skips, what removes it. */
    record Allowed(String test, String reason, String issue) {

        boolean covers(Result r) {
            if (r.className().isEmpty()) return false;
            boolean classMatches = r.className().equals(test) || r.className().startsWith(test + "$");
            int hash = test.indexOf('#');
            if (hash < 0) return classMatches;
            return r.className().equals(test.substring(0, hash)) && test.substring(hash + 1).equals(r.method());
        }
    }

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private TestReport() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        boolean strict = false;
        long since = 0;
        Path allowedFile = null;
        Path root = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--strict" -> strict = true;
                    case "--since" -> since = Long.parseLong(value(args, ++i, "--since"));
                    case "--allowed" -> allowedFile = Path.of(value(args, ++i, "--allowed"));
                    default -> {
                        if (args[i].startsWith("-") || root != null) throw new UsageException("unknown argument " + args[i]);
                        root = Path.of(args[i]);
                    }
                }
            }
            if (root == null) throw new UsageException("no build root given");
            List<Allowed> allowed = allowedFile == null ? List.of() : readAllowed(allowedFile);
            List<String> unreadable = new ArrayList<>();
            List<Result> results = new ArrayList<>();
            for (Path report : reports(root, since)) {
                try {
                    results.addAll(read(root, report));
                } catch (IOException | XMLStreamException e) {
                    // A test JVM that died leaves its report unfinished: that is a failure, not a pass.
                    unreadable.add(root.relativize(report) + ": " + e.getMessage());
                }
            }
            return summarize(results, unreadable, allowed, strict, allowedFile, out);
        } catch (UsageException | NumberFormatException | IOException e) {
            out.println("[test] report: " + e.getMessage());
            out.println("[test] usage: java TestReport.java [--strict] [--since EPOCH_MILLIS] [--allowed FILE] ROOT");
            return 2;
        }
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) throw new UsageException(option + " needs a value");
        return args[i];
    }

    static int summarize(
            List<Result> results, List<String> unreadable, List<Allowed> allowed, boolean strict, Path allowedFile,
            PrintStream out) {
        long tests = results.stream().filter(r -> !r.container()).count();
        List<Result> failed = results.stream().filter(Result::failed).toList();
        List<Result> skipped = results.stream().filter(Result::skipped).toList();
        Map<Result, Allowed> excused = new LinkedHashMap<>();
        for (Result s : skipped) {
            allowed.stream().filter(a -> a.covers(s)).findFirst().ifPresent(a -> excused.put(s, a));
        }
        List<Result> unexcused = skipped.stream().filter(s -> !excused.containsKey(s)).toList();

        long passed = results.stream().filter(r -> !r.container() && r.status().equals("SUCCESSFUL")).count();
        long skippedTests = skipped.stream().filter(r -> !r.container()).count();
        out.printf(
                "[test] summary: %d tests run, %d passed, %d failed, %d skipped; %d classes skipped before their"
                        + " tests ran; %d of the skips allowed by %s%n",
                tests, passed, failed.size(), skippedTests, skipped.size() - skippedTests, excused.size(),
                allowedFile == null ? "no list" : allowedFile.getFileName());
        for (Result f : failed) out.printf("[test] FAILED  %s [%s %s]%n", f.display(), f.module(), f.tier());
        for (String u : unreadable) out.printf("[test] UNREADABLE report (a test JVM died?) %s%n", u);
        excused.forEach((s, a) -> out.printf(
                "[test] !!! ALLOWED SKIP %s [%s %s]: %s%n[test]     listed because: %s; to be removed by: %s%n",
                s.display(), s.module(), s.tier(), s.reason(), a.reason(), a.issue()));
        if (strict) {
            for (Result s : unexcused) {
                out.printf("[test] SKIPPED %s [%s %s]: %s%n", s.display(), s.module(), s.tier(), s.reason());
            }
        } else {
            // Without root whole tiers skip for the same few reasons: one line per reason.
            Map<String, List<Result>> byReason = new TreeMap<>();
            for (Result s : unexcused) byReason.computeIfAbsent(s.reason(), k -> new ArrayList<>()).add(s);
            byReason.forEach((reason, list) -> out.printf(
                    "[test] skipped %d: %s (%s)%n", list.size(), reason, classes(list)));
        }

        boolean ok = failed.isEmpty() && unreadable.isEmpty();
        if (strict) {
            ok &= staleEntries(results, skipped, allowed, out);
            if (tests == 0 && skipped.isEmpty()) {
                out.println("[test] FAIL: no test reported a result in this run (were the tests skipped?)");
                ok = false;
            }
            if (!unexcused.isEmpty()) {
                out.printf(
                        "[test] FAIL: %d skipped test(s) or class(es) above; here every tier must run. An exception"
                                + " is one entry in %s, naming the test, why, and the issue that removes it.%n",
                        unexcused.size(), allowedFile == null ? "the allowed-skips file" : allowedFile);
                ok = false;
            }
        } else if (!unexcused.isEmpty()) {
            out.printf("[test] %d skip(s) allowed here (not root, not CI); as root or with CI=true they fail%n",
                    unexcused.size());
        }
        return ok ? 0 : 1;
    }

    /** An allowed entry whose test ran and did not skip is no longer an exception: it must go. */
    private static boolean staleEntries(
            List<Result> results, List<Result> skipped, List<Allowed> allowed, PrintStream out) {
        boolean ok = true;
        for (Allowed a : allowed) {
            boolean skips = skipped.stream().anyMatch(a::covers);
            boolean ran = results.stream().anyMatch(r -> !r.skipped() && !r.container() && a.covers(r));
            if (!skips && ran) {
                out.printf("[test] FAIL: %s ran without skipping; remove its entry from the allowed skips%n", a.test());
                ok = false;
            } else if (!skips) {
                out.printf("[test] note: allowed skip %s did not run in this build%n", a.test());
            }
        }
        return ok;
    }

    private static String classes(List<Result> list) {
        var names = list.stream()
                .map(r -> r.className().isEmpty() ? r.name() : r.className().substring(r.className().lastIndexOf('.') + 1))
                .distinct()
                .toList();
        return names.size() <= 4
                ? String.join(", ", names)
                : String.join(", ", names.subList(0, 4)) + " and " + (names.size() - 4) + " more";
    }

    static List<Allowed> readAllowed(Path file) throws IOException, UsageException {
        List<Allowed> out = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file)) {
            n++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
            String[] fields = trimmed.split("\\|", -1);
            if (fields.length != 3 || Stream.of(fields).anyMatch(f -> f.isBlank())) {
                throw new UsageException(file + ":" + n + ": expected 'test | why it skips | the issue that removes"
                        + " it', got: " + trimmed);
            }
            out.add(new Allowed(fields[0].strip(), fields[1].strip(), fields[2].strip()));
        }
        return out;
    }

    /** The event reports under {@code <module>/target/test-events/} written at or after {@code since}. */
    static List<Path> reports(Path root, long since) throws IOException {
        try (Stream<Path> files = Files.find(
                root,
                10,
                (p, attrs) -> attrs.isRegularFile()
                        && p.getFileName().toString().endsWith(".xml")
                        && p.getParent().getParent() != null
                        && p.getParent().getParent().getFileName().toString().equals("test-events")
                        && attrs.lastModifiedTime().toMillis() >= since)) {
            return files.filter(p -> !p.toString().contains("/.git/")).sorted().toList();
        }
    }

    /** The finished tests and containers of one event report (open-test-reporting's events format). */
    static List<Result> read(Path root, Path report) throws IOException, XMLStreamException {
        String relative = root.relativize(report).toString().replace('\\', '/');
        int target = relative.indexOf("/target/");
        String module = target < 0 ? "." : relative.substring(0, target);
        String dir = report.getParent().getFileName().toString();
        String tier = dir.startsWith("failsafe") ? "IT" : dir.startsWith("surefire") ? "unit" : dir;

        Map<String, Map<String, String>> descriptors = new HashMap<>();
        List<Result> results = new ArrayList<>();
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        try (InputStream in = Files.newInputStream(report)) {
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            Map<String, String> current = null; // the descriptor or result being read
            String text = null; // the element whose text is wanted
            StringBuilder buffer = new StringBuilder();
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = xml.getLocalName();
                    switch (name) {
                        case "started", "reported", "finished" -> {
                            String id = xml.getAttributeValue(null, "id");
                            current = name.equals("finished")
                                    ? new HashMap<>(descriptors.getOrDefault(id, Map.of()))
                                    : descriptors.computeIfAbsent(id, k -> new HashMap<>());
                            if (!name.equals("finished")) current.put("name", attr(xml, "name"));
                            current.put("event", name);
                        }
                        case "type", "legacyReportingName", "reason", "throwable" -> {
                            text = name;
                            buffer.setLength(0);
                        }
                        case "classSource", "methodSource" -> {
                            if (current != null) {
                                current.put("class", attr(xml, "className"));
                                if (name.equals("methodSource")) current.put("method", attr(xml, "methodName"));
                            }
                        }
                        case "result" -> {
                            if (current != null) current.put("status", attr(xml, "status"));
                        }
                        default -> {}
                    }
                } else if (text != null
                        && (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA)) {
                    buffer.append(xml.getText());
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    String name = xml.getLocalName();
                    if (name.equals(text)) {
                        if (current != null) current.putIfAbsent(text, buffer.toString());
                        text = null;
                    } else if ((name.equals("finished") || name.equals("reported")) && current != null) {
                        if (current.containsKey("status")) results.add(result(module, tier, current));
                        current = null;
                    }
                }
            }
        }
        return results;
    }

    private static Result result(String module, String tier, Map<String, String> d) {
        String name = Optional.ofNullable(d.get("legacyReportingName")).orElse(d.getOrDefault("name", "?"));
        return new Result(
                module,
                tier,
                "CONTAINER".equals(d.get("type")),
                d.getOrDefault("class", ""),
                d.getOrDefault("method", ""),
                name,
                d.get("status"),
                reason(d));
    }

    /** SKIPPED carries a reason; ABORTED a TestAbortedException, whose first line says why. */
    private static String reason(Map<String, String> d) {
        String reason = d.get("reason");
        if (reason != null && !reason.isBlank()) return reason.strip();
        String throwable = d.get("throwable");
        if (throwable == null || throwable.isBlank()) return "no reason given";
        String first = throwable.strip().lines().findFirst().orElse("");
        int colon = first.indexOf(": ");
        String message = colon < 0 ? first : first.substring(colon + 2);
        return message.startsWith("Assumption failed: ") ? message.substring("Assumption failed: ".length()) : message;
    }

    private static String attr(XMLStreamReader xml, String name) {
        String value = xml.getAttributeValue(null, name);
        return value == null ? "" : value;
    }
}
