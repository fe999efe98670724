package io.meshgw.bgp.fsm;

import io.meshgw.bgp.fsm.FsmAction.Connect;
import io.meshgw.bgp.fsm.FsmAction.Disconnect;
import io.meshgw.bgp.fsm.FsmAction.Down;
import io.meshgw.bgp.fsm.FsmAction.Established;
import io.meshgw.bgp.fsm.FsmAction.SendKeepalive;
import io.meshgw.bgp.fsm.FsmAction.SendNotification;
import io.meshgw.bgp.fsm.FsmAction.SendOpen;
import io.meshgw.bgp.fsm.FsmAction.StartTimer;
import io.meshgw.bgp.fsm.FsmAction.StopTimer;
import io.meshgw.bgp.fsm.FsmEvent.AutomaticStart;
import io.meshgw.bgp.fsm.FsmEvent.AutomaticStop;
import io.meshgw.bgp.fsm.FsmEvent.KeepaliveReceived;
import io.meshgw.bgp.fsm.FsmEvent.ManualStart;
import io.meshgw.bgp.fsm.FsmEvent.ManualStop;
import io.meshgw.bgp.fsm.FsmEvent.MessageError;
import io.meshgw.bgp.fsm.FsmEvent.NotificationReceived;
import io.meshgw.bgp.fsm.FsmEvent.OpenCollisionDump;
import io.meshgw.bgp.fsm.FsmEvent.OpenReceived;
import io.meshgw.bgp.fsm.FsmEvent.SendHoldTimerExpired;
import io.meshgw.bgp.fsm.FsmEvent.TcpConnected;
import io.meshgw.bgp.fsm.FsmEvent.TcpFailed;
import io.meshgw.bgp.fsm.FsmEvent.TimerExpired;
import io.meshgw.bgp.fsm.FsmEvent.UpdateReceived;
import io.meshgw.bgp.fsm.FsmEvent.UpdateSent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The BGP finite state machine of RFC 4271 §8 for one connection, as a pure function of its
 * events: no sockets, no clocks. {@link #handle} returns the actions the session performs, in
 * order. Optional session attributes implemented: passive TCP establishment and the IdleHoldTimer
 * with exponential backoff (damping of a flapping peer, §8.1.1). Not implemented: DelayOpen and
 * the BGP-level collision detection, which the session does across its two connections (§6.8)
 * and reports as {@link OpenCollisionDump}.
 */
public final class BgpFsm {

    private static final int HOLD_TIMER_EXPIRED = 4;
    private static final int FSM_ERROR = 5;
    private static final int CEASE = 6;
    private static final int SEND_HOLD_TIMER_EXPIRED = 8;
    // RFC 6608 §4: FSM Error subcodes per state where the unexpected message arrived
    private static final int FSM_UNEXPECTED_IN_OPEN_SENT = 1;
    private static final int FSM_UNEXPECTED_IN_OPEN_CONFIRM = 2;
    private static final int FSM_UNEXPECTED_IN_ESTABLISHED = 3;
    // RFC 4486 §4 Cease subcodes
    private static final int CEASE_ADMIN_SHUTDOWN = 2;
    private static final int CEASE_COLLISION = 7;
    private static final byte[] NO_DATA = new byte[0];

    private final FsmTimers timers;
    private State state = State.IDLE;
    private boolean passive;
    private int connectRetryCounter;
    private Duration holdTime = Duration.ZERO;
    private Duration keepalive = Duration.ZERO;
    /** Whether an automatic restart is wanted after a failure (cleared by ManualStop). */
    private boolean autoRestart;
    /** Timers started and not stopped or expired since, to drop stale expiries. */
    private final EnumSet<Timer> running = EnumSet.noneOf(Timer.class);

    public BgpFsm(FsmTimers timers) {
        this.timers = timers;
    }

    public State state() {
        return state;
    }

    /** RFC 4271 §8: ConnectRetryCounter, the number of times this peer failed since started. */
    public int connectRetryCounter() {
        return connectRetryCounter;
    }

    public Duration negotiatedHoldTime() {
        return holdTime;
    }

    public Duration negotiatedKeepalive() {
        return keepalive;
    }

    public List<FsmAction> handle(FsmEvent event) {
        List<FsmAction> out = new ArrayList<>();
        if (event instanceof TimerExpired t && !running.remove(t.timer())) {
            // A timer that was stopped or restarted after its expiry was queued: not an event.
            return out;
        }
        switch (state) {
            case IDLE -> idle(event, out);
            case CONNECT -> connect(event, out);
            case ACTIVE -> active(event, out);
            case OPEN_SENT -> openSent(event, out);
            case OPEN_CONFIRM -> openConfirm(event, out);
            case ESTABLISHED -> established(event, out);
        }
        return out;
    }

    private void idle(FsmEvent e, List<FsmAction> out) {
        // RFC 4271 §8.2.2 Idle: only start events are acted on; everything else is ignored.
        switch (e) {
            case ManualStart s -> {
                connectRetryCounter = 0;
                autoRestart = true;
                start(s.passive(), out);
            }
            case AutomaticStart s -> {
                if (autoRestart) {
                    start(s.passive(), out);
                }
            }
            case TimerExpired t
            when t.timer() == Timer.IDLE_HOLD -> {
                if (autoRestart) {
                    start(passive, out);
                }
            }
            default -> {}
        }
    }

    private void start(boolean passiveStart, List<FsmAction> out) {
        passive = passiveStart;
        stopTimer(out, Timer.IDLE_HOLD);
        startTimer(out, Timer.CONNECT_RETRY, timers.connectRetry());
        if (passive) {
            state = State.ACTIVE;
        } else {
            out.add(new Connect());
            state = State.CONNECT;
        }
    }

    private void connect(FsmEvent e, List<FsmAction> out) {
        switch (e) {
            case ManualStop m -> manualStop(out, false);
            case TimerExpired t
            when t.timer() == Timer.CONNECT_RETRY -> {
                out.add(new Disconnect());
                startTimer(out, Timer.CONNECT_RETRY, timers.connectRetry());
                out.add(new Connect());
            }
            case TcpConnected c -> sendOpen(out);
            case TcpFailed f -> {
                // §8.2.2 Connect, event 18: keep listening in Active and retry later
                out.add(new Disconnect());
                startTimer(out, Timer.CONNECT_RETRY, timers.connectRetry());
                state = State.ACTIVE;
            }
            case ManualStart s -> {}
            case AutomaticStart s -> {}
            default -> toIdle(out, "unexpected " + name(e) + " in Connect", true);
        }
    }

    private void active(FsmEvent e, List<FsmAction> out) {
        switch (e) {
            case ManualStop m -> manualStop(out, false);
            case TimerExpired t
            when t.timer() == Timer.CONNECT_RETRY -> {
                startTimer(out, Timer.CONNECT_RETRY, timers.connectRetry());
                out.add(new Connect());
                state = State.CONNECT;
            }
            case TcpConnected c -> sendOpen(out);
            case TcpFailed f -> toIdle(out, "connection failed in Active", true);
            case ManualStart s -> {}
            case AutomaticStart s -> {}
            default -> toIdle(out, "unexpected " + name(e) + " in Active", true);
        }
    }

    private void sendOpen(List<FsmAction> out) {
        stopTimer(out, Timer.CONNECT_RETRY);
        out.add(new SendOpen());
        // §8.2.2: a large HoldTimer (4 minutes suggested) guards OpenSent
        startTimer(out, Timer.HOLD, timers.largeHold());
        state = State.OPEN_SENT;
    }

    private void openSent(FsmEvent e, List<FsmAction> out) {
        if (handledAfterOpen(e, out, "OpenSent")) {
            return;
        }
        switch (e) {
            case TcpFailed f -> {
                // §8.2.2 OpenSent, event 18: back to Active and wait for a new connection
                out.add(new Disconnect());
                stopTimer(out, Timer.HOLD);
                startTimer(out, Timer.CONNECT_RETRY, timers.connectRetry());
                state = State.ACTIVE;
            }
            case OpenReceived o -> {
                holdTime = timers.negotiatedHold(o.peerHoldTimeSeconds());
                keepalive = timers.effectiveKeepalive(holdTime);
                stopTimer(out, Timer.CONNECT_RETRY);
                out.add(new SendKeepalive());
                if (holdTime.isZero()) {
                    // §4.2: a zero hold time means no KEEPALIVEs and no HoldTimer
                    stopTimer(out, Timer.HOLD);
                } else {
                    startTimer(out, Timer.KEEPALIVE, keepalive);
                    startTimer(out, Timer.HOLD, holdTime);
                }
                state = State.OPEN_CONFIRM;
            }
            case NotificationReceived n -> toIdle(out, notificationReason(n), !n.versionError());
            default ->
                notifyAndIdle(
                        out, FSM_ERROR, FSM_UNEXPECTED_IN_OPEN_SENT, NO_DATA, "unexpected " + name(e) + " in OpenSent");
        }
    }

    private void openConfirm(FsmEvent e, List<FsmAction> out) {
        if (handledAfterOpen(e, out, "OpenConfirm")) {
            return;
        }
        switch (e) {
            case TimerExpired t when t.timer() == Timer.KEEPALIVE -> keepaliveTick(out);
            case TcpFailed f -> toIdle(out, "connection lost in OpenConfirm", true);
            case NotificationReceived n -> toIdle(out, notificationReason(n), !n.versionError());
            case KeepaliveReceived k -> {
                restartHold(out);
                connectRetryCounter = 0;
                state = State.ESTABLISHED;
                out.add(new Established(holdTime, keepalive));
            }
            default ->
                notifyAndIdle(
                        out,
                        FSM_ERROR,
                        FSM_UNEXPECTED_IN_OPEN_CONFIRM,
                        NO_DATA,
                        "unexpected " + name(e) + " in OpenConfirm");
        }
    }

    private void established(FsmEvent e, List<FsmAction> out) {
        if (handledAfterOpen(e, out, "Established")) {
            return;
        }
        switch (e) {
            case TimerExpired t when t.timer() == Timer.KEEPALIVE -> keepaliveTick(out);
            case KeepaliveReceived k -> restartHold(out);
            case UpdateReceived u -> restartHold(out);
            case UpdateSent u -> {
                // RFC 4271 §10: each UPDATE sent restarts the KeepaliveTimer
                if (!keepalive.isZero()) {
                    startTimer(out, Timer.KEEPALIVE, keepalive);
                }
            }
            case TcpFailed f -> toIdle(out, "connection lost", true);
            case NotificationReceived n -> toIdle(out, notificationReason(n), true);
            default ->
                notifyAndIdle(
                        out,
                        FSM_ERROR,
                        FSM_UNEXPECTED_IN_ESTABLISHED,
                        NO_DATA,
                        "unexpected " + name(e) + " in Established");
        }
    }

    private void startTimer(List<FsmAction> out, Timer t, Duration after) {
        running.add(t);
        out.add(new StartTimer(t, after));
    }

    private void stopTimer(List<FsmAction> out, Timer t) {
        running.remove(t);
        out.add(new StopTimer(t));
    }

    /** Events handled alike in every state after our OPEN went out (OpenSent onwards). */
    private boolean handledAfterOpen(FsmEvent e, List<FsmAction> out, String where) {
        switch (e) {
            case ManualStop m -> manualStop(out, true);
            case AutomaticStop a -> {
                // The speaker stopped the peer (e.g. its prefix limit): it stays down until an
                // operator starts it again, rather than flapping on every reconnect.
                out.add(new SendNotification(CEASE, a.ceaseSubcode(), a.data()));
                autoRestart = false;
                toIdle(out, "automatic stop (notification " + CEASE + "/" + a.ceaseSubcode() + ")", false);
            }
            case TimerExpired t
            when t.timer() == Timer.HOLD ->
                notifyAndIdle(out, HOLD_TIMER_EXPIRED, 0, NO_DATA, "hold timer expired in " + where);
            // RFC 9687 §4: NOTIFICATION if it can go out, drop the connection, count it, Idle
            case SendHoldTimerExpired s ->
                notifyAndIdle(out, SEND_HOLD_TIMER_EXPIRED, 0, NO_DATA, "send hold timer expired in " + where);
            case MessageError m -> notifyAndIdle(out, m.code(), m.subcode(), m.data(), "error in " + where);
            case OpenCollisionDump c ->
                notifyAndIdle(out, CEASE, CEASE_COLLISION, NO_DATA, "connection collision resolution");
            case ManualStart s -> {}
            case AutomaticStart s -> {}
            default -> {
                return false;
            }
        }
        return true;
    }

    private void keepaliveTick(List<FsmAction> out) {
        out.add(new SendKeepalive());
        startTimer(out, Timer.KEEPALIVE, keepalive);
    }

    private void restartHold(List<FsmAction> out) {
        if (!holdTime.isZero()) {
            startTimer(out, Timer.HOLD, holdTime);
        }
    }

    private void manualStop(List<FsmAction> out, boolean notify) {
        if (notify) {
            out.add(new SendNotification(CEASE, CEASE_ADMIN_SHUTDOWN, NO_DATA));
        }
        autoRestart = false;
        connectRetryCounter = 0;
        leave(out, "administratively stopped");
    }

    private void notifyAndIdle(List<FsmAction> out, int code, int subcode, byte[] data, String reason) {
        out.add(new SendNotification(code, subcode, data));
        toIdle(out, reason + " (notification " + code + "/" + subcode + ")", true);
    }

    /** Failure path to Idle: counts the failure and, when wanted, schedules a damped restart. */
    private void toIdle(List<FsmAction> out, String reason, boolean restart) {
        connectRetryCounter++;
        leave(out, reason);
        if (restart && autoRestart) {
            startTimer(out, Timer.IDLE_HOLD, idleHold());
        }
    }

    private void leave(List<FsmAction> out, String reason) {
        out.add(new Disconnect());
        for (Timer t : List.of(Timer.CONNECT_RETRY, Timer.HOLD, Timer.KEEPALIVE, Timer.IDLE_HOLD)) {
            stopTimer(out, t);
        }
        out.add(new Down(reason));
        holdTime = Duration.ZERO;
        keepalive = Duration.ZERO;
        state = State.IDLE;
    }

    /** Doubles with each consecutive failure, so a flapping peer is retried ever more slowly. */
    Duration idleHold() {
        int doublings = Math.min(Math.max(connectRetryCounter - 1, 0), 20);
        Duration d = timers.idleHoldBase().multipliedBy(1L << doublings);
        return d.compareTo(timers.idleHoldMax()) > 0 ? timers.idleHoldMax() : d;
    }

    private static String notificationReason(NotificationReceived n) {
        return "peer sent notification " + n.code() + "/" + n.subcode();
    }

    private static String name(FsmEvent e) {
        return e.getClass().getSimpleName();
    }
}
