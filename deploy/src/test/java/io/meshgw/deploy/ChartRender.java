package io.meshgw.deploy;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code helm template} of a chart through the Helm engine (helm-java), and its documents parsed strictly into
 * the fabric8 model. Release {@value #RELEASE} in namespace {@value #NAMESPACE}, like the plain manifests.
 */
record ChartRender(String text, List<HasMetadata> objects) {
    static final String RELEASE = "meshgw";
    static final String NAMESPACE = "meshgw-system";

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

    /** The rendered text; a template or values error is an exception naming the template and the line. */
    static String template(Path chart, Optional<Path> valuesFile, Map<String, String> set) {
        var command = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE);
        valuesFile.ifPresent(command::withValuesFile);
        new LinkedHashMap<>(set).forEach(command::set);
        return command.call();
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

    <T extends HasMetadata> Optional<T> maybe(Class<T> type) {
        return all(type).stream().findFirst();
    }
}
