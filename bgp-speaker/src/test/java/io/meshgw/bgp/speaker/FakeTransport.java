package io.meshgw.bgp.speaker;

import io.meshgw.bgp.transport.Acceptor;
import io.meshgw.bgp.transport.Cancellable;
import io.meshgw.bgp.transport.ConnectionListener;
import io.meshgw.bgp.transport.DialOutcome;
import io.meshgw.bgp.transport.DialRequest;
import io.meshgw.bgp.transport.TcpConnection;
import io.meshgw.bgp.transport.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-memory {@link Transport}: the test thread is the speaker's thread, queued tasks run when
 * the test says so, time moves only when the test advances it, and connections are pairs of
 * byte queues the test reads and writes.
 */
final class FakeTransport implements Transport {

    /** A dial the speaker asked for, waiting for the test to let it connect or fail. */
    record Dial(DialRequest request, DialOutcome outcome) {}

    private record Scheduled(long due, long seq, Runnable task, boolean[] cancelled) {}

    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final PriorityQueue<Scheduled> timers =
            new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private final List<Dial> dials = new ArrayList<>();
    final Map<InetAddress, Optional<String>> listenerKeys = new HashMap<>();
    private Acceptor acceptor;
    private long now;
    private long seq;
    private ExecutorService ownThread;
    private volatile Thread loopThread;
    int listenedPort = -1;
    RuntimeException listenFailure;
    boolean closed;

    /** From now on queued tasks run at once on a thread of their own, as on a real transport. */
    void runOnOwnThread() {
        ownThread = Executors.newSingleThreadExecutor(r -> loopThread = new Thread(r, "fake-loop"));
    }

    @Override
    public boolean inLoop() {
        return ownThread == null || Thread.currentThread() == loopThread;
    }

    @Override
    public void execute(Runnable task) {
        if (ownThread != null) {
            ownThread.execute(task);
        } else {
            tasks.add(task);
        }
    }

    /** As {@link #execute}: there is no I/O to go before it. */
    @Override
    public void defer(Runnable task) {
        execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        boolean[] cancelled = {false};
        timers.add(new Scheduled(now + delay.toMillis(), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public int listen(InetAddress address, int port, Acceptor acceptor) {
        if (listenFailure != null) {
            throw listenFailure;
        }
        this.acceptor = acceptor;
        listenedPort = port;
        return port;
    }

    @Override
    public void listenerMd5Key(InetAddress peer, Optional<String> password) {
        listenerKeys.put(peer, password);
    }

    @Override
    public void dial(DialRequest request, DialOutcome outcome) {
        dials.add(new Dial(request, outcome));
    }

    @Override
    public void close() {
        closed = true;
        if (ownThread != null) {
            ownThread.shutdown();
        }
    }

    /** Timers scheduled and neither run nor cancelled. */
    long pendingTimers() {
        return timers.stream().filter(s -> !s.cancelled[0]).count();
    }

    /** Runs queued tasks, and the ones they queue, until none is left. */
    void runPending() {
        Runnable t;
        while ((t = tasks.poll()) != null) {
            t.run();
        }
    }

    /** Moves time on, running every timer that falls due (and what it queues) in order. */
    void advance(Duration d) {
        long until = now + d.toMillis();
        runPending();
        while (!timers.isEmpty() && timers.peek().due <= until) {
            Scheduled s = timers.poll();
            now = s.due;
            if (!s.cancelled[0]) {
                s.task.run();
                runPending();
            }
        }
        now = until;
    }

    /** The dials asked for and not yet answered, oldest first; answering removes them. */
    List<Dial> dials() {
        return List.copyOf(dials);
    }

    /** Answers the oldest dial with a connection from {@code local}. */
    FakeConnection connectDial(String local) {
        Dial d = dials.removeFirst();
        FakeConnection c = new FakeConnection(
                this, d.request().remote(), new InetSocketAddress(InetAddress.ofLiteral(local), 40000));
        d.outcome().connected(c);
        runPending();
        return c;
    }

    /** Answers the oldest dial with a failure. */
    void failDial(String why) {
        dials.removeFirst().outcome().failed(why);
        runPending();
    }

    /** A neighbor at {@code remote} connects to the listening socket at {@code local}. */
    FakeConnection connectInbound(String remote, String local) {
        FakeConnection c = new FakeConnection(
                this,
                new InetSocketAddress(InetAddress.ofLiteral(remote), 40001),
                new InetSocketAddress(InetAddress.ofLiteral(local), 179));
        acceptor.accepted(c);
        runPending();
        return c;
    }

    /** One connection: what the speaker wrote, and a way to feed it bytes or end it. */
    static final class FakeConnection implements TcpConnection {
        private final FakeTransport transport;
        private final InetSocketAddress remote;
        private final InetSocketAddress local;
        private final List<byte[]> written = new ArrayList<>();
        private ConnectionListener listener;
        private boolean closed;
        private boolean aborted;
        private boolean writable = true;
        OptionalInt gtsmHops = OptionalInt.empty();
        OptionalInt ttl = OptionalInt.empty();

        FakeConnection(FakeTransport transport, InetSocketAddress remote, InetSocketAddress local) {
            this.transport = transport;
            this.remote = remote;
            this.local = local;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public InetSocketAddress localAddress() {
            return local;
        }

        @Override
        public void attach(ConnectionListener listener) {
            this.listener = listener;
        }

        @Override
        public void requireGtsm(int hops) {
            gtsmHops = OptionalInt.of(hops);
        }

        @Override
        public void ttl(int v) {
            ttl = OptionalInt.of(v);
        }

        @Override
        public void write(byte[] bytes) {
            if (closed) {
                throw new IllegalStateException("write after close");
            }
            written.add(bytes.clone());
        }

        /** As a socket: the close completes, and is reported, later on the loop. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                transport.execute(() -> {
                    if (listener != null) {
                        listener.closed();
                    }
                });
            }
        }

        @Override
        public boolean writable() {
            return writable;
        }

        @Override
        public void abort() {
            aborted = true;
            close();
        }

        boolean closed() {
            return closed;
        }

        /** Closed with a reset, dropping what was queued. */
        boolean aborted() {
            return aborted;
        }

        /**
         * The neighbor stops reading ({@code false}: our queue to it is above its high watermark) or has
         * drained it again ({@code true}); the speaker is told, as a socket would tell it.
         */
        void writable(boolean w) {
            if (w != writable) {
                writable = w;
                listener.writabilityChanged(w);
                transport.runPending();
            }
        }

        /** Takes what the speaker wrote since the last call, one message per write. */
        List<byte[]> takeWritten() {
            List<byte[]> out = List.copyOf(written);
            written.clear();
            return out;
        }

        /** The neighbor sends {@code bytes}; the speaker's work they cause runs too. */
        void deliver(byte[] bytes) {
            listener.received(bytes);
            transport.runPending();
        }

        /** The neighbor's side goes away without a word. */
        void drop() {
            closed = true;
            listener.closed();
            transport.runPending();
        }

        /** The connection fails, as an I/O error would make it. */
        void fail(Throwable cause) {
            listener.failed(cause);
            drop();
        }
    }
}
