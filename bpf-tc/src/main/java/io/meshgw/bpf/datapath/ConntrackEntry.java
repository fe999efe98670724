package io.meshgw.bpf.datapath;

import io.meshgw.bpf.datapath.MapRecords.CtKey;
import io.meshgw.bpf.datapath.MapRecords.CtValue;
import io.meshgw.types.Protocol;

/**
 * One conntrack entry, as the CLI shows it. {@code closing}: a TCP flow that saw a FIN from both
 * sides or an RST, whose entry expires 10 s after its last packet (open TCP after 6 h idle, UDP
 * after 5 min).
 */
public record ConntrackEntry(
        Kind kind,
        Protocol protocol,
        String source,
        String destination,
        String translatedTo,
        int backendId,
        int identity,
        long ageMillis,
        long idleMillis,
        long packets,
        long bytes,
        boolean closing) {

    /** enum ct_dir in mgw_maps.h. */
    public enum Kind {
        DNAT,
        DNAT_REPLY,
        SNAT,
        SNAT_REPLY,
        /** A flow another cluster's gateway translated and tunnels here, toward a backend of this cluster. */
        TUNNEL_IN,
        /** That backend's replies, tunnelled back to the gateway that translated the flow. */
        TUNNEL_REPLY;

        static Kind of(int dir) {
            return switch (dir) {
                case 1 -> DNAT;
                case 2 -> DNAT_REPLY;
                case 3 -> SNAT;
                case 4 -> SNAT_REPLY;
                case 5 -> TUNNEL_IN;
                case 6 -> TUNNEL_REPLY;
                default -> throw new IllegalArgumentException("unknown conntrack direction " + dir);
            };
        }
    }

    static ConntrackEntry of(CtKey k, CtValue v, long nowNanos) {
        return of(
                k.proto(),
                Ipv4.format(k.saddr()) + ":" + k.sport(),
                Ipv4.format(k.daddr()) + ":" + k.dport(),
                Ipv4.format(v.natAddr()) + ":" + v.natPort(),
                v,
                nowNanos);
    }

    /** An IPv6 entry; addresses in brackets (RFC 3986 §3.2.2), so the port reads apart. */
    static ConntrackEntry of(MapRecords.Ct6Key k, MapRecords.Ct6Value v6, long nowNanos) {
        return of(
                k.proto(),
                "[" + k.saddr() + "]:" + k.sport(),
                "[" + k.daddr() + "]:" + k.dport(),
                "[" + v6.natAddr() + "]:" + v6.ct().natPort(),
                v6.ct(),
                nowNanos);
    }

    private static ConntrackEntry of(
            int proto, String source, String destination, String to, CtValue v, long nowNanos) {
        return new ConntrackEntry(
                Kind.of(v.dir()),
                Protocol.ofNumber(proto),
                source,
                destination,
                to,
                v.backendId(),
                v.identity(),
                Math.max(0, (nowNanos - v.createdNs()) / 1_000_000),
                Math.max(0, (nowNanos - v.lastSeenNs()) / 1_000_000),
                v.packets(),
                v.bytes(),
                v.closing());
    }
}
