package io.meshgw.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRD YAML committed under deploy/crds must equal what crd-generator-maven-plugin wrote in process-classes.
 * Run with {@code -Dmeshgw.crds.update=true} to refresh the committed copies instead of failing.
 */
class CrdFreshnessTest {
    static final String REFRESH = "./mvnw -B -pl operator verify -Dmeshgw.crds.update=true";

    static final Path GENERATED = Path.of(
                    System.getProperty("meshgw.crds.generated", "target/classes/META-INF/fabric8"))
            .toAbsolutePath()
            .normalize();
    static final Path COMMITTED = Path.of(System.getProperty("meshgw.crds.committed", "../deploy/crds"))
            .toAbsolutePath()
            .normalize();

    // In update mode, refresh before any test (this one or CommittedCrdsTest, whichever runs first) reads COMMITTED.
    static {
        if (Boolean.getBoolean("meshgw.crds.update")) {
            try {
                refresh(yamlNames(GENERATED));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void committedCrdsMatchGeneratedOnes() throws IOException {
        var generated = yamlNames(GENERATED);
        assertThat(generated).as("CRDs generated into %s", GENERATED).hasSize(8);

        assertThat(yamlNames(COMMITTED))
                .as("CRD files in %s differ from the generated set; refresh with: %s", COMMITTED, REFRESH)
                .isEqualTo(generated);
        for (String name : generated) {
            assertThat(Files.readString(COMMITTED.resolve(name)))
                    .as("%s is stale (the CRD classes changed); refresh with: %s", COMMITTED.resolve(name), REFRESH)
                    .isEqualTo(Files.readString(GENERATED.resolve(name)));
        }
    }

    private static void refresh(Set<String> generated) throws IOException {
        Files.createDirectories(COMMITTED);
        for (String stale : yamlNames(COMMITTED)) {
            if (!generated.contains(stale)) Files.delete(COMMITTED.resolve(stale));
        }
        for (String name : generated) {
            Files.copy(GENERATED.resolve(name), COMMITTED.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static Set<String> yamlNames(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return Set.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith("-v1.yml"))
                    .collect(TreeSet::new, Set::add, Set::addAll);
        }
    }
}
