package io.meshgw.gateway.bgp;

import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.speaker.BgpSpeaker;
import io.meshgw.bgp.speaker.SpeakerConfig;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.PeerConfig;
import io.meshgw.operator.port.BgpTarget;
import io.meshgw.operator.port.BgpTargetContract;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.RouteSelector;
import io.meshgw.types.IpPrefix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The BGP adapter over a real speaker keeps the contract the operator's fake keeps. The routers are real speakers
 * too: each dials the speaker under test from its peer's loopback address, since nothing listens on port 179 there.
 * A peer configured in properties runs beside the plans' sessions and must stay out of everything the contract reads.
 */
class BgpAdapterContractTest extends BgpTargetContract {
    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");
    private static final Duration LEARNED_WITHIN = Duration.ofSeconds(10);

    private BgpSpeaker speaker;
    private BgpAdapter adapter;
    private final List<BgpSpeaker> routers = new ArrayList<>();

    @BeforeEach
    void start() {
        speaker = listeningSpeaker();
        speaker.addPeer(io.meshgw.bgp.speaker.PeerConfig.builder("dc1", InetAddress.ofLiteral("127.0.0.9"), 65009)
                .build());
        adapter = new BgpAdapter(() -> Optional.of(speaker), () -> Set.of("dc1"), () -> LOCAL_ASN);
    }

    @AfterEach
    void stop() {
        routers.forEach(BgpSpeaker::close);
        speaker.close();
    }

    @Override
    protected BgpTarget target() {
        return adapter;
    }

    @Override
    protected Map<IpPrefix, List<Community>> originated() {
        Map<IpPrefix, List<Community>> out = new LinkedHashMap<>();
        speaker.originated()
                .forEach((prefix, attributes) ->
                        out.put(SpeakerRoutes.prefix(prefix), SpeakerRoutes.communities(attributes)));
        return out;
    }

    @Override
    protected Map<ObjectKey, ConfiguredPeer> configuredPeers() {
        Map<ObjectKey, ConfiguredPeer> out = new LinkedHashMap<>();
        speaker.peerConfigs().forEach((name, config) -> {
            if (!name.equals("dc1")) {
                out.put(
                        ObjectKey.parse(name),
                        new ConfiguredPeer(io.meshgw.types.IpAddress.of(config.address()), config.peerAsn(), (int)
                                config.timers().holdTime().toSeconds()));
            }
        });
        return out;
    }

    @Override
    protected void peerSends(PeerConfig peer, List<SentRoute> routes) {
        InetAddress address = peer.peerAddress().toInetAddress();
        var router = BgpSpeaker.start(
                new SpeakerConfig(peer.peerAsn(), SpeakerConfig.routerId(address.getHostAddress()), address, 0));
        routers.add(router);
        for (SentRoute r : routes) {
            List<PathAttribute> communities = r.communities().isEmpty()
                    ? List.of()
                    : List.of(new PathAttribute.Communities(
                            r.communities().stream().map(Community::value).toList()));
            router.originate(SpeakerRoutes.prefix(r.prefix()), communities);
        }
        router.addPeer(io.meshgw.bgp.speaker.PeerConfig.builder("gateway", LOOPBACK, LOCAL_ASN)
                .port(speaker.listenPort())
                .localAddress(address)
                .exportPolicy(Policy.acceptAll())
                .build());
        awaitLearned(peer, routes);
    }

    private void awaitLearned(PeerConfig peer, List<SentRoute> routes) {
        var every = new RouteSelector(List.of(), List.of(), List.of());
        long deadline = System.nanoTime() + LEARNED_WITHIN.toNanos();
        while (true) {
            var learned = adapter.learnedRoutes(List.of(every)).stream()
                    .filter(r -> r.peer().equals(peer.peer()))
                    .map(r -> new SentRoute(r.prefix(), r.communities()))
                    .toList();
            if (learned.containsAll(routes)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(peer.peer() + " did not send " + routes + " within " + LEARNED_WITHIN
                        + "; learned " + learned + ", sessions " + speaker.peers());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A speaker on a free port of 127.0.0.1, so routers can reach it. */
    private static BgpSpeaker listeningSpeaker() {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return BgpSpeaker.start(
                        new SpeakerConfig(LOCAL_ASN, SpeakerConfig.routerId("10.0.0.1"), LOOPBACK, freePort()));
            } catch (IllegalStateException e) {
                last = e; // another process took the port in between
            }
        }
        throw last;
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
