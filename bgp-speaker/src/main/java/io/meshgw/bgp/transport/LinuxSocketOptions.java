package io.meshgw.bgp.transport;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The socket options BGP security needs and Java does not expose, set with {@code setsockopt}
 * through FFM on a socket's descriptor: TCP-MD5 signatures (RFC 2385) and GTSM (RFC 5082).
 * Failures name the option and carry the errno text.
 */
public final class LinuxSocketOptions {

    private static final int SOL_SOCKET = 1;
    private static final int SO_DOMAIN = 39;
    private static final int IPPROTO_IP = 0;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IP_TTL = 2;
    private static final int IP_MINTTL = 21;
    private static final int IPV6_UNICAST_HOPS = 16;
    private static final int IPV6_MINHOPCOUNT = 73;
    private static final int TCP_MD5SIG = 14;
    private static final int TCP_MD5SIG_MAXKEYLEN = 80;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    /** struct tcp_md5sig: sockaddr_storage(128), flags, prefixlen, keylen(u16), ifindex, key[80]. */
    private static final long MD5SIG_SIZE = 216;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SETSOCKOPT = LINKER.downcallHandle(
            LINKER.defaultLookup().find("setsockopt").orElseThrow(),
            FunctionDescriptor.of(
                    ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS,
                    ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle GETSOCKOPT = LINKER.downcallHandle(
            LINKER.defaultLookup().find("getsockopt").orElseThrow(),
            FunctionDescriptor.of(
                    ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(ValueLayout.JAVA_BYTE), ValueLayout.JAVA_INT));

    private LinuxSocketOptions() {}

    /**
     * Installs (or, with an empty key, removes) the TCP-MD5 key for {@code peer} on the socket.
     * On a listening socket this must happen before the peer connects: the kernel drops
     * unsigned or wrongly signed segments silently, which is the point.
     */
    public static void setMd5Key(int fd, InetAddress peer, byte[] key) {
        if (key.length > TCP_MD5SIG_MAXKEYLEN) {
            throw new IllegalArgumentException(
                    "TCP-MD5 key is " + key.length + " bytes; the kernel takes at most " + TCP_MD5SIG_MAXKEYLEN);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sig = arena.allocate(MD5SIG_SIZE, 8);
            writeSockaddr(sig, peer, socketFamily(arena, fd));
            sig.set(ValueLayout.JAVA_SHORT_UNALIGNED, 130, (short) key.length); // tcpm_keylen
            MemorySegment.copy(key, 0, sig, ValueLayout.JAVA_BYTE, 136, key.length); // tcpm_key
            setsockopt(arena, fd, IPPROTO_TCP, TCP_MD5SIG, sig, "TCP_MD5SIG for " + peer.getHostAddress());
        }
    }

    /**
     * GTSM (RFC 5082 §3): send with TTL/hop limit 255 and accept only packets whose TTL shows they
     * crossed at most {@code hops} routers ({@code 1} for a directly connected peer).
     */
    public static void setGtsm(int fd, boolean ipv6, int hops) {
        if (hops < 1 || hops > 254) {
            throw new IllegalArgumentException("GTSM hop count must be 1..254, was " + hops);
        }
        int minTtl = 256 - hops;
        try (Arena arena = Arena.ofConfined()) {
            if (ipv6) {
                setInt(arena, fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 255, "IPV6_UNICAST_HOPS");
                setInt(arena, fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, minTtl, "IPV6_MINHOPCOUNT");
            } else {
                setInt(arena, fd, IPPROTO_IP, IP_TTL, 255, "IP_TTL");
                setInt(arena, fd, IPPROTO_IP, IP_MINTTL, minTtl, "IP_MINTTL");
            }
        }
    }

    /** Sets the outgoing TTL, e.g. for eBGP multihop. */
    public static void setTtl(int fd, boolean ipv6, int ttl) {
        try (Arena arena = Arena.ofConfined()) {
            if (ipv6) {
                setInt(arena, fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl, "IPV6_UNICAST_HOPS");
            } else {
                setInt(arena, fd, IPPROTO_IP, IP_TTL, ttl, "IP_TTL");
            }
        }
    }

    /** Reads IP_MINTTL (or IPV6_MINHOPCOUNT), for checks and diagnostics. */
    public static int minTtl(int fd, boolean ipv6) {
        try (Arena arena = Arena.ofConfined()) {
            return ipv6
                    ? getInt(arena, fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, "IPV6_MINHOPCOUNT")
                    : getInt(arena, fd, IPPROTO_IP, IP_MINTTL, "IP_MINTTL");
        }
    }

    /**
     * The key's address must be of the socket's family: a dual-stack (AF_INET6) socket talking
     * to an IPv4 peer needs the IPv4-mapped form ::ffff:a.b.c.d, else the kernel says EINVAL.
     */
    private static void writeSockaddr(MemorySegment sig, InetAddress peer, int socketFamily) {
        if (peer instanceof Inet6Address v6) {
            sig.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) AF_INET6);
            MemorySegment.copy(v6.getAddress(), 0, sig, ValueLayout.JAVA_BYTE, 8, 16);
            sig.set(ValueLayout.JAVA_INT_UNALIGNED, 24, v6.getScopeId());
        } else if (socketFamily == AF_INET6) {
            sig.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) AF_INET6);
            sig.set(ValueLayout.JAVA_SHORT_UNALIGNED, 18, (short) -1); // bytes 10-11 of the address: 0xffff
            MemorySegment.copy(peer.getAddress(), 0, sig, ValueLayout.JAVA_BYTE, 20, 4);
        } else {
            sig.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) AF_INET);
            MemorySegment.copy(peer.getAddress(), 0, sig, ValueLayout.JAVA_BYTE, 4, 4);
        }
    }

    private static int socketFamily(Arena arena, int fd) {
        return getInt(arena, fd, SOL_SOCKET, SO_DOMAIN, "SO_DOMAIN");
    }

    private static int getInt(Arena arena, int fd, int level, int name, String what) {
        MemorySegment val = arena.allocate(ValueLayout.JAVA_INT);
        MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
        len.set(ValueLayout.JAVA_INT, 0, 4);
        MemorySegment state = arena.allocate(CALL_STATE);
        int rc;
        try {
            rc = (int) GETSOCKOPT.invokeExact(state, fd, level, name, val, len);
        } catch (Throwable t) {
            throw new IllegalStateException("getsockopt(" + what + ") could not be called", t);
        }
        if (rc != 0) {
            throw failure("getsockopt(" + what + ")", fd, (int) ERRNO.get(state, 0L));
        }
        return val.get(ValueLayout.JAVA_INT, 0);
    }

    private static void setInt(Arena arena, int fd, int level, int name, int value, String what) {
        MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
        v.set(ValueLayout.JAVA_INT, 0, value);
        setsockopt(arena, fd, level, name, v, what + "=" + value);
    }

    private static void setsockopt(Arena arena, int fd, int level, int name, MemorySegment value, String what) {
        MemorySegment state = arena.allocate(CALL_STATE);
        int rc;
        try {
            rc = (int) SETSOCKOPT.invokeExact(state, fd, level, name, value, (int) value.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException("setsockopt(" + what + ") could not be called", t);
        }
        if (rc != 0) {
            throw failure("setsockopt(" + what + ")", fd, (int) ERRNO.get(state, 0L));
        }
    }

    private static IllegalStateException failure(String call, int fd, int errno) {
        String text;
        try {
            text = ((MemorySegment) STRERROR.invokeExact(errno))
                    .reinterpret(256)
                    .getString(0);
        } catch (Throwable t) {
            text = "errno " + errno;
        }
        return new IllegalStateException(call + " on socket " + fd + " failed: " + text + " (errno " + errno + ")");
    }
}
