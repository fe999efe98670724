package io.meshgw.bgp.fsm;

import java.time.Duration;
import java.util.Optional;

/**
 * Timer settings of one peer.
 *
 * @param connectRetry ConnectRetryTime (RFC 4271 §10 suggests 120 s)
 * @param holdTime our proposed HoldTime: 0 or at least 3 s (§4.2)
 * @param keepalive the configured keepalive; the effective one is at most a third of the
 *     negotiated hold time
 * @param largeHold the HoldTimer in OpenSent before the peer's OPEN arrives (§8.2.2: 4 minutes)
 * @param idleHoldBase the first delay before an automatic restart after an error
 * @param idleHoldMax the cap of that delay while the peer keeps flapping
 * @param sendHoldTime RFC 9687 SendHoldTime: how long the neighbor may take none of what we send
 *     before the session is reset; empty for {@link #DEFAULT_SEND_HOLD} or twice the negotiated
 *     hold time, whichever is longer
 */
public record FsmTimers(
        Duration connectRetry,
        Duration holdTime,
        Duration keepalive,
        Duration largeHold,
        Duration idleHoldBase,
        Duration idleHoldMax,
        Optional<Duration> sendHoldTime) {

    /** RFC 9687 §4: the suggested SendHoldTime. */
    public static final Duration DEFAULT_SEND_HOLD = Duration.ofMinutes(8);

    /** With the default SendHoldTime. */
    public FsmTimers(
            Duration connectRetry,
            Duration holdTime,
            Duration keepalive,
            Duration largeHold,
            Duration idleHoldBase,
            Duration idleHoldMax) {
        this(connectRetry, holdTime, keepalive, largeHold, idleHoldBase, idleHoldMax, Optional.empty());
    }

    public FsmTimers {
        long hold = holdTime.toSeconds();
        if (hold != 0 && (hold < 3 || hold > 65535)) {
            // RFC 4271 §4.2: Hold Time MUST be either zero or at least three seconds
            throw new IllegalArgumentException("holdTime must be 0 or 3..65535 s, was " + hold + " s");
        }
        if (connectRetry.isNegative() || connectRetry.isZero()) {
            throw new IllegalArgumentException("connectRetry must be positive, was " + connectRetry);
        }
        if (idleHoldMax.compareTo(idleHoldBase) < 0) {
            throw new IllegalArgumentException("idleHoldMax " + idleHoldMax + " is below idleHoldBase " + idleHoldBase);
        }
        if (sendHoldTime.isPresent() && !sendHoldTime.get().isPositive()) {
            throw new IllegalArgumentException("sendHoldTime must be positive, was " + sendHoldTime.get());
        }
    }

    /** These timers with {@code sendHold} as the SendHoldTime. */
    public FsmTimers withSendHoldTime(Duration sendHold) {
        return new FsmTimers(
                connectRetry, holdTime, keepalive, largeHold, idleHoldBase, idleHoldMax, Optional.of(sendHold));
    }

    /**
     * The SendHoldTime for a negotiated hold time: the configured one, else 8 minutes or twice the
     * hold time, whichever is longer (a neighbor that may be silent for longer is not cut off
     * sooner than its own hold timer would be).
     */
    public Duration effectiveSendHold(Duration negotiatedHold) {
        if (sendHoldTime.isPresent()) {
            return sendHoldTime.get();
        }
        Duration twice = negotiatedHold.multipliedBy(2);
        return twice.compareTo(DEFAULT_SEND_HOLD) > 0 ? twice : DEFAULT_SEND_HOLD;
    }

    /** RFC 4271 §10 suggested values, with a 1 s first restart delay capped at 2 minutes. */
    public static FsmTimers defaults() {
        return new FsmTimers(
                Duration.ofSeconds(120),
                Duration.ofSeconds(90),
                Duration.ofSeconds(30),
                Duration.ofMinutes(4),
                Duration.ofSeconds(1),
                Duration.ofMinutes(2));
    }

    /** The hold time both sides use: the smaller proposal (§4.2), where 0 disables it. */
    public Duration negotiatedHold(int peerHoldSeconds) {
        return Duration.ofSeconds(Math.min(holdTime.toSeconds(), peerHoldSeconds));
    }

    /** The keepalive interval for a negotiated hold time: at most a third of it (§4.4). */
    public Duration effectiveKeepalive(Duration negotiatedHold) {
        if (negotiatedHold.isZero()) {
            return Duration.ZERO;
        }
        Duration third = Duration.ofMillis(negotiatedHold.toMillis() / 3);
        return keepalive.isZero() || keepalive.compareTo(third) > 0 ? third : keepalive;
    }
}
