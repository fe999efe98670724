package io.meshgw.testkit.parts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PartsSourceTest {

    private static final Supplier<Optional<String>> NO_DOCKER =
            () -> Optional.of(DockerEngine.describeAbsence(null, false));
    private static final Supplier<Optional<String>> DOCKER = Optional::empty;
    private static final Supplier<Optional<String>> MUST_NOT_PROBE = () -> {
        throw new AssertionError("the Docker engine was probed although the choice did not depend on it");
    };

    @Test
    void withoutTheProperty_dockerDecides() {
        assertThat(PartsSource.choose(null, NO_DOCKER)).isEqualTo(PartsSource.LOCAL);
        assertThat(PartsSource.choose("", NO_DOCKER)).isEqualTo(PartsSource.LOCAL);
        assertThat(PartsSource.choose(null, DOCKER)).isEqualTo(PartsSource.CONTAINERS);
        assertThat(PartsSource.choose("auto", DOCKER)).isEqualTo(PartsSource.CONTAINERS);
        assertThat(PartsSource.choose("auto", NO_DOCKER)).isEqualTo(PartsSource.LOCAL);
    }

    @Test
    void localOverridesAnEngineAndNeverProbesForOne() {
        assertThat(PartsSource.choose("local", MUST_NOT_PROBE)).isEqualTo(PartsSource.LOCAL);
    }

    @Test
    void containersWithAnEngineAreContainers() {
        assertThat(PartsSource.choose("containers", DOCKER)).isEqualTo(PartsSource.CONTAINERS);
    }

    @Test
    void containersWithoutAnEngineFailNamingWhatIsMissing() {
        assertThatThrownBy(() -> PartsSource.choose("containers", NO_DOCKER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("-Dmeshgw.e2e.parts=containers")
                .hasMessageContaining("no Docker engine is reachable")
                .hasMessageContaining("DOCKER_HOST is not set and /var/run/docker.sock does not exist")
                .hasMessageContaining("-Dmeshgw.e2e.parts=local");
    }

    @Test
    void anUnknownValueIsRejectedWithTheChoices() {
        assertThatThrownBy(() -> PartsSource.choose("docker", MUST_NOT_PROBE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("meshgw.e2e.parts is 'docker'; it takes local, containers or auto");
    }

    @Test
    void theAbsenceSaysWhichEngineWasLookedFor() {
        assertThat(DockerEngine.describeAbsence("tcp://10.0.0.5:2375", false))
                .endsWith("(Testcontainers found no valid Docker environment: DOCKER_HOST=tcp://10.0.0.5:2375"
                        + " does not answer)");
        assertThat(DockerEngine.describeAbsence(null, true))
                .contains("DOCKER_HOST is not set and /var/run/docker.sock exists but does not answer");
        assertThat(DockerEngine.describeAbsence(" ", false))
                .contains("DOCKER_HOST is not set and /var/run/docker.sock does not exist");
    }

    @Test
    void eachSourceGivesItsParts() {
        assertThat(LabParts.of(PartsSource.LOCAL)).isInstanceOf(LocalParts.class);
        assertThat(LabParts.of(PartsSource.CONTAINERS)).isInstanceOf(ContainerParts.class);
        assertThat(LabParts.of(PartsSource.CONTAINERS).source()).isEqualTo(PartsSource.CONTAINERS);
    }

    @Test
    void theImagesAreTheOnesBuiltHereNotALatestTag() {
        // FRR: the Debian release whose FRR the local path runs too (the package's version is in the image's labels);
        // the Kafka image is tagged with the build's Kafka release (KafkaContainerBrokerTest).
        assertThat(ContainerParts.FRR_IMAGE.asCanonicalNameString()).isEqualTo("meshgw/lab-frr:bookworm");
    }

    @Test
    void theChoiceIsAnnouncedWithWhyAnAutoRunWentLocal() {
        assertThat(PartsSource.announcement(PartsSource.CONTAINERS, null, Optional.empty()))
                .isEqualTo("[parts] FRR and the Kafka broker run as containers (meshgw.e2e.parts=auto)");
        assertThat(PartsSource.announcement(PartsSource.LOCAL, "auto", Optional.of("no Docker engine answers")))
                .isEqualTo("[parts] FRR and the Kafka broker run as local processes (meshgw.e2e.parts=auto: no Docker"
                        + " engine answers)");
        assertThat(PartsSource.announcement(PartsSource.LOCAL, " local ", Optional.empty()))
                .isEqualTo("[parts] FRR and the Kafka broker run as local processes (meshgw.e2e.parts=local)");
    }
}
