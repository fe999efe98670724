package io.meshgw.bgp.speaker;

import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.Capability;
import io.meshgw.bgp.wire.Open;
import java.util.ArrayList;
import java.util.List;

/** The OPEN this speaker sends a neighbor: our AS, hold time, identifier and capabilities. */
final class LocalOpen {

    private static final int SAFI_UNICAST = 1;

    private LocalOpen() {}

    static Open of(SpeakerConfig local, PeerConfig peer) {
        List<Afi> families = NegotiatedSession.inOrder(peer.families());
        List<Capability> caps = new ArrayList<>();
        for (Afi afi : families) {
            caps.add(new Capability.MultiProtocol(afi.code, SAFI_UNICAST));
        }
        if (peer.extendedNextHop()) {
            // RFC 8950 §3: we take (and send) IPv4 unicast routes with IPv6 next hops
            caps.add(new Capability.ExtendedNextHop(List.of(Capability.ExtendedNextHop.IPV4_UNICAST_OVER_IPV6)));
        }
        caps.add(new Capability.RouteRefreshCapability());
        caps.add(new Capability.ExtendedMessage()); // RFC 8654: used when the peer sends it too
        caps.add(new Capability.FourOctetAs(local.localAsn()));
        if (peer.peerAsn() != local.localAsn()) {
            peer.localRole().ifPresent(r -> caps.add(new Capability.Role(r.code))); // RFC 9234 §4.1: eBGP only
        }
        peer.gracefulRestartSeconds()
                .ifPresent(t -> caps.add(new Capability.GracefulRestart(
                        false,
                        t,
                        // Forwarding state is preserved: the gateway's datapath lives on in pinned
                        // maps while the process restarts, so peers keep our routes until End-of-RIB.
                        families.stream()
                                .map(a -> new Capability.GracefulRestart.Family(a.code, SAFI_UNICAST, true))
                                .toList())));
        // RFC 6793 §4.1: an AS that needs 4 octets goes as AS_TRANS, the real one in the capability
        int myAs = local.localAsn() > 0xFFFF ? Open.AS_TRANS : (int) local.localAsn();
        return new Open(myAs, (int) peer.timers().holdTime().toSeconds(), local.routerId(), caps);
    }
}
