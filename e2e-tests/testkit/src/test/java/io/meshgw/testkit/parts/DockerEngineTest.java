package io.meshgw.testkit.parts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.DockerImageName;

/** What an engine that answers but cannot serve the lab's containers is reported as. */
class DockerEngineTest {

    private static final DockerImageName FRR = DockerImageName.parse("quay.io/frrouting/frr:10.2.1");
    private static final DockerImageName KAFKA = DockerImageName.parse("apache/kafka:4.1.2");

    @Test
    void anEngineHoldingEveryImageServes() {
        assertThat(DockerEngine.missingImages(List.of(FRR, KAFKA), i -> true)).isEmpty();
    }

    @Test
    void anEngineLackingAnImageSaysWhichAndWhatToDo() {
        var held = Set.of(KAFKA);
        assertThat(DockerEngine.missingImages(List.of(FRR, KAFKA), held::contains))
                .hasValue("the Docker engine lacks the image quay.io/frrouting/frr:10.2.1, and no registry is"
                        + " reachable to pull it (load it with `docker load`, or run the local parts:"
                        + " -Dmeshgw.e2e.parts=local)");
        assertThat(DockerEngine.missingImages(List.of(FRR, KAFKA), i -> false))
                .hasValueSatisfying(why -> assertThat(why)
                        .contains("images quay.io/frrouting/frr:10.2.1 and apache/kafka:4.1.2")
                        .contains("pull them"));
    }
}
