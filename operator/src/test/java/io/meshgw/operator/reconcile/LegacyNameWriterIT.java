package io.meshgw.operator.reconcile;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.meshgw.operator.apiserver.MockApiServer;
import io.meshgw.operator.desired.Fixtures;
import io.meshgw.operator.desired.LegacyNameOwnership;
import io.meshgw.operator.desired.Planner;
import io.meshgw.operator.desired.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The writer deletes what it keeps only while it is the object its cache saw. The fabric8 mock server ignores
 * DeleteOptions, so these tests check the preconditions the request carries, and stand in for the API server's 409
 * where a real one would refuse.
 */
@MockApiServer
class LegacyNameWriterIT {
    static final String SERVICES = "/api/v1/namespaces/apps/services/billing";

    KubernetesClient client;
    KubernetesMockServer server;

    @Test
    void aStaleCacheDoesNotDeleteTheServiceAUserCreatedUnderTheSameName() throws InterruptedException {
        var cached = client.resource(owned(Fixtures.service("apps", "billing", "http", 80)))
                .create();
        // The user deletes LegacyService billing (its Service goes) and creates a Service billing of their own;
        // the informer cache still holds the old one.
        client.resource(cached).delete();
        var users = client.resource(Fixtures.service("apps", "billing", "http", 8080))
                .create();
        server.expect()
                .delete()
                .withPath(SERVICES)
                .andReturn(
                        409,
                        new StatusBuilder()
                                .withCode(409)
                                .withReason("Conflict")
                                .withMessage("Precondition failed: UID in precondition: "
                                        + cached.getMetadata().getUid())
                                .build())
                .once();

        var failed = write(List.of(cached));

        assertThat(failed)
                .as("a refused delete is not a failure: the object is not ours any more")
                .isEmpty();
        var delete = lastDelete();
        assertThat(delete.getPath()).isEqualTo(SERVICES);
        var preconditions = client.getKubernetesSerialization()
                .unmarshal(delete.getUtf8Body(), DeleteOptions.class)
                .getPreconditions();
        assertThat(preconditions.getUid()).isEqualTo(cached.getMetadata().getUid());
        assertThat(preconditions.getResourceVersion())
                .isEqualTo(cached.getMetadata().getResourceVersion());
        assertThat(client.services().inNamespace("apps").withName("billing").get())
                .satisfies(s -> assertThat(s.getMetadata().getUid())
                        .isEqualTo(users.getMetadata().getUid()));
    }

    @Test
    void itsOwnServiceStillGoesWithTheLegacyService() throws InterruptedException {
        var cached = client.resource(owned(Fixtures.service("apps", "billing", "http", 80)))
                .create();

        assertThat(write(List.of(cached))).isEmpty();

        assertThat(client.services().inNamespace("apps").withName("billing").get())
                .isNull();
        var preconditions = client.getKubernetesSerialization()
                .unmarshal(lastDelete().getUtf8Body(), DeleteOptions.class)
                .getPreconditions();
        assertThat(preconditions.getUid()).isEqualTo(cached.getMetadata().getUid());
    }

    @Test
    void aServiceGoneAlreadyIsNotAFailure() {
        var cached = client.resource(owned(Fixtures.service("apps", "billing", "http", 80)))
                .create();
        client.resource(cached).delete();

        assertThat(write(List.of(cached))).isEmpty();
    }

    /** One pass of the writer over a cache holding {@code services} and no LegacyService. */
    List<?> write(List<Service> services) {
        var snapshot = Snapshot.builder(Fixtures.EAST).services(services).build();
        return new LegacyNameWriter(new ResourceWriter(client)).write(snapshot, Planner.plan(snapshot));
    }

    RecordedRequest lastDelete() throws InterruptedException {
        var requests = new ArrayList<RecordedRequest>();
        for (var r = server.takeRequest(10, MILLISECONDS); r != null; r = server.takeRequest(10, MILLISECONDS)) {
            requests.add(r);
        }
        return requests.stream()
                .filter(r -> r.getMethod().equals("DELETE"))
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    static Service owned(Service service) {
        service.getMetadata().setLabels(Map.of(LegacyNameOwnership.MANAGED_BY_LABEL, LegacyNameOwnership.MANAGED_BY));
        service.getMetadata()
                .setOwnerReferences(List.of(new OwnerReferenceBuilder()
                        .withApiVersion("meshgw.io/v1alpha1")
                        .withKind(LegacyNameOwnership.OWNER_KIND)
                        .withName(service.getMetadata().getName())
                        .withUid("0b7c2d6e-legacy-billing")
                        .withController(true)
                        .build()));
        return service;
    }
}
