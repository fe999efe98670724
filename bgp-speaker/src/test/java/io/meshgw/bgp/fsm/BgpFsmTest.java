package io.meshgw.bgp.fsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BgpFsmTest {

    private final BgpFsm fsm = new BgpFsm(FsmTimers.defaults());

    @Test
    void activeStartReachesEstablishedWithNegotiatedTimers() {
        assertThat(fsm.handle(new ManualStart(false)))
                .containsSubsequence(new StartTimer(Timer.CONNECT_RETRY, Duration.ofSeconds(120)), new Connect());
        assertThat(fsm.state()).isEqualTo(State.CONNECT);

        assertThat(fsm.handle(new TcpConnected(true)))
                .containsExactly(
                        new StopTimer(Timer.CONNECT_RETRY),
                        new SendOpen(),
                        new StartTimer(Timer.HOLD, Duration.ofMinutes(4)));
        assertThat(fsm.state()).isEqualTo(State.OPEN_SENT);

        assertThat(fsm.handle(new OpenReceived(90)))
                .containsSubsequence(
                        new SendKeepalive(),
                        new StartTimer(Timer.KEEPALIVE, Duration.ofSeconds(30)),
                        new StartTimer(Timer.HOLD, Duration.ofSeconds(90)));
        assertThat(fsm.state()).isEqualTo(State.OPEN_CONFIRM);

        assertThat(fsm.handle(new KeepaliveReceived()))
                .containsExactly(
                        new StartTimer(Timer.HOLD, Duration.ofSeconds(90)),
                        new Established(Duration.ofSeconds(90), Duration.ofSeconds(30)));
        assertThat(fsm.state()).isEqualTo(State.ESTABLISHED);
    }

    @Test
    void holdTimeIsTheSmallerProposalAndKeepaliveAThirdOfIt() {
        toOpenSent();
        fsm.handle(new OpenReceived(9));
        assertThat(fsm.negotiatedHoldTime()).isEqualTo(Duration.ofSeconds(9));
        assertThat(fsm.negotiatedKeepalive()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void zeroHoldTimeDisablesHoldAndKeepaliveTimers() {
        toOpenSent();
        List<FsmAction> actions = fsm.handle(new OpenReceived(0));
        assertThat(actions).contains(new StopTimer(Timer.HOLD)).noneMatch(a -> a instanceof StartTimer);
        assertThat(fsm.handle(new KeepaliveReceived())).containsExactly(new Established(Duration.ZERO, Duration.ZERO));
    }

    @Test
    void passiveStartWaitsInActiveForThePeer() {
        assertThat(fsm.handle(new ManualStart(true))).noneMatch(a -> a instanceof Connect);
        assertThat(fsm.state()).isEqualTo(State.ACTIVE);
        assertThat(fsm.handle(new TcpConnected(false))).contains(new SendOpen());
        assertThat(fsm.state()).isEqualTo(State.OPEN_SENT);
    }

    @Test
    void connectRetryRedialsInConnectAndFromActive() {
        fsm.handle(new ManualStart(false));
        assertThat(fsm.handle(new TimerExpired(Timer.CONNECT_RETRY)))
                .containsExactly(
                        new Disconnect(), new StartTimer(Timer.CONNECT_RETRY, Duration.ofSeconds(120)), new Connect());
        fsm.handle(new TcpFailed());
        assertThat(fsm.state()).isEqualTo(State.ACTIVE);
        assertThat(fsm.handle(new TimerExpired(Timer.CONNECT_RETRY))).contains(new Connect());
        assertThat(fsm.state()).isEqualTo(State.CONNECT);
    }

    @Test
    void holdTimerExpiryResetsWithNotificationAndSchedulesARestart() {
        toEstablished();
        List<FsmAction> actions = fsm.handle(new TimerExpired(Timer.HOLD));
        assertThat(actions)
                .containsSubsequence(
                        new SendNotification(4, 0, new byte[0]),
                        new Disconnect(),
                        new StartTimer(Timer.IDLE_HOLD, Duration.ofSeconds(1)));
        assertThat(actions).anyMatch(a -> a instanceof Down d && d.reason().contains("hold timer expired"));
        assertThat(fsm.state()).isEqualTo(State.IDLE);
        assertThat(fsm.handle(new TimerExpired(Timer.IDLE_HOLD))).contains(new Connect());
    }

    @Test
    void sendHoldTimerExpiryResetsWithNotificationEightCountsAndSchedulesARestart() {
        toEstablished();
        int failures = fsm.connectRetryCounter();
        List<FsmAction> actions = fsm.handle(new SendHoldTimerExpired());
        assertThat(actions)
                .as("RFC 9687 §4")
                .containsSubsequence(
                        new SendNotification(8, 0, new byte[0]),
                        new Disconnect(),
                        new StartTimer(Timer.IDLE_HOLD, Duration.ofSeconds(1)));
        assertThat(actions).anyMatch(a -> a instanceof Down d && d.reason().contains("send hold timer expired"));
        assertThat(fsm.state()).isEqualTo(State.IDLE);
        assertThat(fsm.connectRetryCounter()).isEqualTo(failures + 1);
    }

    @Test
    void aFlappingPeerIsRestartedEverMoreSlowlyUpToTheCap() {
        fsm.handle(new ManualStart(false));
        List<Duration> delays = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            fsm.handle(new TcpConnected(true));
            delays.add(idleHoldOf(fsm.handle(new TcpFailed())).orElse(null));
            if (fsm.state() == State.ACTIVE) {
                // TcpFailed in OpenSent goes back to Active; fail once more to reach Idle
                delays.set(i, idleHoldOf(fsm.handle(new TcpFailed())).orElseThrow());
            }
            fsm.handle(new TimerExpired(Timer.IDLE_HOLD));
        }
        assertThat(delays.subList(0, 4))
                .containsExactly(
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));
        assertThat(delays.getLast()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void establishingResetsTheFailureCounter() {
        fsm.handle(new ManualStart(true));
        fsm.handle(new TcpFailed());
        fsm.handle(new TimerExpired(Timer.IDLE_HOLD));
        assertThat(fsm.connectRetryCounter()).isEqualTo(1);
        fsm.handle(new TcpConnected(false));
        fsm.handle(new OpenReceived(90));
        fsm.handle(new KeepaliveReceived());
        assertThat(fsm.connectRetryCounter()).isZero();
    }

    @Test
    void manualStopSendsAdministrativeShutdownAndNeverRestarts() {
        toEstablished();
        List<FsmAction> actions = fsm.handle(new ManualStop());
        assertThat(actions).startsWith(new SendNotification(6, 2, new byte[0]));
        assertThat(actions).noneMatch(a -> a instanceof StartTimer);
        assertThat(fsm.handle(new AutomaticStart(false))).isEmpty();
        assertThat(fsm.state()).isEqualTo(State.IDLE);
    }

    @Test
    void automaticStopCarriesItsCeaseSubcode() {
        toEstablished();
        byte[] data = {0, 1, 1, 0, 0, 0, 100};
        List<FsmAction> actions = fsm.handle(new AutomaticStop(1, data));
        assertThat(actions).startsWith(new SendNotification(6, 1, data));
        assertThat(actions)
                .as("no automatic restart after the speaker stopped the peer")
                .noneMatch(a -> a instanceof StartTimer);
        assertThat(fsm.handle(new AutomaticStart(false))).isEmpty();
    }

    @Test
    void unexpectedMessagesAreFsmErrorsWithTheStateSubcode() {
        toOpenSent();
        assertThat(fsm.handle(new UpdateReceived())).startsWith(new SendNotification(5, 1, new byte[0]));

        fsm.handle(new TimerExpired(Timer.IDLE_HOLD));
        fsm.handle(new TcpConnected(true));
        fsm.handle(new OpenReceived(90));
        assertThat(fsm.handle(new UpdateReceived())).startsWith(new SendNotification(5, 2, new byte[0]));

        fsm.handle(new TimerExpired(Timer.IDLE_HOLD));
        fsm.handle(new TcpConnected(true));
        fsm.handle(new OpenReceived(90));
        fsm.handle(new KeepaliveReceived());
        assertThat(fsm.handle(new OpenReceived(90))).startsWith(new SendNotification(5, 3, new byte[0]));
    }

    @Test
    void decodeErrorsSendTheCodecsNotification() {
        toEstablished();
        byte[] data = {0x40, 1, 1, 7};
        assertThat(fsm.handle(new MessageError(3, 1, data))).startsWith(new SendNotification(3, 1, data));
        assertThat(fsm.state()).isEqualTo(State.IDLE);
    }

    @Test
    void collisionDumpCeasesWithSubcodeSeven() {
        toOpenSent();
        fsm.handle(new OpenReceived(90));
        assertThat(fsm.handle(new OpenCollisionDump())).startsWith(new SendNotification(6, 7, new byte[0]));
    }

    @Test
    void anUnsupportedVersionNotificationDoesNotScheduleARestart() {
        toOpenSent();
        assertThat(fsm.handle(new NotificationReceived(2, 1, true))).noneMatch(a -> a instanceof StartTimer);
    }

    @Test
    void keepalivesAreSentOnTheTimerAndDeferredByUpdatesSent() {
        toEstablished();
        assertThat(fsm.handle(new TimerExpired(Timer.KEEPALIVE)))
                .containsExactly(new SendKeepalive(), new StartTimer(Timer.KEEPALIVE, Duration.ofSeconds(30)));
        assertThat(fsm.handle(new UpdateSent()))
                .containsExactly(new StartTimer(Timer.KEEPALIVE, Duration.ofSeconds(30)));
        assertThat(fsm.handle(new UpdateReceived()))
                .containsExactly(new StartTimer(Timer.HOLD, Duration.ofSeconds(90)));
    }

    @Test
    void staleTimerExpiriesAreIgnored() {
        toEstablished();
        assertThat(fsm.handle(new TimerExpired(Timer.CONNECT_RETRY))).isEmpty();
        assertThat(fsm.state()).isEqualTo(State.ESTABLISHED);
        fsm.handle(new ManualStop());
        assertThat(fsm.handle(new TimerExpired(Timer.KEEPALIVE))).isEmpty();
    }

    private static FsmTimers timers(Duration connectRetry, Duration hold, Duration idleBase, Duration idleMax) {
        return new FsmTimers(connectRetry, hold, Duration.ofSeconds(30), Duration.ofMinutes(4), idleBase, idleMax);
    }

    @Test
    void timersAreValidatedWithAClearMessage() {
        Duration s120 = Duration.ofSeconds(120);
        Duration s1 = Duration.ofSeconds(1);
        Duration m2 = Duration.ofMinutes(2);
        assertThatThrownBy(() -> timers(s120, Duration.ofSeconds(2), s1, m2))
                .hasMessageContaining("holdTime must be 0 or 3..65535 s, was 2 s");
        assertThatThrownBy(() -> timers(s120, Duration.ofSeconds(65536), s1, m2))
                .hasMessageContaining("was 65536 s");
        // RFC 4271 §4.2: zero, or three seconds and more
        assertThat(timers(s120, Duration.ZERO, s1, m2).holdTime()).isZero();
        assertThat(timers(s120, Duration.ofSeconds(3), s1, m2).holdTime()).hasSeconds(3);
        assertThat(timers(s120, Duration.ofSeconds(65535), s1, m2).holdTime()).hasSeconds(65535);
        assertThatThrownBy(() -> timers(Duration.ZERO, Duration.ofSeconds(90), s1, m2))
                .hasMessageContaining("connectRetry must be positive");
        assertThatThrownBy(() -> timers(Duration.ofSeconds(-1), Duration.ofSeconds(90), s1, m2))
                .hasMessageContaining("connectRetry must be positive");
        assertThat(timers(s120, Duration.ofSeconds(90), m2, m2).idleHoldMax()).isEqualTo(m2);
        assertThatThrownBy(() -> timers(s120, Duration.ofSeconds(90), m2, s1))
                .hasMessageContaining("idleHoldMax PT1S is below idleHoldBase PT2M");
    }

    @Test
    void theKeepaliveIsTheConfiguredOneUnlessAThirdOfTheHoldTimeIsShorter() {
        FsmTimers t = FsmTimers.defaults();
        assertThat(t.effectiveKeepalive(Duration.ofSeconds(90))).hasSeconds(30);
        assertThat(t.effectiveKeepalive(Duration.ofSeconds(60))).hasSeconds(20);
        assertThat(t.effectiveKeepalive(Duration.ofSeconds(240))).hasSeconds(30);
        assertThat(t.effectiveKeepalive(Duration.ZERO)).isZero();
        FsmTimers unset = new FsmTimers(
                Duration.ofSeconds(120),
                Duration.ofSeconds(90),
                Duration.ZERO,
                Duration.ofMinutes(4),
                Duration.ofSeconds(1),
                Duration.ofMinutes(2));
        assertThat(unset.effectiveKeepalive(Duration.ofSeconds(240)))
                .as("no keepalive configured: a third of the hold time")
                .hasSeconds(80);
        assertThat(t.negotiatedHold(30)).hasSeconds(30);
        assertThat(t.negotiatedHold(300)).hasSeconds(90);
        assertThat(t.negotiatedHold(0)).isZero();
    }

    @Test
    void notificationsToSendAreValuesThatOwnTheirData() {
        byte[] data = {0x40, 1, 1, 7};
        var n = new SendNotification(3, 1, data);
        data[0] = 0;
        assertThat(n.data()).containsExactly(0x40, 1, 1, 7);
        n.data()[1] = 9;
        assertThat(n.data()).containsExactly(0x40, 1, 1, 7);
        var same = new SendNotification(3, 1, new byte[] {0x40, 1, 1, 7});
        assertThat(n).isEqualTo(same).hasSameHashCodeAs(same).hasToString("SendNotification[3/1, 40010107]");
        assertThat(n).isNotEqualTo(new SendNotification(3, 1, new byte[] {0x40, 1, 1, 8}));
        assertThat(n).isNotEqualTo(new SendNotification(3, 2, new byte[] {0x40, 1, 1, 7}));
        assertThat(n).isNotEqualTo(new SendNotification(2, 1, new byte[] {0x40, 1, 1, 7}));
        assertThat(n).isNotEqualTo(new SendKeepalive());
        assertThat(new SendNotification(3, 1, new byte[0]).hashCode())
                .isNotEqualTo(new SendNotification(1, 3, new byte[0]).hashCode());
    }

    private void toOpenSent() {
        fsm.handle(new ManualStart(false));
        fsm.handle(new TcpConnected(true));
    }

    private void toEstablished() {
        toOpenSent();
        fsm.handle(new OpenReceived(90));
        fsm.handle(new KeepaliveReceived());
        assertThat(fsm.state()).isEqualTo(State.ESTABLISHED);
    }

    private static Optional<Duration> idleHoldOf(List<FsmAction> actions) {
        return actions.stream()
                .filter(a -> a instanceof StartTimer s && s.timer() == Timer.IDLE_HOLD)
                .map(a -> ((StartTimer) a).after())
                .findFirst();
    }
}
