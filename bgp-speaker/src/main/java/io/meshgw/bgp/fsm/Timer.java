package io.meshgw.bgp.fsm;

/** The timers the FSM asks its owner to run (RFC 4271 §8.1.3, §10). */
public enum Timer {
    CONNECT_RETRY,
    HOLD,
    KEEPALIVE,
    /** RFC 4271 §8.1.1 IdleHoldTimer: delays an automatic restart, growing while the peer flaps. */
    IDLE_HOLD
}
