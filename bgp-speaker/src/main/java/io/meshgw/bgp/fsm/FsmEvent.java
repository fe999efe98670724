package io.meshgw.bgp.fsm;

/**
 * The inputs of the FSM, grouped from the numbered events of RFC 4271 §8.1. The session turns
 * socket activity, decoded messages and timer expiry into these.
 */
public sealed interface FsmEvent {

    /** Events 1/4: an operator starts the peer; {@code passive} waits for the peer to connect. */
    record ManualStart(boolean passive) implements FsmEvent {}

    /** Event 2: an operator stops the peer; the session resets without automatic restart. */
    record ManualStop() implements FsmEvent {}

    /** Events 3/5: the implementation restarts the peer (after IdleHoldTimer). */
    record AutomaticStart(boolean passive) implements FsmEvent {}

    /** Event 8: the implementation stops the peer, e.g. max-prefix exceeded; a Cease subcode says why. */
    record AutomaticStop(int ceaseSubcode, byte[] data) implements FsmEvent {}

    /** Events 9-13: a timer the FSM started has expired. */
    record TimerExpired(Timer timer) implements FsmEvent {}

    /** Events 16/17: the TCP connection is up, initiated by us ({@code outbound}) or by the peer. */
    record TcpConnected(boolean outbound) implements FsmEvent {}

    /** Event 18: the TCP connection failed or closed. */
    record TcpFailed() implements FsmEvent {}

    /** Event 19: a valid OPEN arrived; its hold time is negotiated here. */
    record OpenReceived(int peerHoldTimeSeconds) implements FsmEvent {}

    /**
     * Events 21, 22, 28: a header, OPEN or UPDATE error that resets the session; the NOTIFICATION
     * to send is carried as decided by the codec.
     */
    record MessageError(int code, int subcode, byte[] data) implements FsmEvent {}

    /** Event 23: collision detection (RFC 4271 §6.8) decided this connection must go. */
    record OpenCollisionDump() implements FsmEvent {}

    /** Events 24/25: the peer sent a NOTIFICATION ({@code versionError}: subcode Unsupported Version). */
    record NotificationReceived(int code, int subcode, boolean versionError) implements FsmEvent {}

    /** Event 26. */
    record KeepaliveReceived() implements FsmEvent {}

    /** Event 27: a valid UPDATE (or ROUTE-REFRESH) arrived. */
    record UpdateReceived() implements FsmEvent {}

    /**
     * RFC 9687 event 29, SendHoldTimer_Expires: the neighbor has taken none of what we queued for
     * it for the SendHoldTime. The session runs that timer, as only it sees the connection.
     */
    record SendHoldTimerExpired() implements FsmEvent {}

    /** We sent an UPDATE: RFC 4271 §10 restarts the KeepaliveTimer on each UPDATE sent. */
    record UpdateSent() implements FsmEvent {}
}
