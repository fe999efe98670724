package io.meshgw.bpf.datapath;

import io.meshgw.bpf.datapath.MapRecords.BackendEntry;
import io.meshgw.bpf.datapath.MapRecords.MaglevValue;
import io.meshgw.bpf.datapath.MapRecords.ReplyKey;
import io.meshgw.bpf.datapath.MapRecords.ReplyValue;
import io.meshgw.bpf.datapath.MapRecords.ServiceKey;
import io.meshgw.bpf.datapath.MapRecords.SlotKey;
import io.meshgw.bpf.datapath.MapRecords.SvcValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The image the maps hold, kept service by service together with the table it came from, so
 * that an apply computes only what the table changed: a service {@code equals} to the one
 * applied before keeps its piece, and only new, changed and removed services are diffed. The
 * smaller sections (identities, egress, policies, config) are recomputed and diffed whole when
 * their list differs from the one applied before.
 *
 * <p>The result is exactly the image {@link MapImage#of} computes, with the same ids: ids are
 * taken in table order for new and changed services only (the others already hold theirs), and
 * freed after the apply, as {@link IdAllocator#retain} does. A recompute of the whole image is
 * the path when no table is known (the first apply, after re-reading the maps, after a failed
 * apply), and while some backend is named with two cluster ids: the whole image gives it the
 * first in table order, which only the whole table can tell. When most of a large table changed,
 * recomputing it whole is the cheaper path, with the same result.
 */
final class AppliedImage {

    /** How many slots name a backend id, and the value the backend map holds for it. */
    record BackendUse(BackendEntry value, int refs) {}

    /**
     * One apply's writes and what to remember once they are made: with {@code desired}, the
     * whole image recomputed, every piece and the whole table's reply claims; without it, the
     * pieces of new and changed services, the services removed, the backend ids whose use changed
     * ({@code refs} 0: gone) and the backend tuples whose reply claims changed.
     */
    record Change(
            TranslationTable table,
            ImageDiff diff,
            Optional<MapImage> desired,
            Map<ServiceKey, ServicePiece> pieces,
            List<ServiceKey> removed,
            Map<Integer, BackendUse> uses,
            Optional<ReplyClaims> claims,
            ReplyClaims.Update replies) {

        /** Backend tuples two or more (VIP, port) pairs name once this change is made (left out of the reply maps). */
        int ambiguousReplies() {
            return claims.map(ReplyClaims::ambiguous).orElse(replies.ambiguous());
        }
    }

    /**
     * Past this many changed services, and more than half of them, recomputing the whole image is
     * cheaper than diffing piece by piece (measured: removing 65,536 services piece by piece took
     * two to four times as long as recomputing).
     */
    private static final int MANY_CHANGES = 256;

    private MapImage image;
    private TranslationTable table;
    private Map<ServiceKey, ServicePiece> pieces = Map.of();
    private Map<Integer, BackendUse> uses = Map.of();
    /** The reply claims of the pieces; null until an incremental change first needs them. */
    private ReplyClaims claims;

    private boolean contested;

    private AppliedImage(MapImage image) {
        this.image = image;
    }

    /** What the maps hold, without the table it came from: the next apply recomputes it whole. */
    static AppliedImage of(MapImage image) {
        return new AppliedImage(image);
    }

    MapImage image() {
        return image;
    }

    /** Forgets the pieces (ids may hold ones nothing was written for): the next apply recomputes. */
    void forgetPieces() {
        table = null;
        pieces = Map.of();
        uses = Map.of();
        claims = null;
    }

    /** The writes that make the maps hold {@code next}; nothing is remembered until {@link #commit}. */
    Change changeTo(TranslationTable next, IdAllocator ids) {
        if (table != null && !contested) {
            Optional<Change> c = incremental(next, ids);
            if (c.isPresent()) {
                return c.get();
            }
        }
        return recomputed(next, ids);
    }

    /** The writes that make the maps hold {@code next}, from the whole image recomputed. */
    Change recomputed(TranslationTable next, IdAllocator ids) {
        Map<ServiceKey, ServicePiece> all = HashMap.newHashMap(next.services().size());
        ReplyClaims replyClaims = new ReplyClaims();
        MapImage desired = MapImage.of(next, ids, p -> all.put(p.key(), p), replyClaims);
        return new Change(
                next,
                ImageDiff.between(image, desired),
                Optional.of(desired),
                all,
                List.of(),
                Map.of(),
                Optional.of(replyClaims),
                NO_REPLY_UPDATE);
    }

    private static final ReplyClaims.Update NO_REPLY_UPDATE = new ReplyClaims.Update(Map.of(), Map.of(), Set.of(), 0);

    /** Remembers what {@code change} wrote, and frees the ids of what it removed. */
    void commit(Change change, IdAllocator ids) {
        table = change.table();
        if (change.desired().isPresent()) {
            image = change.desired().get();
            pieces = change.pieces();
            claims = change.claims().orElse(null);
            ids.retain(image.services().keySet(), image.backends().keySet());
            countUses();
            return;
        }
        image = change.diff().applyInPlace(image);
        claims.commit(change.replies());
        change.removed().forEach(pieces::remove);
        pieces.putAll(change.pieces());
        List<BackendEntry> freed = new ArrayList<>();
        change.uses().forEach((id, use) -> {
            if (use.refs() == 0) {
                freed.add(uses.remove(id).value());
            } else {
                uses.put(id, use);
            }
        });
        ids.release(change.removed(), freed);
    }

    private void countUses() {
        uses = HashMap.newHashMap(image.backends().size());
        contested = false;
        for (ServicePiece p : pieces.values()) {
            for (int slot = 0; slot < p.slots().size(); slot++) {
                int id = p.slots().get(slot);
                BackendEntry held = image.backends().get(id);
                contested |= !held.equals(p.backends().get(slot));
                BackendUse use = uses.get(id);
                uses.put(id, new BackendUse(held, use == null ? 1 : use.refs() + 1));
            }
        }
    }

    /**
     * Empty when the change cannot be told from the changed services alone (a contested
     * backend), or when most services changed.
     */
    private Optional<Change> incremental(TranslationTable next, IdAllocator ids) {
        List<ServiceTranslation> changedServices = new ArrayList<>();
        List<ServiceKey> removed = new ArrayList<>();
        // TranslationTable copies its lists with List.copyOf, which keeps an immutable list as is.
        if (next.services() != table.services()) {
            List<ServiceTranslation> before = table.services();
            int kept = 0;
            for (int i = 0; i < next.services().size(); i++) {
                ServiceTranslation s = next.services().get(i);
                // Tables are mostly rebuilt in the same order: the service in the same place is
                // the likeliest equal one, and comparing with it needs no key and no lookup.
                if (i < before.size() && (s == before.get(i) || s.equals(before.get(i)))) {
                    kept++;
                    continue;
                }
                ServicePiece old = pieces.get(ServicePiece.keyOf(s));
                kept += old == null ? 0 : 1;
                if (old == null || !old.source().equals(s)) {
                    changedServices.add(s);
                }
            }
            int changes = changedServices.size() + pieces.size() - kept;
            if (changes >= MANY_CHANGES
                    && 2 * changes > Math.max(pieces.size(), next.services().size())) {
                return Optional.empty();
            }
            if (kept < pieces.size()) {
                Set<ServiceKey> present = HashSet.newHashSet(next.services().size());
                next.services().forEach(s -> present.add(ServicePiece.keyOf(s)));
                pieces.keySet().stream().filter(k -> !present.contains(k)).forEach(removed::add);
            }
        }
        return writes(next, changedServices, removed, ids);
    }

    /**
     * The writes of a change to the table last applied, from the changed services alone; empty when the datapath needs
     * the whole table instead (none applied yet, a contested backend, most of the table changed).
     */
    Optional<Change> changeBy(TableChange change, IdAllocator ids) {
        if (table == null || contested) {
            return Optional.empty();
        }
        List<ServiceTranslation> changedServices = new ArrayList<>();
        Set<ServiceKey> put = HashSet.newHashSet(change.put().size());
        for (ServiceTranslation s : change.put()) {
            ServiceKey key = ServicePiece.keyOf(s);
            put.add(key);
            ServicePiece old = pieces.get(key);
            if (old == null || !old.source().equals(s)) {
                changedServices.add(s);
            }
        }
        List<ServiceKey> removed = new ArrayList<>();
        for (ServiceTranslation s : change.removed()) {
            ServiceKey key = ServicePiece.keyOf(s);
            if (!put.contains(key) && pieces.containsKey(key)) {
                removed.add(key);
            }
        }
        int changes = changedServices.size() + removed.size();
        if (changes >= MANY_CHANGES && 2 * changes > pieces.size()) {
            return Optional.empty();
        }
        return writes(change.others(), changedServices, removed, ids);
    }

    /**
     * The writes of replacing the pieces of {@code changedServices} and removing those of {@code removed}, with the
     * smaller sections of {@code next} diffed whole where they differ from the last table's.
     */
    private Optional<Change> writes(
            TranslationTable next,
            List<ServiceTranslation> changedServices,
            List<ServiceKey> removed,
            IdAllocator ids) {
        // Ids are taken in the order given (table order), as the whole recompute takes them.
        Map<ServiceKey, ServicePiece> changed = new LinkedHashMap<>();
        for (ServiceTranslation s : changedServices) {
            ServicePiece p = ServicePiece.of(s, ids);
            changed.put(p.key(), p);
        }
        ServiceWrites w = new ServiceWrites();
        changed.values().forEach(p -> w.replace(pieces.get(p.key()), p));
        removed.forEach(k -> w.replace(pieces.get(k), null));
        Optional<Map<Integer, BackendUse>> backendUses = w.resolveBackends(uses);
        if (backendUses.isEmpty()) {
            return Optional.empty();
        }
        if (claims == null) {
            claims = ReplyClaims.of(pieces.values());
        }
        ReplyClaims.Update replies = claims.update(w.replyDeltas);
        boolean sameEgress = same(next.egress(), table.egress());
        ImageDiff diff = new ImageDiff(
                new MapDiff<>(w.serviceUpserts, w.serviceRemovals),
                new MapDiff<>(w.slotUpserts, w.slotRemovals),
                new MapDiff<>(w.maglevUpserts, w.maglevRemovals),
                new MapDiff<>(w.backendUpserts, w.backendRemovals),
                same(next.identities(), table.identities())
                        ? MapDiff.none()
                        : MapDiff.of(image.identities(), MapImage.identities(next)),
                sameEgress ? MapDiff.none() : MapDiff.of(image.snat(), MapImage.snat(next)),
                sameEgress ? MapDiff.none() : MapDiff.of(image.egressDestinations(), MapImage.egressDestinations(next)),
                same(next.policies(), table.policies())
                        ? MapDiff.none()
                        : MapDiff.of(image.policies(), MapImage.policies(next)),
                Optional.of(MapImage.config(next)).filter(c -> !c.equals(image.config())),
                new MapDiff<>(replies.upserts(), replies.removals()));
        return Optional.of(new Change(
                next, diff, Optional.empty(), changed, removed, backendUses.get(), Optional.empty(), replies));
    }

    private static boolean same(List<?> a, List<?> b) {
        return a == b || a.equals(b);
    }

    /** The service, slot and backend writes of replacing pieces, gathered piece by piece. */
    private static final class ServiceWrites {
        final Map<ServiceKey, SvcValue> serviceUpserts = new HashMap<>();
        final Set<ServiceKey> serviceRemovals = new HashSet<>();
        final Map<SlotKey, Integer> slotUpserts = new HashMap<>();
        final Set<SlotKey> slotRemovals = new HashSet<>();
        final Map<Integer, MaglevValue> maglevUpserts = new HashMap<>();
        final Set<Integer> maglevRemovals = new HashSet<>();
        final Map<Integer, BackendEntry> backendUpserts = new HashMap<>();
        final Set<Integer> backendRemovals = new HashSet<>();
        /** Per backend tuple, per (VIP, port): slots naming it added less slots taken away. */
        final Map<ReplyKey, Map<ReplyValue, Integer>> replyDeltas = new HashMap<>();
        /** Per backend id: references dropped, references added and their value. */
        private final Map<Integer, UseChange> useChanges = new HashMap<>();

        private static final class UseChange {
            int dropped;
            int added;
            BackendEntry value;
            boolean disagree;
        }

        /** {@code old} or {@code next} is null for a service added or removed. */
        void replace(ServicePiece old, ServicePiece next) {
            int oldSlots = old == null ? 0 : old.slots().size();
            int nextSlots = next == null ? 0 : next.slots().size();
            if (next == null) {
                serviceRemovals.add(old.key());
            } else if (old == null || !old.value().equals(next.value())) {
                serviceUpserts.put(next.key(), next.value());
            }
            // A live service keeps its id, so old and next name the same slot keys.
            int svcId = (next == null ? old : next).value().svcId();
            for (int slot = 0; slot < nextSlots; slot++) {
                int id = next.slots().get(slot);
                if (slot >= oldSlots || old.slots().get(slot) != id) {
                    slotUpserts.put(new SlotKey(svcId, slot), id);
                }
                UseChange u = useChanges.computeIfAbsent(id, k -> new UseChange());
                BackendEntry v = next.backends().get(slot);
                u.disagree |= u.value != null && !u.value.equals(v);
                u.value = v;
                u.added++;
            }
            for (int slot = nextSlots; slot < oldSlots; slot++) {
                slotRemovals.add(new SlotKey(svcId, slot));
            }
            Optional<MaglevValue> oldTable = old == null ? Optional.empty() : old.maglev();
            Optional<MaglevValue> nextTable = next == null ? Optional.empty() : next.maglev();
            if (nextTable.isPresent() && !nextTable.equals(oldTable)) {
                maglevUpserts.put(svcId, nextTable.get());
            } else if (nextTable.isEmpty() && oldTable.isPresent()) {
                maglevRemovals.add(svcId);
            }
            for (int slot = 0; slot < oldSlots; slot++) {
                useChanges.computeIfAbsent(old.slots().get(slot), k -> new UseChange()).dropped++;
            }
            if (old != null) {
                ReplyClaims.forEachClaim(old, (k, v) -> ReplyClaims.delta(replyDeltas, k, v, -1));
            }
            if (next != null) {
                ReplyClaims.forEachClaim(next, (k, v) -> ReplyClaims.delta(replyDeltas, k, v, 1));
            }
        }

        /**
         * The backend writes and new uses; empty when a backend would be named with two values
         * (then the whole image decides which one the map holds).
         */
        Optional<Map<Integer, BackendUse>> resolveBackends(Map<Integer, BackendUse> uses) {
            Map<Integer, BackendUse> changed = new HashMap<>();
            for (var e : useChanges.entrySet()) {
                int id = e.getKey();
                UseChange u = e.getValue();
                BackendUse before = uses.get(id);
                int refsBefore = before == null ? 0 : before.refs();
                int remaining = refsBefore - u.dropped;
                if (u.disagree || (remaining > 0 && u.added > 0 && !u.value.equals(before.value()))) {
                    return Optional.empty();
                }
                BackendEntry value = u.added > 0 ? u.value : before.value();
                int refs = remaining + u.added;
                if (refs == 0) {
                    backendRemovals.add(id);
                } else if (refsBefore == 0 || !value.equals(before.value())) {
                    backendUpserts.put(id, value);
                }
                // A backend new to the maps had no uses and has some: before is read only where it exists.
                if (refs != refsBefore || !value.equals(before.value())) {
                    changed.put(id, new BackendUse(value, refs));
                }
            }
            return Optional.of(changed);
        }
    }
}
