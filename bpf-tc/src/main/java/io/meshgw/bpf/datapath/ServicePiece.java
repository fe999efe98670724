package io.meshgw.bpf.datapath;

import io.meshgw.bpf.datapath.MapRecords.Backend6Value;
import io.meshgw.bpf.datapath.MapRecords.BackendEntry;
import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.MaglevValue;
import io.meshgw.bpf.datapath.MapRecords.ServiceKey;
import io.meshgw.bpf.datapath.MapRecords.Svc6Key;
import io.meshgw.bpf.datapath.MapRecords.SvcKey;
import io.meshgw.bpf.datapath.MapRecords.SvcValue;
import io.meshgw.types.IpAddress;
import io.meshgw.types.Ipv6Address;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What one service contributes to the maps: its service entry and, slot by slot, the backend id
 * and backend value it names. A pure function of the service and the stable ids, so a piece
 * computed for a service that is {@code equals} to the one it was computed from is still right.
 *
 * @param source the service the piece was computed from
 * @param slots the backend id of each slot, local backends first
 * @param backends the backend value of each slot's id
 * @param maglev the Maglev table over the backends the program picks among (the local ones when there are any),
 *     when there are two or more of them
 */
record ServicePiece(
        ServiceTranslation source,
        ServiceKey key,
        SvcValue value,
        List<Integer> slots,
        List<BackendEntry> backends,
        Optional<MaglevValue> maglev) {

    private static final Comparator<Backend> SLOT_ORDER = Comparator.comparing((Backend b) -> !b.local())
            .thenComparing(ServicePiece::compareAddresses)
            .thenComparingInt(Backend::port);

    /** Unsigned, as the address reads; one service's backends are of one family. */
    private static int compareAddresses(Backend a, Backend b) {
        if (a.address() instanceof Inet4Address x && b.address() instanceof Inet4Address y) {
            return Integer.compareUnsigned(Ipv4.toInt(x), Ipv4.toInt(y));
        }
        return IpAddress.of(a.address()).compareTo(IpAddress.of(b.address()));
    }

    static Ipv6Address ipv6(InetAddress a) {
        return (Ipv6Address) IpAddress.of(a);
    }

    static ServiceKey keyOf(ServiceTranslation s) {
        return s.vip() instanceof Inet4Address v4
                ? new SvcKey(Ipv4.toInt(v4), s.port(), s.protocol().number())
                : new Svc6Key(ipv6(s.vip()), s.port(), s.protocol().number());
    }

    /** The backend map entry of {@code b}, in the array of its family. */
    static BackendEntry entryOf(Backend b) {
        return b.address() instanceof Inet4Address v4
                ? new BackendValue(Ipv4.toInt(v4), b.port(), b.cluster() | (b.viaNode() ? Backend.VIA_NODE : 0))
                : new Backend6Value(ipv6(b.address()), b.port(), b.cluster());
    }

    /** Takes the service's id and its backends' ids from {@code ids}, allocating new ones in slot order. */
    static ServicePiece of(ServiceTranslation s, IdAllocator ids) {
        ServiceKey key = keyOf(s);
        int svcId = ids.service(key);
        // Local backends take the first slots: the program picks among them when there are any.
        List<Backend> ordered = s.backends();
        if (ordered.size() > 1) {
            ordered = new ArrayList<>(ordered);
            ordered.sort(SLOT_ORDER);
        }
        int local = 0;
        List<Integer> slots = new ArrayList<>(ordered.size());
        List<BackendEntry> backends = new ArrayList<>(ordered.size());
        for (Backend b : ordered) {
            local += b.local() ? 1 : 0;
            BackendEntry entry = entryOf(b);
            slots.add(ids.backend(entry));
            backends.add(entry);
        }
        return new ServicePiece(
                s,
                key,
                new SvcValue(svcId, ordered.size(), local, s.identity(), 0),
                List.copyOf(slots),
                List.copyOf(backends),
                maglev(ordered.subList(0, local > 0 ? local : ordered.size()), slots));
    }

    /** The table over {@code chosen} (in slot order, so sorted by address and port), naming their ids. */
    private static Optional<MaglevValue> maglev(List<Backend> chosen, List<Integer> slots) {
        if (chosen.size() < 2) {
            return Optional.empty();
        }
        int[] entries = Maglev.table(chosen);
        for (int i = 0; i < entries.length; i++) {
            entries[i] = slots.get(entries[i]);
        }
        return Optional.of(new MaglevValue(entries));
    }
}
