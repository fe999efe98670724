package io.meshgw.bpf.datapath;

import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.MaglevValue;
import io.meshgw.bpf.datapath.MapRecords.SvcKey;
import io.meshgw.bpf.datapath.MapRecords.SvcValue;
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
        SvcKey key,
        SvcValue value,
        List<Integer> slots,
        List<BackendValue> backends,
        Optional<MaglevValue> maglev) {

    private static final Comparator<Backend> SLOT_ORDER = Comparator.comparing((Backend b) -> !b.local())
            .thenComparing(b -> Integer.toUnsignedLong(Ipv4.toInt(b.address())))
            .thenComparingInt(Backend::port);

    static SvcKey keyOf(ServiceTranslation s) {
        return new SvcKey(Ipv4.toInt(s.vip()), s.port(), s.protocol().number());
    }

    /** Takes the service's id and its backends' ids from {@code ids}, allocating new ones in slot order. */
    static ServicePiece of(ServiceTranslation s, IdAllocator ids) {
        SvcKey key = keyOf(s);
        int svcId = ids.service(key);
        // Local backends take the first slots: the program picks among them when there are any.
        List<Backend> ordered = s.backends();
        if (ordered.size() > 1) {
            ordered = new ArrayList<>(ordered);
            ordered.sort(SLOT_ORDER);
        }
        int local = 0;
        List<Integer> slots = new ArrayList<>(ordered.size());
        List<BackendValue> backends = new ArrayList<>(ordered.size());
        for (Backend b : ordered) {
            local += b.local() ? 1 : 0;
            int addr = Ipv4.toInt(b.address());
            slots.add(ids.backend(addr, b.port()));
            backends.add(new BackendValue(addr, b.port(), b.cluster()));
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
