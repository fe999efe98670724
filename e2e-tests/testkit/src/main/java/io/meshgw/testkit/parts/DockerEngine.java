package io.meshgw.testkit.parts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/** Whether Testcontainers can reach a Docker engine from here, and if not, what is missing. */
public final class DockerEngine {

    private static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");

    private DockerEngine() {}

    /** Why no Docker engine is usable, or empty when Testcontainers reaches one. */
    public static Optional<String> whyUnavailable() {
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return Optional.empty();
            }
        } catch (LinkageError e) {
            return Optional.of("Testcontainers (org.testcontainers:testcontainers) is not on the classpath");
        }
        return Optional.of(describeAbsence(System.getenv("DOCKER_HOST"), Files.exists(DEFAULT_SOCKET)));
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
