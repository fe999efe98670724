package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/** What the tests against the mock API server (CRUD mode) share. */
final class MockApi {
    private MockApi() {}

    /**
     * Creates {@code object} as a client would: without the creation time and generation the fixtures set, which the
     * API server assigns.
     */
    static <T extends HasMetadata> T create(KubernetesClient client, T object) {
        object.getMetadata().setCreationTimestamp(null);
        object.getMetadata().setGeneration(null);
        return client.resource(object).create();
    }
}
