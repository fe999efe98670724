package io.meshgw.bpf.fib;

import io.meshgw.types.IpFamily;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * meshgw's routes in one kernel routing table, over rtnetlink: a NETLINK_ROUTE socket in the network namespace of
 * the thread that opens it. Reads dump the table and keep the routes of meshgw's protocol; writes go in datagrams of
 * {@link FibOptions#batch} requests, of which only the last asks for an acknowledgement (the kernel answers every
 * refused request anyway, in order), so a datagram costs one round trip. Not thread-safe.
 */
public final class KernelFib implements Fib {

    private static final Logger LOG = LoggerFactory.getLogger(KernelFib.class);
    private static final int BUFFER_BYTES = 256 * 1024;
    /** Room left in a datagram for one more request: a route with 64 IPv6 next hops is under 2 KiB. */
    private static final int REQUEST_ROOM = 4096;

    private static final int ESRCH = 3;
    private static final int ENOENT = 2;
    private static final int EAFNOSUPPORT = 97;

    private final NetlinkSocket socket;
    private final FibOptions options;
    private final ByteBuffer out = Netlink.buffer(BUFFER_BYTES);
    private int seq = (int) (System.nanoTime() & 0x3FFF_FFFF);
    private long paceStartNanos = System.nanoTime();
    private long pacedChanges;

    private KernelFib(NetlinkSocket socket, FibOptions options) {
        this.socket = socket;
        this.options = options;
    }

    /**
     * Opens the table of {@code options} in the calling thread's network namespace. Routes of meshgw's protocol there
     * with another metric (a previous configuration's) are removed: they cannot be replaced in place.
     */
    public static KernelFib open(FibOptions options) {
        KernelFib fib = new KernelFib(new NetlinkSocket(BUFFER_BYTES), options);
        try {
            List<RouteMessage> otherMetric = fib.dump().stream()
                    .filter(m -> m.metric() != options.metric())
                    .toList();
            if (!otherMetric.isEmpty()) {
                LOG.info(
                        "removing {} route(s) of protocol {} with a metric other than {}",
                        otherMetric.size(),
                        options.protocol(),
                        options.metric());
                fib.removeExactly(otherMetric);
            }
        } catch (RuntimeException e) {
            fib.close();
            throw e;
        }
        return fib;
    }

    public FibOptions options() {
        return options;
    }

    @Override
    public List<KernelRoute> read() {
        List<KernelRoute> out = new ArrayList<>();
        for (RouteMessage m : dump()) {
            if (m.metric() == options.metric()) {
                try {
                    out.add(new KernelRoute(m.destination(), m.gateways()));
                } catch (IllegalArgumentException e) {
                    LOG.warn(
                            "route to {} of protocol {} not understood, left alone: {}",
                            m.destination(),
                            options.protocol(),
                            e.getMessage());
                }
            }
        }
        return out;
    }

    /** The unicast routes with gateways of meshgw's protocol in the table, every metric. */
    private List<RouteMessage> dump() {
        List<RouteMessage> found = new ArrayList<>();
        for (IpFamily family : IpFamily.values()) {
            out.clear();
            int s = nextSeq();
            RouteMessage.writeDump(out, family, options.table(), options.protocol(), s);
            out.flip();
            socket.send(out);
            boolean done = false;
            while (!done) {
                ByteBuffer in = socket.receive();
                Optional<Netlink.Message> next;
                while (!done && (next = Netlink.Message.next(in)).isPresent()) {
                    Netlink.Message m = next.get();
                    if (m.seq() != s) {
                        continue; // an answer to an earlier request given up on
                    }
                    switch (m.type()) {
                        case Netlink.NLMSG_DONE -> done = true;
                        case Netlink.NLMSG_ERROR -> {
                            int errno = m.errno();
                            if (errno != 0 && errno != ENOENT && errno != EAFNOSUPPORT) {
                                throw new NetlinkException(
                                        "RTM_GETROUTE dump of table " + options.table() + " (" + family + ")",
                                        errno,
                                        NetlinkSocket.strerror(errno)
                                                + m.kernelText()
                                                        .map(t -> ": " + t)
                                                        .orElse(""));
                            }
                            done = true; // ENOENT: the table does not exist yet; EAFNOSUPPORT: IPv6 is off
                        }
                        case RouteMessage.RTM_NEWROUTE ->
                            RouteMessage.read(m.body())
                                    .filter(r -> r.protocol() == options.protocol()
                                            && Integer.toUnsignedLong(r.table()) == options.table()
                                            && r.type() == RouteMessage.RTN_UNICAST
                                            && !r.gateways().isEmpty())
                                    .ifPresent(found::add);
                        default -> {}
                    }
                }
            }
        }
        return found;
    }

    @Override
    public List<RouteFailure> apply(List<RouteChange> changes) {
        List<RouteFailure> failures = new ArrayList<>();
        int i = 0;
        while (i < changes.size()) {
            out.clear();
            int first = seq + 1;
            int n = 0;
            while (i + n < changes.size() && n < options.batch() && out.remaining() > REQUEST_ROOM) {
                write(changes.get(i + n), nextSeq());
                n++;
            }
            int lastSeq = seq;
            markLastForAck(n);
            out.flip();
            pace(n);
            socket.send(out);
            collect(changes.subList(i, i + n), first, lastSeq, failures);
            i += n;
        }
        return failures;
    }

    private void write(RouteChange change, int s) {
        int flags = Netlink.NLM_F_REQUEST;
        switch (change) {
            case RouteChange.Add a ->
                RouteMessage.of(a.route(), options.table(), options.protocol(), options.metric())
                        .write(out, RouteMessage.RTM_NEWROUTE, flags | Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, s);
            case RouteChange.Replace r ->
                RouteMessage.of(r.route(), options.table(), options.protocol(), options.metric())
                        .write(out, RouteMessage.RTM_NEWROUTE, flags | Netlink.NLM_F_CREATE | Netlink.NLM_F_REPLACE, s);
            case RouteChange.Remove d ->
                new RouteMessage(
                                d.destination(),
                                (int) options.table(),
                                options.protocol(),
                                options.metric(),
                                RouteMessage.RTN_UNICAST,
                                List.of())
                        .write(out, RouteMessage.RTM_DELROUTE, flags, s);
        }
    }

    /** Sets NLM_F_ACK on the last request written (the n-th), found by walking the lengths. */
    private void markLastForAck(int n) {
        int at = 0;
        for (int k = 0; k < n - 1; k++) {
            at += Netlink.align(out.getInt(at));
        }
        short flags = out.getShort(at + 6);
        out.putShort(at + 6, (short) (flags | Netlink.NLM_F_ACK));
    }

    /** Reads answers until the acknowledgement of {@code lastSeq}; every refusal before it becomes a failure. */
    private void collect(List<RouteChange> sent, int firstSeq, int lastSeq, List<RouteFailure> failures) {
        while (true) {
            ByteBuffer in = socket.receive();
            Optional<Netlink.Message> next;
            while ((next = Netlink.Message.next(in)).isPresent()) {
                Netlink.Message m = next.get();
                if (m.type() != Netlink.NLMSG_ERROR) {
                    continue;
                }
                int index = (m.seq() - firstSeq) & 0x7FFF_FFFF;
                if (index >= sent.size()) {
                    continue;
                }
                int errno = m.errno();
                RouteChange c = sent.get(index);
                if (errno != 0 && !(errno == ESRCH && c instanceof RouteChange.Remove)) {
                    failures.add(new RouteFailure(
                            c,
                            errno,
                            RouteFailure.errnoName(errno) + " "
                                    + NetlinkSocket.strerror(errno)
                                    + m.kernelText().map(t -> ": " + t).orElse("")));
                }
                if (m.seq() == lastSeq) {
                    return;
                }
            }
        }
    }

    /** Removes exactly these routes (each with its own metric). */
    private void removeExactly(List<RouteMessage> routes) {
        for (RouteMessage m : routes) {
            out.clear();
            int s = nextSeq();
            new RouteMessage(m.destination(), m.table(), m.protocol(), m.metric(), m.type(), List.of())
                    .write(out, RouteMessage.RTM_DELROUTE, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, s);
            out.flip();
            socket.send(out);
            List<RouteFailure> failures = new ArrayList<>();
            collect(List.of(new RouteChange.Remove(m.destination())), s, s, failures);
            failures.forEach(
                    f -> LOG.warn("could not remove {} (metric {}): {}", m.destination(), m.metric(), f.reason()));
        }
    }

    /** Waits, when a rate is set, until {@code n} more changes keep within it. */
    private void pace(int n) {
        if (options.maxChangesPerSecond() == 0) {
            return;
        }
        long second = TimeUnit.SECONDS.toNanos(1);
        long due = paceStartNanos + pacedChanges * second / options.maxChangesPerSecond();
        if (System.nanoTime() - due > second) {
            paceStartNanos = System.nanoTime(); // idle a while: the credit it left is not spent in one burst
            pacedChanges = 0;
            due = paceStartNanos;
        }
        while (due - System.nanoTime() > 0) {
            LockSupport.parkNanos(due - System.nanoTime());
        }
        pacedChanges += n;
    }

    private int nextSeq() {
        seq = (seq + 1) & 0x7FFF_FFFF;
        return seq;
    }

    @Override
    public void close() {
        socket.close();
    }
}
