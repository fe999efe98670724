package io.meshgw.bpf.fib;

import io.meshgw.bpf.libbpf.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;

/**
 * A NETLINK_ROUTE socket through libc (Panama FFM): opened in the calling thread's network namespace and bound to
 * it for its life, whichever thread uses it later. Not thread-safe; one owner sends requests and reads their answers.
 */
final class NetlinkSocket implements AutoCloseable {

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_NETLINK = 270;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int SO_SNDBUF = 7;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int NETLINK_EXT_ACK = 11;
    private static final int NETLINK_GET_STRICT_CHK = 12;
    private static final int EINTR = 4;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final MethodHandle SOCKET = libc("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle BIND = libc("bind", FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, INT));
    private static final MethodHandle SETSOCKOPT =
            libc("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, ValueLayout.ADDRESS, INT));
    private static final MethodHandle SEND =
            libc("send", FunctionDescriptor.of(LONG, INT, ValueLayout.ADDRESS, LONG, INT));
    private static final MethodHandle RECV =
            libc("recv", FunctionDescriptor.of(LONG, INT, ValueLayout.ADDRESS, LONG, INT));
    private static final MethodHandle CLOSE = libc("close", FunctionDescriptor.of(INT, INT));

    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = Libc.callState(arena);
    private final MemorySegment io;
    private final int fd;

    /** Opens and binds a socket in the calling thread's network namespace, with room for {@code bufferBytes}. */
    NetlinkSocket(int bufferBytes) {
        this.io = arena.allocate(bufferBytes, 8);
        int s;
        try {
            s = (int) SOCKET.invokeExact(state, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        } catch (Throwable t) {
            arena.close();
            throw new NetlinkException("socket(AF_NETLINK) could not be called: " + t);
        }
        if (s < 0) {
            int errno = errno();
            arena.close();
            throw new NetlinkException("socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)", errno, strerror(errno));
        }
        this.fd = s;
        try {
            MemorySegment addr = arena.allocate(12, 4); // sockaddr_nl: family, pad, pid 0 (the kernel picks), groups 0
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
            check("bind(AF_NETLINK)", (int) BIND.invokeExact(state, fd, addr, 12));
            // Errors carry the kernel's text (which next hop, why) and not the whole request back.
            option(SOL_NETLINK, NETLINK_EXT_ACK, 1, false);
            option(SOL_NETLINK, NETLINK_CAP_ACK, 1, false);
            option(SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1, false);
            option(SOL_SOCKET, SO_SNDBUF, bufferBytes, false);
            option(SOL_SOCKET, SO_RCVBUF, 4 * bufferBytes, false);
        } catch (Throwable t) {
            close();
            throw t instanceof NetlinkException n ? n : new NetlinkException("bind(AF_NETLINK): " + t);
        }
    }

    private void option(int level, int name, int value, boolean required) throws Throwable {
        MemorySegment v = arena.allocate(INT);
        v.set(INT, 0, value);
        int rc = (int) SETSOCKOPT.invokeExact(state, fd, level, name, v, 4);
        if (rc < 0 && required) {
            check("setsockopt(" + name + ")", rc);
        }
    }

    /** Sends the bytes of {@code request} from its position to its limit, in one datagram. */
    void send(ByteBuffer request) {
        int n = request.remaining();
        if (n > io.byteSize()) {
            throw new NetlinkException("a netlink request of " + n + " bytes exceeds the " + io.byteSize() + " buffer");
        }
        MemorySegment.copy(MemorySegment.ofBuffer(request), 0, io, 0, n);
        long sent;
        do {
            try {
                sent = (long) SEND.invokeExact(state, fd, io, (long) n, 0);
            } catch (Throwable t) {
                throw new NetlinkException("send(netlink) could not be called: " + t);
            }
        } while (sent < 0 && errno() == EINTR);
        if (sent < 0) {
            int errno = errno();
            throw new NetlinkException("send(netlink, " + n + " bytes)", errno, strerror(errno));
        }
        request.position(request.limit());
    }

    /** Receives one datagram (one or more netlink messages) into a buffer that holds it, in native byte order. */
    ByteBuffer receive() {
        long got;
        do {
            try {
                got = (long) RECV.invokeExact(state, fd, io, io.byteSize(), 0);
            } catch (Throwable t) {
                throw new NetlinkException("recv(netlink) could not be called: " + t);
            }
        } while (got < 0 && errno() == EINTR);
        if (got < 0) {
            int errno = errno();
            throw new NetlinkException("recv(netlink)", errno, strerror(errno));
        }
        ByteBuffer out = ByteBuffer.allocate((int) got).order(java.nio.ByteOrder.nativeOrder());
        MemorySegment.copy(io, 0, MemorySegment.ofBuffer(out), 0, got);
        return out;
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            // our own descriptor; nothing useful to do
        }
        arena.close();
    }

    private void check(String call, int rc) {
        if (rc < 0) {
            int errno = errno();
            throw new NetlinkException(call, errno, strerror(errno));
        }
    }

    private int errno() {
        return Libc.errno(state);
    }

    /** The C library's text for {@code errno}. */
    static String strerror(int errno) {
        return Libc.strerror(errno);
    }

    private static MethodHandle libc(String name, FunctionDescriptor fd) {
        return Libc.function(name, fd);
    }
}
