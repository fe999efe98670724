package io.meshgw.deploy;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The CRD files of a directory, parsed strictly. */
final class Crds {
    private Crds() {}

    static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yml")
                            || p.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<CustomResourceDefinition> load(Path dir) {
        return files(dir).stream()
                .flatMap(f -> StrictModel.parseAll(read(f)).stream())
                .map(o -> {
                    if (!(o instanceof CustomResourceDefinition crd)) {
                        throw new AssertionError(dir + " holds a " + o.getKind() + ", not only CRDs");
                    }
                    return crd;
                })
                .toList();
    }

    static List<CrdSchemaValidator> validators() {
        return load(DeployTree.CRDS).stream().map(CrdSchemaValidator::new).toList();
    }

    /** A fresh parse of the committed BgpPeer CRD, for a test that changes it: no other test's copy changes. */
    static CustomResourceDefinition freshBgpPeer() {
        return load(DeployTree.CRDS).stream()
                .filter(c -> c.getSpec().getNames().getKind().equals("BgpPeer"))
                .findFirst()
                .orElseThrow();
    }

    /** The schema of {@code spec.<property>} in the CRD's only version. */
    static JSONSchemaProps specProperty(CustomResourceDefinition crd, String property) {
        return crd.getSpec()
                .getVersions()
                .getFirst()
                .getSchema()
                .getOpenAPIV3Schema()
                .getProperties()
                .get("spec")
                .getProperties()
                .get(property);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
