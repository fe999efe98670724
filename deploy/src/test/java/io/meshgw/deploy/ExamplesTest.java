package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example in deploy/examples is an object the API server would admit, and every CRD has one. */
class ExamplesTest {
    private static final List<CrdSchemaValidator> CRDS = Crds.validators();

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(DeployTree.EXAMPLES)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void conformsToItsSchema(Path example) {
        List<JsonNode> docs = StrictModel.documents(Crds.read(example));
        assertThat(docs).as("%s has no object", example).isNotEmpty();
        for (int i = 0; i < docs.size(); i++) {
            JsonNode doc = docs.get(i);
            String where = example.getFileName() + " document " + (i + 1);
            var crd = CRDS.stream().filter(c -> c.defines(doc)).findFirst();
            if (crd.isPresent()) {
                assertThat(crd.get().validate(doc))
                        .as("%s against the %s CRD", where, crd.get().kind())
                        .isEmpty();
                assertThat(doc.has("status"))
                        .as("%s: examples are what users write, without status", where)
                        .isFalse();
            } else {
                assertThat(doc.path("apiVersion").asText()).as(where).doesNotStartWith("meshgw.io/");
                StrictModel.parse(doc, where);
            }
        }
    }

    static Stream<String> documentedObjects() {
        return Stream.of("install.md", "crds.md")
                .map(DeployTree.ROOT.resolve("../docs")::resolve)
                .flatMap(doc -> yamlBlocks(Crds.read(doc)).stream().map(b -> doc.getFileName() + "\n" + b));
    }

    /** The meshgw objects in the docs' YAML blocks conform too (status-only fragments have no apiVersion). */
    @ParameterizedTest(name = "[{index}]")
    @MethodSource("documentedObjects")
    void objectsInTheDocsConformToTheirSchema(String block) {
        String source = block.substring(0, block.indexOf('\n'));
        for (JsonNode doc : StrictModel.documents(block.substring(source.length() + 1))) {
            if (!doc.path("apiVersion").asText().startsWith("meshgw.io/")) continue;
            // The standalone file's end document is no resource (operator: StandaloneFile).
            if (doc.path("kind").asText().equals("StandaloneFileEnd")) continue;
            var crd = CRDS.stream()
                    .filter(c -> c.defines(doc))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(source + ": no CRD for " + doc.path("kind")));
            assertThat(crd.validate(doc))
                    .as(
                            "%s: %s %s",
                            source,
                            doc.path("kind").asText(),
                            doc.path("metadata").path("name").asText())
                    .isEmpty();
        }
    }

    static List<String> yamlBlocks(String markdown) {
        var blocks = new java.util.ArrayList<String>();
        var m = java.util.regex.Pattern.compile("(?ms)^```yaml\\s*$(.*?)^```\\s*$")
                .matcher(markdown);
        while (m.find()) blocks.add(m.group(1));
        return blocks;
    }

    @Test
    void everyCrdHasAnExample() throws IOException {
        Set<String> kinds = new TreeSet<>();
        for (Path example : examples().toList()) {
            for (JsonNode doc : StrictModel.documents(Crds.read(example))) {
                if (doc.path("apiVersion").asText().startsWith("meshgw.io/"))
                    kinds.add(doc.path("kind").asText());
            }
        }
        assertThat(kinds)
                .containsExactlyInAnyOrderElementsOf(
                        CRDS.stream().map(CrdSchemaValidator::kind).toList());
    }
}
