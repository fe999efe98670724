package io.meshgw.gateway.bgp;

import io.meshgw.bgp.fsm.FsmTimers;
import io.meshgw.bgp.speaker.PeerConfig;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.operator.crd.AddressFamily;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/** A session of the plan as the speaker's peer configuration: a pure mapping, named by the BgpPeer's key. */
final class SpeakerPeers {

    private SpeakerPeers() {}

    static PeerConfig of(io.meshgw.operator.plan.PeerConfig peer, long speakerAsn) {
        if (peer.localAsn() != speakerAsn) {
            throw new IllegalArgumentException("BgpPeer " + peer.peer() + ": local ASN " + peer.localAsn()
                    + " differs from the gateway's ASN " + speakerAsn
                    + " (meshgw.bgp.local-asn); one gateway speaks as one AS");
        }
        PeerConfig pc = PeerConfig.of(peer.peer().toString(), peer.peerAddress().toInetAddress(), peer.peerAsn());
        if (peer.localAddress().isPresent()) {
            pc = pc.withLocalAddress(peer.localAddress().get().toInetAddress());
        }
        Set<Afi> families = EnumSet.noneOf(Afi.class);
        for (AddressFamily f : peer.families()) {
            families.add(
                    switch (f) {
                        case IPV4_UNICAST -> Afi.IPV4;
                        case IPV6_UNICAST -> Afi.IPV6;
                    });
        }
        if (!families.isEmpty()) {
            pc = pc.withFamilies(families);
        }
        var t = peer.timers();
        FsmTimers d = FsmTimers.defaults();
        pc = pc.withTimers(new FsmTimers(
                Duration.ofSeconds(t.connectRetrySeconds()),
                Duration.ofSeconds(t.holdSeconds()),
                Duration.ofSeconds(t.keepaliveSeconds()),
                d.largeHold(),
                d.idleHoldBase(),
                d.idleHoldMax()));
        if (peer.tcpMd5Password().isPresent()) {
            pc = pc.withMd5Password(peer.tcpMd5Password().get());
        }
        if (peer.gtsm()) {
            pc = pc.withGtsm(peer.multihopTtl().orElse(1));
        }
        if (peer.gracefulRestartSeconds().isPresent()) {
            pc = pc.withGracefulRestart(peer.gracefulRestartSeconds().getAsInt());
        }
        var tightest = peer.maxPrefix().stream().min((a, b) -> Long.compare(a.limit(), b.limit()));
        if (tightest.isPresent()) {
            pc = pc.withMaxPrefixes(
                    (int) Math.min(Integer.MAX_VALUE, tightest.get().limit()));
            if (tightest.get().warningPercent().isPresent()) {
                pc = pc.withMaxPrefixWarningPercent(
                        tightest.get().warningPercent().getAsInt());
            }
        }
        if (peer.importPolicy().isPresent()) {
            pc = pc.withImportPolicy(PolicyTranslation.of(peer.importPolicy().get(), speakerAsn));
        }
        // Without an export policy the gateway announces what it originates (VIPs, egress addresses) and nothing
        // it learned: it is not a transit for the datacenter's routes.
        pc = pc.withExportPolicy(
                peer.exportPolicy().isPresent()
                        ? PolicyTranslation.of(peer.exportPolicy().get(), speakerAsn)
                        : PolicyTranslation.originatedOnly(speakerAsn));
        return pc;
    }
}
