package io.meshgw.bpf.datapath;

import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.ThreadNetns;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An AF_PACKET socket on one interface of a namespace (packet(7)): sends crafted Ethernet frames as they are and
 * reads the frames that arrive, for tests that need packets an ordinary socket cannot make (spoofed sources, other
 * IP protocols, IPv6 from an IPv4-only host) to go through the kernel.
 */
final class PacketSocket implements AutoCloseable {

    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    private static final short ETH_P_ALL_BE = 0x0300; // htons(ETH_P_ALL)
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int PACKET_OUTGOING = 4;
    private static final int SOCKADDR_LL = 20;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final MethodHandle SOCKET = libc("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle BIND = libc("bind", FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, INT));
    private static final MethodHandle SETSOCKOPT =
            libc("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, ValueLayout.ADDRESS, INT));
    private static final MethodHandle SEND =
            libc("send", FunctionDescriptor.of(LONG, INT, ValueLayout.ADDRESS, LONG, INT));
    private static final MethodHandle RECVFROM = libc(
            "recvfrom",
            FunctionDescriptor.of(LONG, INT, ValueLayout.ADDRESS, LONG, INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle CLOSE = libc("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle IF_NAMETOINDEX =
            libc("if_nametoindex", FunctionDescriptor.of(INT, ValueLayout.ADDRESS));

    private final int fd;
    private final byte[] mac;

    private PacketSocket(int fd, byte[] mac) {
        this.fd = fd;
        this.mac = mac;
    }

    private static MethodHandle libc(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd);
    }

    /** A socket on {@code ifName} of {@code ns} that sends frames and receives every frame arriving there. */
    static PacketSocket open(NetNs ns, String ifName) {
        byte[] mac = HexFormat.ofDelimiter(":")
                .parseHex(ns.exec("cat", "/sys/class/net/" + ifName + "/address")
                        .check()
                        .stdout()
                        .strip());
        int fd = ThreadNetns.call(ns, () -> {
            try (Arena a = Arena.ofConfined()) {
                int ifindex = (int) IF_NAMETOINDEX.invokeExact(a.allocateFrom(ifName));
                if (ifindex == 0) {
                    throw new IllegalStateException("no interface " + ifName + " in " + ns.name());
                }
                int s = (int) SOCKET.invokeExact(AF_PACKET, SOCK_RAW, (int) ETH_P_ALL_BE);
                if (s < 0) {
                    throw new IllegalStateException("socket(AF_PACKET) failed in " + ns.name());
                }
                MemorySegment sll = a.allocate(SOCKADDR_LL, 4);
                sll.set(ValueLayout.JAVA_SHORT, 0, (short) AF_PACKET);
                sll.set(ValueLayout.JAVA_SHORT, 2, ETH_P_ALL_BE);
                sll.set(INT, 4, ifindex);
                if ((int) BIND.invokeExact(s, sll, SOCKADDR_LL) != 0) {
                    int ignored = (int) CLOSE.invokeExact(s);
                    throw new IllegalStateException("bind(AF_PACKET) to " + ifName + " failed in " + ns.name());
                }
                return s;
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        });
        return new PacketSocket(fd, mac);
    }

    /** The interface's own MAC address. */
    byte[] mac() {
        return mac.clone();
    }

    /** Sends {@code frame} from this interface to the MAC address {@code dst} (the frame's own MACs are replaced). */
    void send(byte[] frame, byte[] dst) {
        byte[] f = frame.clone();
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(mac, 0, f, 6, 6);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(f.length);
            MemorySegment.copy(f, 0, buf, ValueLayout.JAVA_BYTE, 0, f.length);
            long n = (long) SEND.invokeExact(fd, buf, (long) f.length, 0);
            if (n != f.length) {
                throw new IllegalStateException("send on a packet socket returned " + n);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The frames that arrived (not those sent from here) until {@code window} has passed. */
    List<byte[]> received(Duration window) {
        List<byte[]> out = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tv = a.allocate(16, 8);
            MemorySegment buf = a.allocate(65536);
            MemorySegment from = a.allocate(SOCKADDR_LL, 4);
            MemorySegment fromLen = a.allocate(INT);
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                tv.set(LONG, 0, left / 1_000_000_000L);
                tv.set(LONG, 8, Math.max(1, (left % 1_000_000_000L) / 1000));
                int rc = (int) SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
                if (rc != 0) {
                    throw new IllegalStateException("setsockopt(SO_RCVTIMEO) failed");
                }
                fromLen.set(INT, 0, SOCKADDR_LL);
                long n = (long) RECVFROM.invokeExact(fd, buf, 65536L, 0, from, fromLen);
                if (n < 0) {
                    continue; // timed out (or interrupted): the deadline decides
                }
                if ((from.get(ValueLayout.JAVA_BYTE, 10) & 0xff) != PACKET_OUTGOING) {
                    out.add(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
                }
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
