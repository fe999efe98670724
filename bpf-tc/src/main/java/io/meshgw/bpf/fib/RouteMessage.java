package io.meshgw.bpf.fib;

import io.meshgw.types.IpAddress;
import io.meshgw.types.IpFamily;
import io.meshgw.types.IpPrefix;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An rtnetlink route message (RTM_NEWROUTE, RTM_DELROUTE; rtnetlink(7)) as meshgw writes and reads it: a
 * {@code struct rtmsg} with RTA_TABLE, RTA_DST, RTA_PRIORITY and either a next hop (RTA_GATEWAY, or RTA_VIA for an
 * IPv6 next hop of an IPv4 route, RFC 8950) or RTA_MULTIPATH holding several. A stable
 * interface: the layout is the kernel's ({@code linux/rtnetlink.h}), in the host's byte order except addresses.
 *
 * @param destination the prefix (RTA_DST; absent on the wire for a /0)
 * @param table the routing table id (RTA_TABLE, 32 bits; rtm_table holds it too when it fits in 8)
 * @param protocol rtm_protocol: who installed the route
 * @param metric RTA_PRIORITY
 * @param type rtm_type ({@link #RTN_UNICAST} for what meshgw writes)
 * @param gateways the next hops, one (RTA_GATEWAY or RTA_VIA) or more (RTA_MULTIPATH); none for a route without a
 *     gateway
 */
record RouteMessage(IpPrefix destination, int table, int protocol, int metric, int type, List<IpAddress> gateways) {

    static final short RTM_NEWROUTE = 24;
    static final short RTM_DELROUTE = 25;
    static final short RTM_GETROUTE = 26;
    static final int RTN_UNICAST = 1;
    static final int RT_TABLE_UNSPEC = 0;
    static final int RT_TABLE_COMPAT = 252;
    static final int RT_TABLE_MAIN = 254;

    static final int RTMSG_BYTES = 12;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int RT_SCOPE_UNIVERSE = 0;
    private static final int RT_SCOPE_NOWHERE = 255;
    private static final short RTA_DST = 1;
    private static final short RTA_GATEWAY = 5;
    private static final short RTA_PRIORITY = 6;
    private static final short RTA_MULTIPATH = 9;
    private static final short RTA_TABLE = 15;
    private static final short RTA_VIA = 18;
    private static final int RTNH_BYTES = 8;

    RouteMessage {
        gateways = List.copyOf(gateways);
    }

    /** What meshgw installs for {@code route}: a unicast route of {@code protocol} in {@code table}. */
    static RouteMessage of(KernelRoute route, long table, int protocol, int metric) {
        return new RouteMessage(route.destination(), (int) table, protocol, metric, RTN_UNICAST, route.gateways());
    }

    /**
     * Writes the message (header included) for {@code type} with {@code flags}. A delete names the destination, table,
     * protocol and metric, no next hop and any scope, so it removes exactly meshgw's route to that destination and
     * never another protocol's (the kernel compares rtm_protocol when it is set).
     */
    void write(ByteBuffer out, short type, int flags, int seq) {
        int start = out.position();
        Netlink.header(out, type, flags, seq);
        boolean delete = type == RTM_DELROUTE;
        out.put((byte) family(destination.family()));
        out.put((byte) destination.length());
        out.put((byte) 0); // rtm_src_len
        out.put((byte) 0); // rtm_tos
        out.put((byte) (Integer.compareUnsigned(table, 256) < 0 ? table : RT_TABLE_UNSPEC));
        out.put((byte) protocol);
        out.put((byte) (delete ? RT_SCOPE_NOWHERE : RT_SCOPE_UNIVERSE));
        out.put((byte) (delete ? 0 : type()));
        out.putInt(0); // rtm_flags
        if (destination.length() > 0) {
            Netlink.attribute(out, RTA_DST, destination.address().toBytes());
        }
        Netlink.attribute(out, RTA_PRIORITY, metric);
        Netlink.attribute(out, RTA_TABLE, table);
        if (!delete && gateways.size() == 1) {
            nextHop(out, gateways.getFirst());
        } else if (!delete && gateways.size() > 1) {
            int nest = Netlink.begin(out, RTA_MULTIPATH);
            for (IpAddress g : gateways) {
                int at = out.position();
                out.putShort((short) 0); // rtnh_len, set below
                out.put((byte) 0); // rtnh_flags
                out.put((byte) 0); // rtnh_hops: weight 1
                out.putInt(0); // rtnh_ifindex: the kernel finds the link the gateway is on
                nextHop(out, g);
                out.putShort(at, (short) (out.position() - at));
            }
            Netlink.end(out, nest);
        }
        Netlink.finish(out, start);
    }

    /**
     * One next hop: RTA_GATEWAY in the route's family, or RTA_VIA ({@code struct rtvia}: the family, then the address)
     * for an IPv6 next hop of an IPv4 route.
     */
    private void nextHop(ByteBuffer out, IpAddress gateway) {
        byte[] a = gateway.toBytes();
        if (gateway.family() == destination.family()) {
            Netlink.attribute(out, RTA_GATEWAY, a);
            return;
        }
        ByteBuffer via = ByteBuffer.allocate(2 + a.length).order(out.order());
        via.putShort((short) family(gateway.family())).put(a);
        Netlink.attribute(out, RTA_VIA, via.array());
    }

    /** The rtmsg of a dump request for {@code family}, filtered by table and protocol where the kernel can. */
    static void writeDump(ByteBuffer out, IpFamily family, long table, int protocol, int seq) {
        int start = out.position();
        Netlink.header(out, RTM_GETROUTE, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, seq);
        out.put((byte) family(family));
        out.put(new byte[3]);
        out.put((byte) (table < 256 ? table : RT_TABLE_UNSPEC));
        out.put((byte) protocol);
        out.put((byte) 0);
        out.put((byte) 0);
        out.putInt(0);
        Netlink.attribute(out, RTA_TABLE, (int) table);
        Netlink.finish(out, start);
    }

    /**
     * Reads the rtmsg and attributes of one RTM_NEWROUTE message ({@code body} holds exactly its payload); empty for a
     * family other than IPv4 and IPv6, or a message too short or malformed, which a caller skips.
     */
    static Optional<RouteMessage> read(ByteBuffer body) {
        if (body.remaining() < RTMSG_BYTES) {
            return Optional.empty();
        }
        IpFamily family = switch (body.get() & 0xFF) {
            case AF_INET -> IpFamily.IPV4;
            case AF_INET6 -> IpFamily.IPV6;
            default -> null;
        };
        if (family == null) {
            return Optional.empty();
        }
        int dstLength = body.get() & 0xFF;
        body.get(); // src_len
        body.get(); // tos
        int table = body.get() & 0xFF;
        int protocol = body.get() & 0xFF;
        body.get(); // scope
        int type = body.get() & 0xFF;
        body.getInt(); // flags
        byte[] dst = new byte[family == IpFamily.IPV4 ? 4 : 16];
        int metric = 0;
        List<IpAddress> gateways = new ArrayList<>();
        try {
            while (body.remaining() >= 4) {
                Netlink.Attribute a = Netlink.Attribute.next(body);
                switch (a.type()) {
                    case RTA_DST -> a.value().get(dst);
                    case RTA_PRIORITY -> metric = a.value().getInt();
                    case RTA_TABLE -> table = a.value().getInt();
                    case RTA_GATEWAY -> gateways.add(address(a.value()));
                    case RTA_VIA -> gateways.add(via(a.value()));
                    case RTA_MULTIPATH -> nextHops(a.value(), gateways);
                    default -> {}
                }
            }
            if (dstLength > dst.length * 8) {
                return Optional.empty();
            }
            return Optional.of(new RouteMessage(
                    IpPrefix.covering(IpAddress.of(dst), dstLength), table, protocol, metric, type, gateways));
        } catch (RuntimeException e) {
            return Optional.empty(); // a truncated attribute: not a route meshgw wrote
        }
    }

    private static void nextHops(ByteBuffer multipath, List<IpAddress> gateways) {
        while (multipath.remaining() >= RTNH_BYTES) {
            int start = multipath.position();
            int length = multipath.getShort() & 0xFFFF;
            if (length < RTNH_BYTES || length > multipath.remaining() + 2) {
                return;
            }
            ByteBuffer nested =
                    multipath.slice(start + RTNH_BYTES, length - RTNH_BYTES).order(multipath.order());
            while (nested.remaining() >= 4) {
                Netlink.Attribute a = Netlink.Attribute.next(nested);
                if (a.type() == RTA_GATEWAY) {
                    gateways.add(address(a.value()));
                } else if (a.type() == RTA_VIA) {
                    gateways.add(via(a.value()));
                }
            }
            multipath.position(start + Netlink.align(length));
        }
    }

    /** The address of a {@code struct rtvia}: its family (two bytes), then the address. */
    private static IpAddress via(ByteBuffer v) {
        v.getShort();
        return address(v);
    }

    private static IpAddress address(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return IpAddress.of(a);
    }

    private static int family(IpFamily f) {
        return f == IpFamily.IPV4 ? AF_INET : AF_INET6;
    }
}
