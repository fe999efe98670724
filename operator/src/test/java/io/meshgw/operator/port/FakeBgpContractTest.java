package io.meshgw.operator.port;

import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.PeerConfig;
import io.meshgw.types.IpPrefix;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The operator's fake speaker keeps the contract the gateway's BGP adapter keeps. */
class FakeBgpContractTest extends BgpTargetContract {
    private final FakeBgp bgp = new FakeBgp(new CallLog());
    private final List<LearnedRoute> sent = new ArrayList<>();

    @Override
    protected BgpTarget target() {
        return bgp;
    }

    @Override
    protected Map<IpPrefix, List<Community>> originated() {
        Map<IpPrefix, List<Community>> out = new LinkedHashMap<>();
        bgp.announcements().forEach((prefix, a) -> out.put(prefix, a.communities()));
        return out;
    }

    @Override
    protected Map<ObjectKey, ConfiguredPeer> configuredPeers() {
        Map<ObjectKey, ConfiguredPeer> out = new LinkedHashMap<>();
        bgp.appliedPeers().forEach((key, peer) -> out.put(key, ConfiguredPeer.of(peer)));
        return out;
    }

    @Override
    protected void peerSends(PeerConfig peer, List<SentRoute> routes) {
        bgp.session(
                peer.peer(),
                new PeerSession(
                        PeerSession.State.Established,
                        Optional.of(Instant.parse("2026-01-01T00:00:00Z")),
                        routes.size(),
                        routes.size(),
                        0,
                        Optional.empty()));
        for (var r : routes) {
            sent.add(new LearnedRoute(
                    r.prefix(), Optional.of(peer.peerAddress()), peer.peer(), r.communities(), List.of()));
        }
        bgp.routes(sent);
    }
}
