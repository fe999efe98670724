package io.meshgw.bgp.transport;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * Where BGP sessions get their TCP connections and the one thread they run on. Every callback
 * (an accepted connection, a dial's outcome, received bytes, a scheduled task) runs on that
 * thread, so the state behind them needs no locks. {@link EpollTransport} is the real one; tests
 * drive the speaker through an in-memory one.
 */
public interface Transport extends AutoCloseable {

    /** Whether the caller runs on the transport's thread. */
    boolean inLoop();

    /** Runs {@code task} on the thread after the work already queued there. */
    void execute(Runnable task);

    /**
     * Runs {@code task} on the thread after the I/O and the timers that are due by then: for long
     * work done in parts, so every other connection and timer is served between two parts. (Tasks
     * queued with {@link #execute} while the queue is being run are run in the same pass.)
     */
    void defer(Runnable task);

    /** Runs {@code task} on the thread once {@code delay} has passed, unless it is cancelled first. */
    Cancellable schedule(Runnable task, Duration delay);

    /**
     * Accepts connections on {@code address} (null: every local address) and {@code port}; each
     * one is handed to {@code acceptor} on the thread.
     *
     * @return the port listened on, the system's choice when {@code port} is 0
     * @throws IllegalStateException when the socket cannot be bound
     */
    int listen(InetAddress address, int port, Acceptor acceptor);

    /**
     * Installs the TCP-MD5 key (RFC 2385) for connections from {@code peer} on the listening socket,
     * or removes it when {@code password} is empty. Does nothing when not listening.
     */
    void listenerMd5Key(InetAddress peer, Optional<String> password);

    /** Opens a connection as {@code request} says; {@code outcome} learns, on the thread, how it went. */
    void dial(DialRequest request, DialOutcome outcome);

    /** Stops listening, lets queued writes go out and ends the thread. */
    @Override
    void close();
}
