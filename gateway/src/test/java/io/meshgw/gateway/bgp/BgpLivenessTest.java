package io.meshgw.gateway.bgp;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.meshgw.bgp.speaker.BestRouteChange;
import io.meshgw.bgp.speaker.PeerStatus;
import io.meshgw.bgp.speaker.SpeakerListener;
import io.meshgw.bgp.wire.Prefix;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gateway with its real speaker, whose one thread a listener holds (as a bug in one would): the process is
 * half dead, and liveness says so.
 */
@QuarkusTest
@TestProfile(BgpLivenessTest.OwnSpeaker.class)
class BgpLivenessTest {

    /** A gateway of its own: the held listener stays subscribed to this speaker. */
    public static class OwnSpeaker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meshgw.bgp.router-id", "192.0.2.77");
        }
    }

    private static final Prefix HELD = Prefix.parse("198.51.100.77/32");

    @Inject
    BgpService bgp;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void aStuckSpeakerThreadFailsLivenessUntilItRunsAgain() throws Exception {
        given().port(management.getPort()).get("/q/health/live").then().statusCode(200);

        var speaker = bgp.speaker().orElseThrow();
        var holding = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        speaker.subscribe(new SpeakerListener() {
            @Override
            public void sessionChanged(PeerStatus status) {}

            @Override
            public void bestRoutesChanged(List<BestRouteChange> changes) {
                if (changes.stream().anyMatch(c -> c.prefix().equals(HELD)) && release.getCount() > 0) {
                    holding.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        Thread originating = Thread.ofPlatform().start(() -> speaker.originate(HELD, List.of()));
        try {
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

            given().port(management.getPort())
                    .get("/q/health/live")
                    .then()
                    .statusCode(503)
                    .body("checks.find { it.name == 'bgp-event-loop' }.status", equalTo("DOWN"));
        } finally {
            release.countDown();
            originating.join();
        }
        speaker.withdraw(HELD);
        given().port(management.getPort()).get("/q/health/live").then().statusCode(200);
    }
}
