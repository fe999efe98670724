package io.meshgw.testkit.parts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.DockerImageName;

/** What an engine that answers but cannot serve the lab's containers is reported as. */
class DockerEngineTest {

    private static final DockerImageName FRR = DockerImageName.parse("meshgw/lab-frr:bookworm");
    private static final DockerImageName KAFKA = DockerImageName.parse("meshgw/lab-kafka:4.1.2");

    @Test
    void anEngineHoldingEveryImageServes() {
        assertThat(DockerEngine.missingImages(List.of(FRR, KAFKA), i -> true)).isEmpty();
    }

    @Test
    void anEngineLackingAnImageSaysWhichAndWhatToDo() {
        var held = Set.of(KAFKA);
        assertThat(DockerEngine.missingImages(List.of(FRR, KAFKA), held::contains))
                .hasValue("the Docker engine lacks the image meshgw/lab-frr:bookworm, and no registry is"
                        + " reachable to pull it (build them here with `scripts/image.sh lab`, or run the local"
                        + " parts: -Dmeshgw.e2e.parts=local)");
        assertThat(DockerEngine.missingImages(List.of(FRR, KAFKA), i -> false))
                .hasValueSatisfying(why -> assertThat(why)
                        .contains("images meshgw/lab-frr:bookworm and meshgw/lab-kafka:4.1.2")
                        .contains("pull them"));
    }
}
