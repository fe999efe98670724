package io.meshgw.bpf.datapath;

import io.meshgw.bpf.datapath.MapRecords.CtKey;
import io.meshgw.bpf.datapath.MapRecords.CtValue;
import io.meshgw.types.Protocol;
import java.time.Duration;

/**
 * When a conntrack entry expires: the rule of {@code ct_expired()} in mgw_tc.c, with the
 * timeouts of mgw_maps.h. The programs never translate with an expired entry; {@link
 * Datapath#expireConntrack()} deletes them, which frees an SNAT flow's port.
 */
final class ConntrackExpiry {

    /** Open TCP; RFC 5382 REQ-5 asks for at least 2 h 4 min. */
    static final Duration TCP = Duration.ofHours(6);
    /** TCP with a FIN from both sides or an RST. */
    static final Duration TCP_CLOSING = Duration.ofSeconds(10);
    /** TCP nobody answered yet, as nf_conntrack's SYN_SENT: a SYN flood cannot park entries for hours. */
    static final Duration TCP_UNREPLIED = Duration.ofMinutes(2);
    /** UDP; RFC 4787 REQ-5 asks for at least 2 min and recommends 5. */
    static final Duration OTHER = Duration.ofMinutes(5);

    private ConntrackExpiry() {}

    static Duration timeout(CtKey k, CtValue v) {
        if (k.proto() != Protocol.TCP.number()) {
            return OTHER;
        }
        return v.closing() ? TCP_CLOSING : v.unreplied() ? TCP_UNREPLIED : TCP;
    }

    /** {@code nowNanos} on CLOCK_MONOTONIC, the programs' clock ({@link System#nanoTime()}). */
    static boolean expired(CtKey k, CtValue v, long nowNanos) {
        return nowNanos - v.lastSeenNs() > timeout(k, v).toNanos();
    }

    /** The same rule for an IPv6 entry ({@code struct ct6_val} embeds the IPv4 entry). */
    static boolean expired(MapRecords.Ct6Key k, MapRecords.Ct6Value v, long nowNanos) {
        return expired(new CtKey(0, 0, k.sport(), k.dport(), k.proto(), k.side()), v.ct(), nowNanos);
    }
}
