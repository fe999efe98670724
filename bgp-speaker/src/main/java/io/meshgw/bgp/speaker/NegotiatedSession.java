package io.meshgw.bgp.speaker;

import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.Capability;
import io.meshgw.bgp.wire.CodecOptions;
import io.meshgw.bgp.wire.Notification;
import io.meshgw.bgp.wire.Open;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the OPEN exchange settled for one session.
 *
 * @param peerOpen the neighbor's OPEN
 * @param options the wire format both sides support (we always offer 4-octet AS and extended
 *     messages, so the neighbor's OPEN decides)
 * @param families the configured families the neighbor carries too, in {@link Afi} order
 */
record NegotiatedSession(Open peerOpen, CodecOptions options, List<Afi> families) {

    /** Why a neighbor's OPEN is refused: the OPEN Message Error subcode and data to send. */
    record Refusal(int subcode, byte[] data, String why) {}

    /** RFC 4271 §6.2: the checks of the neighbor's OPEN beyond its encoding. */
    static Optional<Refusal> refusal(Open o, PeerConfig config, SpeakerConfig local) {
        if (o.asn() != config.peerAsn()) {
            // Bad Peer AS, data = the AS field
            return Optional.of(new Refusal(
                    Notification.OPEN_BAD_PEER_AS,
                    new byte[] {(byte) (o.myAs() >> 8), (byte) o.myAs()},
                    "peer AS " + o.asn() + " but " + config.peerAsn() + " is configured"));
        }
        if (config.peerAsn() == local.localAsn() && o.bgpId() == local.routerId()) {
            // Bad BGP Identifier: an internal neighbor with ours
            return Optional.of(
                    new Refusal(Notification.OPEN_BAD_BGP_IDENTIFIER, new byte[0], "peer uses our BGP identifier"));
        }
        if (config.extendedNextHop() && !extendedNextHop(o)) {
            // RFC 5492 §3: a capability we need and the neighbor does not announce; the data is ours
            return Optional.of(new Refusal(
                    Notification.OPEN_UNSUPPORTED_CAPABILITY,
                    new byte[] {5, 6, 0, 1, 0, 1, 0, 2},
                    "peer does not announce the extended next hop capability (RFC 8950) for IPv4 unicast over IPv6"
                            + " next hops, which extendedNextHop requires"));
        }
        if (config.peerAsn() != local.localAsn() && config.localRole().isPresent()) {
            return roleMismatch(o, config.localRole().get(), config.strictRole());
        }
        return Optional.empty();
    }

    /** Whether {@code o} takes IPv4 unicast routes with IPv6 next hops (RFC 8950 §3). */
    private static boolean extendedNextHop(Open o) {
        return o.capabilities().stream()
                .anyMatch(c -> c instanceof Capability.ExtendedNextHop e
                        && e.entries().contains(Capability.ExtendedNextHop.IPV4_UNICAST_OVER_IPV6));
    }

    /**
     * RFC 9234 §4.2: the neighbor's role must be the counterpart of ours; a neighbor that announces none is accepted
     * unless in strict mode.
     */
    private static Optional<Refusal> roleMismatch(Open o, BgpRole ours, boolean strict) {
        Set<Integer> theirs = new TreeSet<>();
        o.capabilities().stream()
                .filter(c -> c instanceof Capability.Role)
                .forEach(c -> theirs.add(((Capability.Role) c).role()));
        if (theirs.isEmpty()) {
            return strict
                    ? Optional.of(new Refusal(
                            Notification.OPEN_ROLE_MISMATCH,
                            new byte[0],
                            "peer announces no BGP role and strictRole is set (ours: " + ours.configName() + ")"))
                    : Optional.empty();
        }
        // several Role capabilities with different values are a mismatch too
        if (theirs.size() > 1 || theirs.iterator().next() != ours.expectedPeerCode()) {
            return Optional.of(new Refusal(
                    Notification.OPEN_ROLE_MISMATCH,
                    new byte[0],
                    "peer announces BGP role " + roleNames(theirs) + " but ours is " + ours.configName()
                            + ", which needs " + roleName(ours.expectedPeerCode())));
        }
        return Optional.empty();
    }

    private static String roleNames(Set<Integer> codes) {
        return codes.stream().map(NegotiatedSession::roleName).collect(Collectors.joining(", "));
    }

    private static String roleName(int code) {
        return Arrays.stream(BgpRole.values())
                .filter(r -> r.code == code)
                .map(BgpRole::configName)
                .findFirst()
                .orElse("reserved value " + code);
    }

    static NegotiatedSession of(Open peerOpen, PeerConfig config, SpeakerConfig local) {
        boolean ebgp = config.peerAsn() != local.localAsn();
        boolean fourOctet = peerOpen.capability(Capability.FourOctetAs.class).isPresent();
        boolean extended = peerOpen.capability(Capability.ExtendedMessage.class).isPresent();
        boolean multiProtocol =
                peerOpen.capability(Capability.MultiProtocol.class).isPresent();
        List<Afi> families = inOrder(config.families()).stream()
                // RFC 4760 §8: a speaker that sends no Multiprotocol capability carries IPv4 unicast
                .filter(afi -> (afi == Afi.IPV4 && !multiProtocol) || carries(peerOpen, afi))
                .toList();
        boolean extendedNextHop = config.extendedNextHop() && extendedNextHop(peerOpen);
        return new NegotiatedSession(
                peerOpen,
                new CodecOptions(fourOctet, extended, ebgp, config.attributeScreen(), extendedNextHop),
                families);
    }

    /** The neighbor's BGP identifier, unsigned. */
    long routerId() {
        return peerOpen.bgpId();
    }

    /**
     * The families whose forwarding state the neighbor says it kept through its restart (RFC 4724 §3, the F bit); empty
     * without the capability.
     */
    Set<Afi> forwardingPreserved() {
        Set<Afi> kept = EnumSet.noneOf(Afi.class);
        peerOpen.capability(Capability.GracefulRestart.class)
                .ifPresent(gr -> gr.families().stream()
                        .filter(f -> f.forwardingPreserved() && f.safi() == 1 && Afi.of(f.afi()) != null)
                        .forEach(f -> kept.add(Afi.of(f.afi()))));
        return kept;
    }

    /** The neighbor's graceful restart time (RFC 4724 §3), 0 when it did not advertise the capability. */
    int restartTimeSeconds() {
        return peerOpen.capability(Capability.GracefulRestart.class)
                .map(Capability.GracefulRestart::restartTimeSeconds)
                .orElse(0);
    }

    /** Whether {@code open} has the Multiprotocol capability for {@code afi} unicast. */
    private static boolean carries(Open open, Afi afi) {
        return open.capabilities().stream()
                .anyMatch(c -> c instanceof Capability.MultiProtocol mp && mp.afi() == afi.code && mp.safi() == 1);
    }

    /** A fixed order, so capabilities and End-of-RIB markers do not follow a set's iteration order. */
    static List<Afi> inOrder(Collection<Afi> families) {
        return Arrays.stream(Afi.values()).filter(families::contains).toList();
    }
}
