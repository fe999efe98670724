package io.meshgw.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshgw.operator.apiserver.MockApiServer;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.desired.Fixtures;
import io.meshgw.operator.reconcile.StatusEvents.ObjectEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bounds on Events (mock API server, CRUD mode): repeats counted in a series, and a burst per object. */
@MockApiServer
class EventWriterIT {
    KubernetesClient client;
    KubernetesMockServer server;

    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    BgpPeer tor;
    EventWriter events;

    @BeforeEach
    void setUp() {
        tor = Fixtures.peer("net", "tor1", 0, "192.0.2.1", 65000);
        tor.getMetadata().setUid("uid-tor1");
        events = new EventWriter(new ResourceWriter(client), clock, "gw-a");
    }

    List<Event> written() {
        return client.events().v1().events().inNamespace("net").list().getItems();
    }

    static ObjectEvent down(String why) {
        return new ObjectEvent(ObjectEvent.Type.Warning, "SessionDown", "Disconnect", "down: " + why);
    }

    @Test
    void theSameEventAgainIsCountedInTheFirstOnesSeries() {
        events.write(tor, List.of(down("Cease")));
        now = now.plusSeconds(5);
        events.write(tor, List.of(down("Cease")));
        assertThat(written())
                .singleElement()
                .satisfies(e -> assertThat(e.getSeries()).isNull());

        now = now.plus(EventWriter.SERIES_PATCH_INTERVAL);
        events.write(tor, List.of(down("Cease")));
        assertThat(written()).singleElement().satisfies(e -> {
            assertThat(e.getSeries().getCount()).isEqualTo(3);
            assertThat(e.getSeries().getLastObservedTime().getTime()).isEqualTo("2026-01-01T00:00:35.000000Z");
        });

        events.write(tor, List.of(down("hold timer expired")));
        assertThat(written()).as("another note is another event").hasSize(2);

        now = now.plus(EventWriter.SERIES_WINDOW);
        events.write(tor, List.of(down("Cease")));
        assertThat(written()).as("after the window, a new series").hasSize(3);
    }

    @Test
    void anObjectGetsABurstOfEventsAndThenOneAMinute() {
        for (int i = 0; i < EventWriter.BURST + 5; i++) {
            events.write(tor, List.of(down("error " + i)));
        }
        assertThat(written()).hasSize(EventWriter.BURST);

        now = now.plus(EventWriter.REFILL);
        events.write(tor, List.of(down("later")));
        events.write(tor, List.of(down("later still")));
        assertThat(written()).hasSize(EventWriter.BURST + 1);

        var other = Fixtures.peer("net", "tor2", 1, "192.0.2.2", 65000);
        other.getMetadata().setUid("uid-tor2");
        events.write(other, List.of(down("Cease")));
        assertThat(written()).as("the bound is per object").hasSize(EventWriter.BURST + 2);
    }
}
