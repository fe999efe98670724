package io.meshgw.deploy;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One {@code helm template} of a chart through the Helm engine (helm-java), and its documents parsed strictly into
 * the fabric8 model. Release {@value #RELEASE} in namespace {@value #NAMESPACE}, like the plain manifests.
 */
record ChartRender(String text, List<HasMetadata> objects) {
    static final String RELEASE = "meshgw";
    static final String NAMESPACE = "meshgw-system";
    /** The gateway's DaemonSet and ServiceAccount: the full name, the release name (which contains the chart's). */
    static final String GATEWAY = RELEASE;
    /** The node role's DaemonSet and ServiceAccount. */
    static final String NODE_ROLE = RELEASE + "-node-role";

    /** The chart with its default values. */
    static ChartRender defaults() {
        return of(DeployTree.CHART, Optional.empty(), Map.of());
    }

    /** The chart with every optional part turned on. */
    static ChartRender everything() {
        return of(DeployTree.CHART, Optional.of(DeployTree.VALUES_ALL), Map.of());
    }

    static ChartRender of(Path chart, Optional<Path> valuesFile, Map<String, String> set) {
        String text = template(chart, valuesFile, set);
        return new ChartRender(text, StrictModel.parseAll(text));
    }

    /** The chart with {@code set} released into {@code namespace}. */
    static ChartRender inNamespace(String namespace, Map<String, String> set) {
        String text = template(DeployTree.CHART, Optional.empty(), set, namespace);
        return new ChartRender(text, StrictModel.parseAll(text));
    }

    /** The rendered text; a template or values error is an exception naming the template and the line. */
    static String template(Path chart, Optional<Path> valuesFile, Map<String, String> set) {
        return template(chart, valuesFile, set, NAMESPACE);
    }

    private static String template(Path chart, Optional<Path> valuesFile, Map<String, String> set, String namespace) {
        Path offline = offline(chart);
        try {
            var command = new Helm(offline).template().withName(RELEASE).withNamespace(namespace);
            valuesFile.ifPresent(command::withValuesFile);
            new LinkedHashMap<>(set).forEach(command::set);
            return command.call();
        } finally {
            delete(offline.getParent());
        }
    }

    /**
     * A copy of the chart whose lookups find nothing, as in {@code helm template}. helm-java's template asks the
     * cluster of the default kubeconfig instead (it runs an install with dry-run "none"), and there is none here.
     */
    static Path offline(Path chart) {
        try {
            Path copy = Files.createTempDirectory("meshgw-chart").resolve(chart.getFileName());
            try (Stream<Path> files = Files.walk(chart)) {
                for (Path source : files.toList()) {
                    Path dest = copy.resolve(chart.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(dest);
                    } else if (source.toString().endsWith(".yaml")
                            || source.toString().endsWith(".tpl")) {
                        String text = Files.readString(source);
                        Matcher m = LOOKUP.matcher(text);
                        Files.writeString(dest, m.replaceAll("dict"));
                    } else {
                        Files.copy(source, dest);
                    }
                }
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chart's lookups: {@code lookup "<apiVersion>" "<kind>" <namespace> <name>}, each argument one word. */
    static final Pattern LOOKUP = Pattern.compile("\\blookup\\s+\"[^\"]*\"\\s+\"[^\"]*\"\\s+[^\\s)]+\\s+[^\\s)]+");

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", rendered " + found.size());
        }
        return found.getFirst();
    }

    /** The object of {@code type} named {@code name}, where a render has several (the gateway's and the node role's). */
    <T extends HasMetadata> T named(Class<T> type, String name) {
        List<T> found = all(type).stream()
                .filter(o -> o.getMetadata().getName().equals(name))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError(
                    "expected one " + type.getSimpleName() + " " + name + ", rendered " + found.size());
        }
        return found.getFirst();
    }

    <T extends HasMetadata> Optional<T> maybe(Class<T> type) {
        return all(type).stream().findFirst();
    }
}
