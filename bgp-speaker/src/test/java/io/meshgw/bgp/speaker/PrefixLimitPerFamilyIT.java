package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.Update;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dual-stack neighbor on a real TCP session over loopback (no privileges needed) floods one family: the prefix
 * limits count each family on its own, as FRR's and BIRD's do, so the flood trips only its own family's limit, and
 * the routes of the other family never count toward it.
 */
class PrefixLimitPerFamilyIT {

    private static final long PEER_ASN = 65010;
    private static final int V4_LIMIT = 50;
    private static final int V4_ROUTES = 40;
    private static final int V6_LIMIT = 100;

    private LoopbackSpeaker local;
    private BgpSpeaker speaker;

    @BeforeEach
    void start() throws IOException {
        local = LoopbackSpeaker.start();
        speaker = local.speaker();
        speaker.addPeer(PeerConfig.builder("dual", InetAddress.ofLiteral("127.0.0.4"), PEER_ASN)
                .passive(true)
                .families(Set.of(Afi.IPV4, Afi.IPV6))
                .maxPrefix(Afi.IPV4, MaxPrefix.of(V4_LIMIT))
                .maxPrefix(Afi.IPV6, MaxPrefix.of(V6_LIMIT).withRestartAfter(Duration.ofMinutes(30)))
                .build());
    }

    @AfterEach
    void stop() {
        local.close();
    }

    @Test
    void anIpv6FloodCeasesTheSessionForIpv6AloneAndNeverCountsTheIpv4Routes() throws Exception {
        try (LoopbackNeighbor n = new LoopbackNeighbor("127.0.0.4", local.port(), 0)) {
            n.readAll();
            n.establish(PEER_ASN, "10.0.0.4", 90, Set.of(Afi.IPV4, Afi.IPV6));
            awaitTrue(() -> status().state() == State.ESTABLISHED, "the session comes up");

            for (int i = 0; i < V4_ROUTES; i++) {
                n.send(ipv4(Prefix.parse("10.4." + i + ".0/24")));
            }
            // as many IPv6 routes as their limit allows: 140 routes in all, more than either limit, and the session
            // stays up because no family is over its own
            List<Prefix> v6 = new ArrayList<>();
            for (int i = 0; i < V6_LIMIT; i++) {
                v6.add(Prefix.parse("2001:db8:" + Integer.toHexString(i) + "::/48"));
            }
            n.send(ipv6(v6));
            awaitTrue(() -> status().prefixesAccepted() == V4_ROUTES + V6_LIMIT, "every route is accepted");
            assertThat(status().prefixesAcceptedByFamily())
                    .containsOnly(Map.entry(Afi.IPV4, (long) V4_ROUTES), Map.entry(Afi.IPV6, (long) V6_LIMIT));
            assertThat(status().state()).isEqualTo(State.ESTABLISHED);
            assertThat(status().lastError().orElseThrow())
                    .as("the IPv6 warning at 90 %%, not an IPv4 one")
                    .contains("IPV6 prefix count");

            n.send(ipv6(List.of(Prefix.parse("2001:db8:ffff::/48"))));
            awaitTrue(() -> n.notification().isPresent(), "the speaker sends its Cease");
            assertThat(n.notification().orElseThrow())
                    .as("RFC 4486 §4: Cease, Maximum Number of Prefixes Reached, for AFI 2 SAFI 1 and its limit")
                    .containsExactly(6, 1, 0, 2, 1, 0, 0, 0, V6_LIMIT);
            awaitTrue(() -> status().state() != State.ESTABLISHED, "the session is down");
            assertThat(status().lastError().orElseThrow())
                    .endsWith("maximum IPV6 prefixes " + V6_LIMIT + " exceeded; starting again in PT30M");
            assertThat(speaker.bestRoutes())
                    .as("the neighbor's routes went with it")
                    .isEmpty();
        }
    }

    private PeerStatus status() {
        return speaker.peer("dual").orElseThrow();
    }

    private static Update ipv4(Prefix p) {
        return new Update(
                List.of(),
                List.of(
                        new PathAttribute.Origin(0),
                        PathAttribute.AsPath.sequence(PEER_ASN),
                        new PathAttribute.NextHop(new byte[] {127, 0, 0, 4})),
                List.of(p));
    }

    private static Update ipv6(List<Prefix> prefixes) {
        return new Update(
                List.of(),
                List.of(
                        new PathAttribute.Origin(0),
                        PathAttribute.AsPath.sequence(PEER_ASN),
                        new PathAttribute.MpReachNlri(
                                Afi.IPV6,
                                1,
                                InetAddress.ofLiteral("2001:db8::4").getAddress(),
                                prefixes)),
                List.of());
    }

    private void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        LoopbackSpeaker.await(condition, Duration.ofSeconds(10), what, () -> speaker.peer("dual"));
    }
}
