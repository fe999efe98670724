package io.meshgw.bgp.speaker;

import io.meshgw.bgp.rib.LocRib;
import io.meshgw.bgp.transport.Transport;
import io.meshgw.bgp.wire.Prefix;
import java.util.function.IntPredicate;

/**
 * What every {@link Peer} of a speaker shares.
 *
 * @param local the speaker's own AS and identifier
 * @param transport connections, timers and the thread
 * @param rib the Loc-RIB, which also holds every peer's accepted paths
 * @param propagation where best-path and session changes go
 * @param internal whether the peer with a given Loc-RIB index is an iBGP one
 * @param endOfRib whether sessions that come up may send End-of-RIB yet
 */
record PeerContext(
        SpeakerConfig local,
        Transport transport,
        LocRib<Prefix, RouteAttributes> rib,
        Propagation propagation,
        IntPredicate internal,
        EndOfRibGate endOfRib) {}
