package io.meshgw.bgp.speaker;

import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.Update;
import java.net.InetAddress;
import java.util.Optional;

/** What a {@link Session} tells its {@link Peer}, on the speaker's thread. */
interface SessionEvents {

    /** Established with these parameters; {@code localAddress} is ours on the connection. */
    void up(NegotiatedSession negotiated, Optional<InetAddress> localAddress);

    /**
     * The session ended or failed to come up.
     *
     * @param wasUp it had been Established
     * @param negotiated what its OPEN exchange settled, if it got that far
     */
    void down(String reason, boolean wasUp, Optional<NegotiatedSession> negotiated);

    /** An UPDATE arrived on the established session. */
    void update(Update update, boolean treatAsWithdraw);

    /** The neighbor asked for a family's routes again (RFC 2918). */
    void refresh(Afi afi);

    /** The connection takes output again after it stopped taking it: send what was held back. */
    void writable();

    /** The FSM changed state. */
    void stateChanged();
}
