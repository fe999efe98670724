package io.meshgw.bgp.speaker;

import io.meshgw.bgp.fsm.Timer;
import io.meshgw.bgp.transport.Cancellable;
import io.meshgw.bgp.transport.Transport;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/** The FSM timers of one session as tasks on the transport's thread, at most one per timer. */
final class RunningTimers {

    private final Transport transport;
    private final Consumer<Timer> expired;
    private final Map<Timer, Cancellable> running = new EnumMap<>(Timer.class);
    private boolean closed;

    /** @param expired told when a timer runs out */
    RunningTimers(Transport transport, Consumer<Timer> expired) {
        this.transport = transport;
        this.expired = expired;
    }

    /** Starts {@code timer}, or restarts it when it runs; nothing once closed. */
    void start(Timer timer, Duration after) {
        stop(timer);
        if (!closed) {
            running.put(timer, transport.schedule(() -> expired.accept(timer), after));
        }
    }

    void stop(Timer timer) {
        Cancellable c = running.remove(timer);
        if (c != null) {
            c.cancel();
        }
    }

    /** Stops every timer for good: the session will not start again, so nothing is left to time. */
    void close() {
        closed = true;
        running.values().forEach(Cancellable::cancel);
        running.clear();
    }
}
