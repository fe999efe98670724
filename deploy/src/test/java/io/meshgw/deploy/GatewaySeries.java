package io.meshgw.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The gateway's Prometheus series as it exports them: metrics/gateway-metrics.json, which the gateway's
 * MetricCatalogueTest writes from a running gateway's /q/metrics and keeps current. Dashboards and alerts are checked
 * against this, not against a list copied by hand.
 */
record GatewaySeries(Map<String, Family> families) {

    /**
     * One metric family.
     *
     * @param samples the series names a query uses (a counter's _total, a histogram's _bucket, _count and _sum)
     * @param labels the label names of its series (without a histogram's le)
     * @param values the values of the labels the gateway enumerates
     */
    record Family(String name, String type, Set<String> samples, Set<String> labels, Map<String, Set<String>> values) {}

    static GatewaySeries read(Path catalogue) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(catalogue.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(catalogue + " is not readable: " + e.getMessage(), e);
        }
        Map<String, Family> families = new TreeMap<>();
        root.path("metrics").properties().forEach(e -> {
            JsonNode f = e.getValue();
            Map<String, Set<String>> values = new TreeMap<>();
            f.path("values").properties().forEach(v -> values.put(v.getKey(), strings(v.getValue())));
            families.put(
                    e.getKey(),
                    new Family(
                            e.getKey(),
                            f.path("type").asText(),
                            strings(f.path("samples")),
                            strings(f.path("labels")),
                            values));
        });
        if (families.isEmpty()) throw new AssertionError(catalogue + " lists no metrics");
        return new GatewaySeries(Map.copyOf(families));
    }

    /** Every series name a query may use. */
    Set<String> samples() {
        return families.values().stream()
                .flatMap(f -> f.samples().stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    Optional<Family> familyOf(String sample) {
        return families.values().stream()
                .filter(f -> f.samples().contains(sample))
                .findFirst();
    }

    /** The values of an enumerated label, over every family that has it; empty when the label is not enumerated. */
    Set<String> values(String label) {
        return families.values().stream()
                .flatMap(f -> f.values().getOrDefault(label, Set.of()).stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
