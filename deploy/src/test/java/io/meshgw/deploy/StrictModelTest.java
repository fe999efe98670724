package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Test;

/** The strict parse refuses what fabric8 alone would quietly keep in additionalProperties. */
class StrictModelTest {
    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: s, namespace: n}
            spec:
              ports:
              - {name: http, port: 80, targetPort: http}
            """;

    @Test
    void parsesAValidObjectIntoItsModelClass() {
        assertThat(StrictModel.parseAll(SERVICE + "---\n---\n" + SERVICE))
                .hasSize(2)
                .allSatisfy(o -> assertThat(o).isInstanceOf(Service.class));
    }

    @Test
    void anUnknownFieldFailsWithItsPath() {
        assertThatThrownBy(() -> StrictModel.parseAll(SERVICE.replace("port: 80", "port: 80, hostPort: 80")))
                .isInstanceOf(StrictModel.InvalidManifestException.class)
                .hasMessageContaining("document 1 (Service s)")
                .hasMessageContaining("field spec.ports[0].hostPort");
    }

    @Test
    void aValueOfTheWrongTypeFails() {
        assertThatThrownBy(() -> StrictModel.parseAll(SERVICE.replace("port: 80", "port: \"80\"")))
                .isInstanceOf(StrictModel.InvalidManifestException.class)
                .hasMessageContaining("field spec.ports[0].port");
        assertThatThrownBy(() -> StrictModel.parseAll(SERVICE.replace("ports:", "ports: {}\n  x:")))
                .isInstanceOf(StrictModel.InvalidManifestException.class);
    }

    @Test
    void anUnknownKindFails() {
        assertThatThrownBy(() -> StrictModel.parseAll(SERVICE.replace("kind: Service", "kind: Servcie")))
                .isInstanceOf(StrictModel.InvalidManifestException.class)
                .hasMessageContaining("no model class for v1 Servcie");
    }
}
