package io.meshgw.bgp.speaker;

import io.meshgw.bgp.rib.DestinationTable;
import io.meshgw.bgp.rib.LocRib;
import io.meshgw.bgp.rib.Path;
import io.meshgw.bgp.transport.Cancellable;
import io.meshgw.bgp.transport.Transport;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.CodecOptions;
import io.meshgw.bgp.wire.MessageEncoder;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.Update;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * What one neighbor is sent. The Adj-RIB-Out is not stored: it is always the export of the
 * Loc-RIB's best paths, so a change is announced when the new best path exports, and withdrawn
 * when only the old one did (as BIRD does). That keeps memory flat in the number of neighbors.
 * Prefixes with the same exported attributes share UPDATEs, packed to the message size limit.
 * What a neighbor gets for a best path is its {@link Exporter}'s decision.
 *
 * <p>A neighbor that does not take what it is sent is not sent more: while its connection is not
 * writable, changes are held as one entry per prefix (the best path it was last sent), so a
 * prefix that changes a thousand times costs one entry and, once the connection drains, one
 * UPDATE with the best path of that moment. A walk of the table (the full table at Established,
 * a ROUTE-REFRESH) goes {@link #WALK_CHUNK} destinations per turn of the loop, so other sessions
 * are served between chunks, and pauses while the connection is not writable. At most one walk
 * runs at a time: a ROUTE-REFRESH during one, while the connection is not writable, or within
 * {@link #MIN_REFRESH_INTERVAL} of the last, is owed, and owed requests are one walk.
 */
final class AdjRibOut {

    /** The least time between two ROUTE-REFRESH walks of the table for one neighbor. */
    static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(1);

    /** Destinations a walk visits per turn of the loop: enough to pack UPDATEs, few enough to take milliseconds. */
    static final int WALK_CHUNK = 2048;

    /** The session the UPDATEs go out on. */
    interface Output {
        boolean established();

        /** Whether its connection takes more now; it says when it does again ({@link #resume}). */
        boolean writable();

        /** The wire format negotiated, which also bounds the message size. */
        CodecOptions options();

        /** Encodes and sends one UPDATE (RFC 4271 §10: which restarts the KeepaliveTimer). */
        void send(Update update);
    }

    private Exporter exporter;
    private final LocRib<Prefix, RouteAttributes> rib;
    private final Output session;
    private final Transport transport;
    private long advertised;
    private List<Afi> owedEndOfRib = List.of();
    /** Prefixes changed while the connection was not writable, with the best path before the first change. */
    private DestinationTable<Prefix, Optional<Path<RouteAttributes>>> held = heldTable();
    /** Families whose ROUTE-REFRESH waits for the connection or for the interval. */
    private final Set<Afi> refreshOwed = EnumSet.noneOf(Afi.class);
    /** Runs out {@link #MIN_REFRESH_INTERVAL} after the last walk; null when none is that recent. */
    private Cancellable refreshInterval;
    /** The table walk under way, if any. */
    private Walk walk;

    private long refreshesRequested;
    private long refreshWalks;

    AdjRibOut(Exporter exporter, LocRib<Prefix, RouteAttributes> rib, Output session, Transport transport) {
        this.exporter = exporter;
        this.rib = rib;
        this.session = session;
        this.transport = transport;
    }

    long advertised() {
        return advertised;
    }

    /** ROUTE-REFRESH requests received, and the table walks they cost (fewer: owed requests coalesce). */
    record RefreshCounts(long requested, long walks) {}

    RefreshCounts refreshCounts() {
        return new RefreshCounts(refreshesRequested, refreshWalks);
    }

    void reset() {
        advertised = 0;
        owedEndOfRib = List.of();
        held = heldTable();
        refreshOwed.clear();
        walk = null;
        if (refreshInterval != null) {
            refreshInterval.cancel();
            refreshInterval = null;
        }
    }

    /** A coalesced best-path change: the best path before the batch and after it. */
    record Change(Prefix prefix, Optional<Path<RouteAttributes>> before, Optional<Path<RouteAttributes>> now) {}

    /** Sends a batch of changes, or holds them while the connection is not writable. */
    void send(List<Change> changes) {
        if (!session.established()) {
            return;
        }
        boolean fullWalk = walk != null && walk.full;
        if (!session.writable() || !held.isEmpty() || fullWalk) {
            for (Change c : changes) {
                if (held.get(c.prefix()) == null) {
                    held.put(c.prefix(), c.before()); // what the neighbor has is the first before
                }
            }
            if (session.writable() && !fullWalk) {
                resume();
            }
            return;
        }
        sendNow(changes);
    }

    /**
     * The connection takes output again: a walk goes on; the held changes go out (after the full
     * table, when that is the walk), then an owed refresh.
     */
    void resume() {
        if (!session.established()) {
            return;
        }
        if (walk != null) {
            if (walk.full) {
                continueWalk(walk);
                return;
            }
            flushHeld();
            continueWalk(walk);
            return;
        }
        flushHeld();
        if (!refreshOwed.isEmpty() && refreshInterval == null && session.writable()) {
            walkOwedRefreshes();
        }
    }

    private void flushHeld() {
        if (held.isEmpty()) {
            return;
        }
        // Taken away first: what sending sets off (the connection draining: resume) finds nothing held. Sent in
        // chunks, so a million held prefixes never stand as a million changes at once.
        var taken = held;
        held = heldTable();
        List<Change> changes = new ArrayList<>(WALK_CHUNK);
        taken.forEach((prefix, before) -> {
            changes.add(new Change(prefix, before, rib.best(prefix)));
            if (changes.size() == WALK_CHUNK) {
                sendNow(changes);
                changes.clear();
            }
        });
        sendNow(changes);
    }

    private static DestinationTable<Prefix, Optional<Path<RouteAttributes>>> heldTable() {
        return new DestinationTable<>(Ipv4PrefixPacking.INSTANCE);
    }

    private void sendNow(List<Change> changes) {
        Batch b = new Batch();
        for (Change c : changes) {
            RouteAttributes now =
                    c.now().map(p -> exporter.export(c.prefix(), p)).orElse(null);
            RouteAttributes was =
                    c.before().map(p -> exporter.export(c.prefix(), p)).orElse(null);
            if (now != null) {
                if (!now.equals(was)) {
                    b.announce(c.prefix(), now);
                }
                if (was == null) {
                    advertised++;
                }
            } else if (was != null) {
                b.withdraw(c.prefix());
                advertised--;
            }
        }
        b.flush();
    }

    /**
     * The neighbor's export settings changed: from now on {@code next} decides, and the neighbor is sent only the
     * difference over the Loc-RIB's best paths: what {@code next} newly exports or exports otherwise is announced, what
     * it no longer exports is withdrawn. Changes still queued must have been sent before.
     */
    void reexport(Exporter next) {
        Exporter was = exporter;
        exporter = next;
        if (!session.established()) {
            return;
        }
        Batch b = new Batch();
        rib.forEachBest((prefix, path) -> {
            RouteAttributes before = was.export(prefix, path);
            RouteAttributes now = next.export(prefix, path);
            if (now != null) {
                if (!now.equals(before)) { // the next hop is among the attributes
                    b.announce(prefix, now);
                }
                if (before == null) {
                    advertised++;
                }
            } else if (before != null) {
                b.withdraw(prefix);
                advertised--;
            }
        });
        b.flush();
    }

    /**
     * On Established: the whole table, then End-of-RIB per negotiated family (RFC 4724 §2), unless {@code endOfRib} is
     * false: then the families are owed End-of-RIB until {@link #sendOwedEndOfRib}.
     */
    void sendFullTable(Collection<Afi> families, boolean endOfRib) {
        advertised = 0;
        owedEndOfRib = List.copyOf(families);
        startWalk(null, endOfRib);
    }

    /**
     * The End-of-RIB markers held back at Established, if the session is still up; none twice. During the full
     * table they follow its last UPDATE.
     */
    void sendOwedEndOfRib() {
        if (walk != null && walk.full) {
            walk.endOfRib = true;
            return;
        }
        if (session.established()) {
            owedEndOfRib.forEach(afi -> session.send(Update.endOfRib(afi)));
        }
        owedEndOfRib = List.of();
    }

    /**
     * RFC 2918: the peer asked for a family again. It is sent at once, unless the connection is
     * not writable, a walk ran within {@link #MIN_REFRESH_INTERVAL} or changes are held: then it
     * is owed, and any number of requests for the family until then are one walk.
     */
    void resendAll(Afi afi) {
        refreshesRequested++;
        refreshOwed.add(afi);
        if (walk == null && refreshInterval == null && held.isEmpty() && session.writable()) {
            walkOwedRefreshes();
        }
    }

    private void walkOwedRefreshes() {
        Set<Afi> families = EnumSet.copyOf(refreshOwed);
        refreshOwed.clear();
        refreshWalks++;
        startWalk(families, false);
    }

    private void refreshIntervalOver() {
        refreshInterval = null;
        if (!refreshOwed.isEmpty()) {
            resume();
        }
    }

    /**
     * A walk of the best paths as they were when it started, visited in chunks; each destination gets the best path
     * of the moment it is visited. {@code full} is the table at Established: it counts what it advertises, and
     * changes meanwhile wait for its end.
     */
    private static final class Walk {
        /** The IPv4 destinations as {@link Prefix#packedIpv4} numbers (8 bytes each rather than a prefix object). */
        final long[] packed;
        /** The others, after them. */
        final Prefix[] unpacked;

        final boolean full;
        boolean endOfRib;
        int next;
        /** Its next chunk is queued on the loop already. */
        boolean queued;

        Walk(long[] packed, Prefix[] unpacked, boolean full, boolean endOfRib) {
            this.packed = packed;
            this.unpacked = unpacked;
            this.full = full;
            this.endOfRib = endOfRib;
        }

        int size() {
            return packed.length + unpacked.length;
        }

        Prefix destination(int i) {
            return i < packed.length ? Prefix.ofPackedIpv4(packed[i]) : unpacked[i - packed.length];
        }
    }

    /** Walks the families {@code only} (null: all, the full table) and, for the full table, End-of-RIB after it. */
    private void startWalk(Set<Afi> only, boolean endOfRib) {
        // A snapshot of the destinations: a full table is a million of them, so IPv4 ones are kept as numbers.
        LongStream.Builder packed = LongStream.builder();
        List<Prefix> unpacked = new ArrayList<>();
        rib.forEachBest((prefix, path) -> {
            if (only == null || only.contains(prefix.afi())) {
                long p = prefix.packedIpv4();
                if (p >= 0) {
                    packed.add(p);
                } else {
                    unpacked.add(prefix);
                }
            }
        });
        walk = new Walk(packed.build().toArray(), unpacked.toArray(Prefix[]::new), only == null, endOfRib);
        continueWalk(walk);
    }

    /** One chunk of {@code w}, if it is still the walk and the connection takes it; the next chunk is queued. */
    private void continueWalk(Walk w) {
        if (walk != w || w.queued || !session.established() || !session.writable()) {
            return; // a later walk or session, or resume() goes on once the connection drains
        }
        Batch b = new Batch();
        int end = Math.min(w.next + WALK_CHUNK, w.size());
        for (int i = w.next; i < end; i++) {
            Prefix prefix = w.destination(i);
            Optional<Path<RouteAttributes>> best = rib.best(prefix);
            RouteAttributes a = best.map(p -> exporter.export(prefix, p)).orElse(null);
            if (a != null) {
                b.announce(prefix, a);
            }
            if (w.full) {
                if (a != null) {
                    advertised++;
                }
                if (held.get(prefix) != null) {
                    held.put(prefix, best); // what the neighbor has now is what this walk sent
                }
            }
        }
        w.next = end;
        b.flush();
        if (end < w.size()) {
            w.queued = true;
            transport.defer(() -> {
                w.queued = false;
                continueWalk(w);
            });
            return;
        }
        walk = null;
        if (w.full) {
            if (w.endOfRib) {
                sendOwedEndOfRib();
            }
        } else {
            refreshInterval = transport.schedule(this::refreshIntervalOver, MIN_REFRESH_INTERVAL);
        }
        resume();
    }

    /**
     * UPDATEs being assembled: announcements grouped by (identical, cached) attributes, which hold the next hop: a
     * NEXT_HOP, or an MP_REACH_NLRI without NLRI that each UPDATE fills in.
     */
    private final class Batch {
        private final Map<RouteAttributes, List<Prefix>> groups = new IdentityHashMap<>();
        private final List<Prefix> withdraw4 = new ArrayList<>();
        private final List<Prefix> withdraw6 = new ArrayList<>();

        void announce(Prefix p, RouteAttributes a) {
            groups.computeIfAbsent(a, k -> new ArrayList<>()).add(p);
        }

        void withdraw(Prefix p) {
            (p.afi() == Afi.IPV4 ? withdraw4 : withdraw6).add(p);
        }

        void flush() {
            CodecOptions options = session.options();
            int max = options.maxMessageLength();
            if (exporter.ipv4InMpReach()) {
                unreach(Afi.IPV4, withdraw4, max); // RFC 8950: the family travels in the MP attributes both ways
            } else {
                for (List<Prefix> chunk : chunks(withdraw4, max - 23)) {
                    sendUpdate(new Update(chunk, List.of(), List.of()));
                }
            }
            unreach(Afi.IPV6, withdraw6, max);
            groups.forEach((attrs, prefixes) -> {
                int reachAt = reachIndex(attrs.attributes());
                int attrBytes =
                        MessageEncoder.encode(new Update(List.of(), attrs.attributes(), List.of()), options).length;
                if (reachAt < 0) {
                    for (List<Prefix> chunk : chunks(prefixes, max - attrBytes)) {
                        sendUpdate(new Update(List.of(), attrs.attributes(), chunk));
                    }
                    return;
                }
                List<PathAttribute> withMp = new ArrayList<>(attrs.attributes());
                var template = (PathAttribute.MpReachNlri) withMp.get(reachAt);
                // 3 more: the attribute's length may take the extended (2-byte) form
                for (List<Prefix> chunk : chunks(prefixes, max - attrBytes - 3)) {
                    withMp.set(reachAt, template.withNlri(chunk));
                    sendUpdate(new Update(List.of(), withMp, List.of()));
                }
            });
        }

        private void unreach(Afi family, List<Prefix> withdrawn, int max) {
            for (List<Prefix> chunk : chunks(withdrawn, max - 23 - 10)) {
                sendUpdate(
                        new Update(List.of(), List.of(new PathAttribute.MpUnreachNlri(family, 1, chunk)), List.of()));
            }
        }

        private static int reachIndex(List<PathAttribute> attributes) {
            for (int i = 0; i < attributes.size(); i++) {
                if (attributes.get(i) instanceof PathAttribute.MpReachNlri) {
                    return i;
                }
            }
            return -1;
        }
    }

    private void sendUpdate(Update u) {
        session.send(u);
    }

    /** Splits prefixes into runs whose NLRI encoding fits {@code budget} bytes. */
    private static List<List<Prefix>> chunks(List<Prefix> prefixes, int budget) {
        List<List<Prefix>> out = new ArrayList<>();
        List<Prefix> cur = new ArrayList<>();
        int used = 0;
        for (Prefix p : prefixes) {
            int size = 1 + (p.length() + 7) / 8;
            if (used + size > budget && !cur.isEmpty()) {
                out.add(cur);
                cur = new ArrayList<>();
                used = 0;
            }
            cur.add(p);
            used += size;
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }
}
