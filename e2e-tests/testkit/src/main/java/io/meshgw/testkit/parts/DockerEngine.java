package io.meshgw.testkit.parts;

import com.github.dockerjava.api.exception.NotFoundException;
import io.meshgw.testkit.KafkaContainerBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * Whether the lab's container parts can run here, and if not, what is missing: a Docker engine that Testcontainers
 * reaches, holding the FRR and Kafka images (no registry is reachable from the machines this project is built on, so
 * an image the engine lacks cannot be pulled).
 */
public final class DockerEngine {

    private static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");

    private DockerEngine() {}

    /** Why the container parts cannot run, or empty when the engine answers and holds their images. */
    public static Optional<String> whyUnavailable() {
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return Optional.of(describeAbsence(System.getenv("DOCKER_HOST"), Files.exists(DEFAULT_SOCKET)));
            }
        } catch (LinkageError e) {
            return Optional.of("Testcontainers (org.testcontainers:testcontainers) is not on the classpath");
        }
        var client = DockerClientFactory.instance().client();
        return missingImages(List.of(ContainerParts.FRR_IMAGE, KafkaContainerBroker.IMAGE), image -> {
            try {
                client.inspectImageCmd(image.asCanonicalNameString()).exec();
                return true;
            } catch (NotFoundException e) {
                return false;
            }
        });
    }

    /** What is missing when the engine lacks some of {@code images}, or empty when it holds them all. */
    static Optional<String> missingImages(List<DockerImageName> images, Predicate<DockerImageName> held) {
        var missing = images.stream()
                .filter(i -> !held.test(i))
                .map(DockerImageName::asCanonicalNameString)
                .toList();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("the Docker engine lacks the image" + (missing.size() == 1 ? " " : "s ")
                + String.join(" and ", missing) + ", and no registry is reachable to pull "
                + (missing.size() == 1 ? "it" : "them") + " (build them here with `scripts/image.sh lab`,"
                + " or run the local parts: -D" + PartsSource.PROPERTY + "=local)");
    }

    /** What a failed probe means, from what the environment offers Testcontainers to try. */
    static String describeAbsence(String dockerHost, boolean socketExists) {
        String where;
        if (dockerHost != null && !dockerHost.isBlank()) {
            where = "DOCKER_HOST=" + dockerHost + " does not answer";
        } else if (socketExists) {
            where = "DOCKER_HOST is not set and " + DEFAULT_SOCKET + " exists but does not answer";
        } else {
            where = "DOCKER_HOST is not set and " + DEFAULT_SOCKET + " does not exist";
        }
        return "no Docker engine is reachable (Testcontainers found no valid Docker environment: " + where + ")";
    }
}
