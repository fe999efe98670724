package io.meshgw.bgp.fsm;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.meshgw.bgp.fsm.FsmEvent.TcpConnected;
import io.meshgw.bgp.fsm.FsmEvent.TcpFailed;
import io.meshgw.bgp.fsm.FsmEvent.TimerExpired;
import io.meshgw.bgp.fsm.FsmEvent.UpdateReceived;
import io.meshgw.bgp.fsm.FsmEvent.UpdateSent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RFC 4271 §8.2.2 transitions as a table: from each state, each event gives exactly these
 * actions, in this order, and this next state. With the default timers: ConnectRetry 120 s, hold
 * 90 s, keepalive 30 s, the large OpenSent hold 4 min, the first restart delay 1 s.
 */
class BgpFsmTransitionTest {

    private static final byte[] NONE = new byte[0];
    private static final byte[] DATA = {0x02, 0x01, 0x00};

    /** How the FSM under test got to its state. */
    enum From {
        /** Never started. */
        IDLE(),
        /** Started, then failed once: a restart is pending (IdleHoldTimer running). */
        IDLE_AFTER_FAILURE(new ManualStart(false), new TcpFailed(), new TcpFailed()),
        /** Stopped by the operator after running: no restart. */
        IDLE_AFTER_STOP(new ManualStart(false), new ManualStop()),
        CONNECT(new ManualStart(false)),
        ACTIVE(new ManualStart(true)),
        OPEN_SENT(new ManualStart(false), new TcpConnected(true)),
        OPEN_CONFIRM(new ManualStart(false), new TcpConnected(true), new OpenReceived(90)),
        ESTABLISHED(new ManualStart(false), new TcpConnected(true), new OpenReceived(90), new KeepaliveReceived()),
        ESTABLISHED_WITHOUT_HOLD(
                new ManualStart(false), new TcpConnected(true), new OpenReceived(0), new KeepaliveReceived());

        final List<FsmEvent> events;

        From(FsmEvent... events) {
            this.events = List.of(events);
        }
    }

    record Row(From from, FsmEvent event, List<FsmAction> actions, State next) {
        @Override
        public String toString() {
            return from + " + " + event.getClass().getSimpleName() + " -> " + next;
        }
    }

    private static StartTimer start(Timer t, Duration d) {
        return new StartTimer(t, d);
    }

    private static final StartTimer CONNECT_RETRY = start(Timer.CONNECT_RETRY, Duration.ofSeconds(120));
    private static final StartTimer RESTART_IN_1S = start(Timer.IDLE_HOLD, Duration.ofSeconds(1));
    private static final StartTimer RESTART_IN_2S = start(Timer.IDLE_HOLD, Duration.ofSeconds(2));
    private static final StartTimer HOLD_90 = start(Timer.HOLD, Duration.ofSeconds(90));
    private static final StartTimer KEEPALIVE_30 = start(Timer.KEEPALIVE, Duration.ofSeconds(30));

    /** The actions of leaving for Idle: close, stop every timer, report why, maybe schedule a restart. */
    private static List<FsmAction> down(String reason, FsmAction... after) {
        List<FsmAction> out = new ArrayList<>(List.of(
                new Disconnect(),
                new StopTimer(Timer.CONNECT_RETRY),
                new StopTimer(Timer.HOLD),
                new StopTimer(Timer.KEEPALIVE),
                new StopTimer(Timer.IDLE_HOLD),
                new Down(reason)));
        out.addAll(List.of(after));
        return out;
    }

    private static List<FsmAction> notifyDown(int code, int subcode, byte[] data, String reason, FsmAction... after) {
        List<FsmAction> out = new ArrayList<>();
        out.add(new SendNotification(code, subcode, data));
        out.addAll(down(reason, after));
        return out;
    }

    private static Row row(From from, FsmEvent e, List<FsmAction> actions, State next) {
        return new Row(from, e, actions, next);
    }

    static Stream<Row> transitions() {
        return Stream.of(
                // Idle: only start events act (§8.2.2 Idle), and automatic ones only after a failure
                row(
                        From.IDLE,
                        new ManualStart(false),
                        List.of(new StopTimer(Timer.IDLE_HOLD), CONNECT_RETRY, new Connect()),
                        State.CONNECT),
                row(
                        From.IDLE,
                        new ManualStart(true),
                        List.of(new StopTimer(Timer.IDLE_HOLD), CONNECT_RETRY),
                        State.ACTIVE),
                row(From.IDLE, new AutomaticStart(false), List.of(), State.IDLE),
                row(From.IDLE, new TcpConnected(false), List.of(), State.IDLE),
                row(From.IDLE, new OpenReceived(90), List.of(), State.IDLE),
                row(
                        From.IDLE_AFTER_FAILURE,
                        new AutomaticStart(false),
                        List.of(new StopTimer(Timer.IDLE_HOLD), CONNECT_RETRY, new Connect()),
                        State.CONNECT),
                row(
                        From.IDLE_AFTER_FAILURE,
                        new TimerExpired(Timer.IDLE_HOLD),
                        List.of(new StopTimer(Timer.IDLE_HOLD), CONNECT_RETRY, new Connect()),
                        State.CONNECT),
                row(From.IDLE_AFTER_STOP, new AutomaticStart(false), List.of(), State.IDLE),
                row(From.IDLE_AFTER_STOP, new TimerExpired(Timer.IDLE_HOLD), List.of(), State.IDLE),
                // Connect
                row(From.CONNECT, new ManualStop(), down("administratively stopped"), State.IDLE),
                row(
                        From.CONNECT,
                        new TimerExpired(Timer.CONNECT_RETRY),
                        List.of(new Disconnect(), CONNECT_RETRY, new Connect()),
                        State.CONNECT),
                row(
                        From.CONNECT,
                        new TcpConnected(true),
                        List.of(
                                new StopTimer(Timer.CONNECT_RETRY),
                                new SendOpen(),
                                start(Timer.HOLD, Duration.ofMinutes(4))),
                        State.OPEN_SENT),
                row(From.CONNECT, new TcpFailed(), List.of(new Disconnect(), CONNECT_RETRY), State.ACTIVE),
                row(From.CONNECT, new ManualStart(false), List.of(), State.CONNECT),
                row(From.CONNECT, new AutomaticStart(false), List.of(), State.CONNECT),
                row(
                        From.CONNECT,
                        new KeepaliveReceived(),
                        down("unexpected KeepaliveReceived in Connect", RESTART_IN_1S),
                        State.IDLE),
                // Active
                row(From.ACTIVE, new ManualStop(), down("administratively stopped"), State.IDLE),
                row(
                        From.ACTIVE,
                        new TimerExpired(Timer.CONNECT_RETRY),
                        List.of(CONNECT_RETRY, new Connect()),
                        State.CONNECT),
                row(
                        From.ACTIVE,
                        new TcpConnected(false),
                        List.of(
                                new StopTimer(Timer.CONNECT_RETRY),
                                new SendOpen(),
                                start(Timer.HOLD, Duration.ofMinutes(4))),
                        State.OPEN_SENT),
                row(From.ACTIVE, new TcpFailed(), down("connection failed in Active", RESTART_IN_1S), State.IDLE),
                row(From.ACTIVE, new ManualStart(true), List.of(), State.ACTIVE),
                row(From.ACTIVE, new AutomaticStart(true), List.of(), State.ACTIVE),
                row(
                        From.ACTIVE,
                        new UpdateReceived(),
                        down("unexpected UpdateReceived in Active", RESTART_IN_1S),
                        State.IDLE),
                // OpenSent
                row(
                        From.OPEN_SENT,
                        new TcpFailed(),
                        List.of(new Disconnect(), new StopTimer(Timer.HOLD), CONNECT_RETRY),
                        State.ACTIVE),
                row(
                        From.OPEN_SENT,
                        new OpenReceived(90),
                        List.of(new StopTimer(Timer.CONNECT_RETRY), new SendKeepalive(), KEEPALIVE_30, HOLD_90),
                        State.OPEN_CONFIRM),
                row(
                        From.OPEN_SENT,
                        new OpenReceived(0),
                        List.of(new StopTimer(Timer.CONNECT_RETRY), new SendKeepalive(), new StopTimer(Timer.HOLD)),
                        State.OPEN_CONFIRM),
                row(
                        From.OPEN_SENT,
                        new NotificationReceived(6, 2, false),
                        down("peer sent notification 6/2", RESTART_IN_1S),
                        State.IDLE),
                row(
                        From.OPEN_SENT,
                        new NotificationReceived(2, 1, true),
                        down("peer sent notification 2/1"),
                        State.IDLE),
                row(
                        From.OPEN_SENT,
                        new UpdateReceived(),
                        notifyDown(
                                5, 1, NONE, "unexpected UpdateReceived in OpenSent (notification 5/1)", RESTART_IN_1S),
                        State.IDLE),
                row(
                        From.OPEN_SENT,
                        new TimerExpired(Timer.HOLD),
                        notifyDown(4, 0, NONE, "hold timer expired in OpenSent (notification 4/0)", RESTART_IN_1S),
                        State.IDLE),
                row(From.OPEN_SENT, new ManualStop(), notifyDown(6, 2, NONE, "administratively stopped"), State.IDLE),
                row(
                        From.OPEN_SENT,
                        new AutomaticStop(1, DATA),
                        notifyDown(6, 1, DATA, "automatic stop (notification 6/1)"),
                        State.IDLE),
                row(
                        From.OPEN_SENT,
                        new MessageError(2, 2, DATA),
                        notifyDown(2, 2, DATA, "error in OpenSent (notification 2/2)", RESTART_IN_1S),
                        State.IDLE),
                row(
                        From.OPEN_SENT,
                        new OpenCollisionDump(),
                        notifyDown(6, 7, NONE, "connection collision resolution (notification 6/7)", RESTART_IN_1S),
                        State.IDLE),
                row(From.OPEN_SENT, new ManualStart(false), List.of(), State.OPEN_SENT),
                row(From.OPEN_SENT, new AutomaticStart(false), List.of(), State.OPEN_SENT),
                row(From.OPEN_SENT, new TimerExpired(Timer.KEEPALIVE), List.of(), State.OPEN_SENT),
                // OpenConfirm
                row(
                        From.OPEN_CONFIRM,
                        new TimerExpired(Timer.KEEPALIVE),
                        List.of(new SendKeepalive(), KEEPALIVE_30),
                        State.OPEN_CONFIRM),
                row(
                        From.OPEN_CONFIRM,
                        new TcpFailed(),
                        down("connection lost in OpenConfirm", RESTART_IN_1S),
                        State.IDLE),
                row(
                        From.OPEN_CONFIRM,
                        new NotificationReceived(6, 4, false),
                        down("peer sent notification 6/4", RESTART_IN_1S),
                        State.IDLE),
                row(
                        From.OPEN_CONFIRM,
                        new NotificationReceived(2, 1, true),
                        down("peer sent notification 2/1"),
                        State.IDLE),
                row(
                        From.OPEN_CONFIRM,
                        new KeepaliveReceived(),
                        List.of(HOLD_90, new Established(Duration.ofSeconds(90), Duration.ofSeconds(30))),
                        State.ESTABLISHED),
                row(
                        From.OPEN_CONFIRM,
                        new UpdateReceived(),
                        notifyDown(
                                5,
                                2,
                                NONE,
                                "unexpected UpdateReceived in OpenConfirm (notification 5/2)",
                                RESTART_IN_1S),
                        State.IDLE),
                row(
                        From.OPEN_CONFIRM,
                        new TimerExpired(Timer.HOLD),
                        notifyDown(4, 0, NONE, "hold timer expired in OpenConfirm (notification 4/0)", RESTART_IN_1S),
                        State.IDLE),
                // Established
                row(
                        From.ESTABLISHED,
                        new TimerExpired(Timer.KEEPALIVE),
                        List.of(new SendKeepalive(), KEEPALIVE_30),
                        State.ESTABLISHED),
                row(From.ESTABLISHED, new KeepaliveReceived(), List.of(HOLD_90), State.ESTABLISHED),
                row(From.ESTABLISHED, new UpdateReceived(), List.of(HOLD_90), State.ESTABLISHED),
                row(From.ESTABLISHED, new UpdateSent(), List.of(KEEPALIVE_30), State.ESTABLISHED),
                row(From.ESTABLISHED, new TcpFailed(), down("connection lost", RESTART_IN_1S), State.IDLE),
                row(
                        From.ESTABLISHED,
                        new NotificationReceived(6, 2, false),
                        down("peer sent notification 6/2", RESTART_IN_1S),
                        State.IDLE),
                // a version error only ends the attempt before the session is up (§8.2.2 event 24)
                row(
                        From.ESTABLISHED,
                        new NotificationReceived(2, 1, true),
                        down("peer sent notification 2/1", RESTART_IN_1S),
                        State.IDLE),
                row(
                        From.ESTABLISHED,
                        new OpenReceived(90),
                        notifyDown(
                                5, 3, NONE, "unexpected OpenReceived in Established (notification 5/3)", RESTART_IN_1S),
                        State.IDLE),
                row(
                        From.ESTABLISHED,
                        new MessageError(3, 1, DATA),
                        notifyDown(3, 1, DATA, "error in Established (notification 3/1)", RESTART_IN_1S),
                        State.IDLE),
                row(From.ESTABLISHED, new ManualStop(), notifyDown(6, 2, NONE, "administratively stopped"), State.IDLE),
                row(From.ESTABLISHED, new TimerExpired(Timer.CONNECT_RETRY), List.of(), State.ESTABLISHED),
                row(From.ESTABLISHED_WITHOUT_HOLD, new KeepaliveReceived(), List.of(), State.ESTABLISHED),
                row(From.ESTABLISHED_WITHOUT_HOLD, new UpdateReceived(), List.of(), State.ESTABLISHED),
                row(From.ESTABLISHED_WITHOUT_HOLD, new UpdateSent(), List.of(), State.ESTABLISHED),
                row(From.ESTABLISHED_WITHOUT_HOLD, new TimerExpired(Timer.HOLD), List.of(), State.ESTABLISHED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transitions")
    void eachEventInEachStateGivesExactlyTheseActions(Row row) {
        BgpFsm fsm = new BgpFsm(FsmTimers.defaults());
        row.from().events.forEach(fsm::handle);
        assertThat(fsm.handle(row.event())).as(row.toString()).containsExactlyElementsOf(row.actions());
        assertThat(fsm.state()).isEqualTo(row.next());
    }

    /**
     * A restart stops the IdleHoldTimer, so an expiry of it that was already queued is stale
     * and must not be taken for an unexpected event in Connect (which would fail the attempt).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("restarts")
    void anIdleHoldExpiryQueuedBeforeARestartIsIgnored(FsmEvent restart) {
        BgpFsm fsm = new BgpFsm(FsmTimers.defaults());
        From.IDLE_AFTER_FAILURE.events.forEach(fsm::handle);
        fsm.handle(restart);
        assertThat(fsm.handle(new TimerExpired(Timer.IDLE_HOLD))).isEmpty();
        assertThat(fsm.state()).isEqualTo(State.CONNECT);
    }

    static Stream<FsmEvent> restarts() {
        return Stream.of(new AutomaticStart(false), new ManualStart(false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("restarts")
    void theSecondFailureWaitsTwiceAsLong(FsmEvent restart) {
        BgpFsm fsm = new BgpFsm(FsmTimers.defaults());
        From.IDLE_AFTER_FAILURE.events.forEach(fsm::handle);
        assertThat(fsm.connectRetryCounter()).isEqualTo(1);
        fsm.handle(restart);
        List<FsmAction> second = fsm.handle(new KeepaliveReceived());
        int expectedCounter = restart instanceof ManualStart ? 1 : 2; // an operator's start resets it
        assertThat(fsm.connectRetryCounter()).isEqualTo(expectedCounter);
        assertThat(second.getLast()).isEqualTo(expectedCounter == 1 ? RESTART_IN_1S : RESTART_IN_2S);
    }
}
