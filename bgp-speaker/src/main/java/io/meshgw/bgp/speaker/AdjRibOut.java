package io.meshgw.bgp.speaker;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
 * UPDATE with the best path of that moment. ROUTE-REFRESH walks the whole table, so at most one
 * walk runs at a time: a request while the connection is not writable, or within {@link
 * #MIN_REFRESH_INTERVAL} of the last walk, is owed, and owed requests for a family are one walk.
 */
final class AdjRibOut {

    /** The least time between two ROUTE-REFRESH walks of the table for one neighbor. */
    static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(1);

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

    private final Exporter exporter;
    private final LocRib<Prefix, RouteAttributes> rib;
    private final Output session;
    private final Transport transport;
    private long advertised;
    private List<Afi> owedEndOfRib = List.of();
    /** Prefixes changed while the connection was not writable, with the best path before the first change. */
    private final Map<Prefix, Optional<Path<RouteAttributes>>> held = new LinkedHashMap<>();
    /** Families whose ROUTE-REFRESH waits for the connection or for the interval. */
    private final Set<Afi> refreshOwed = EnumSet.noneOf(Afi.class);
    /** Runs out {@link #MIN_REFRESH_INTERVAL} after the last walk; null when none is that recent. */
    private Cancellable refreshInterval;

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
        held.clear();
        refreshOwed.clear();
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
        if (!session.writable() || !held.isEmpty()) {
            for (Change c : changes) {
                held.putIfAbsent(c.prefix(), c.before()); // what the neighbor has is the first before
            }
            if (session.writable()) {
                resume();
            }
            return;
        }
        sendNow(changes);
    }

    /** The connection takes output again: the held changes go out, then an owed refresh. */
    void resume() {
        if (!session.established()) {
            return;
        }
        if (!held.isEmpty()) {
            List<Change> changes = new ArrayList<>(held.size());
            held.forEach((prefix, before) -> changes.add(new Change(prefix, before, rib.best(prefix))));
            held.clear();
            sendNow(changes);
        }
        if (!refreshOwed.isEmpty() && refreshInterval == null && session.writable()) {
            walkOwedRefreshes();
        }
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
     * On Established: the whole table, then End-of-RIB per negotiated family (RFC 4724 §2), unless {@code endOfRib} is
     * false: then the families are owed End-of-RIB until {@link #sendOwedEndOfRib}.
     */
    void sendFullTable(Collection<Afi> families, boolean endOfRib) {
        advertised = 0;
        owedEndOfRib = List.copyOf(families);
        sendTable(null);
        if (endOfRib) {
            sendOwedEndOfRib();
        }
    }

    /** The End-of-RIB markers held back at Established, if the session is still up; none twice. */
    void sendOwedEndOfRib() {
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
        if (refreshInterval == null && held.isEmpty() && session.writable()) {
            walkOwedRefreshes();
        }
    }

    private void walkOwedRefreshes() {
        List<Afi> families = List.copyOf(refreshOwed);
        refreshOwed.clear();
        for (Afi afi : families) {
            refreshWalks++;
            sendTable(afi);
        }
        refreshInterval = transport.schedule(this::refreshIntervalOver, MIN_REFRESH_INTERVAL);
    }

    private void refreshIntervalOver() {
        refreshInterval = null;
        if (!refreshOwed.isEmpty()) {
            resume();
        }
    }

    private void sendTable(Afi only) {
        Batch b = new Batch();
        long[] count = {0};
        rib.forEachBest((prefix, path) -> {
            if (only != null && prefix.afi() != only) {
                return;
            }
            RouteAttributes a = exporter.export(prefix, path);
            if (a != null) {
                b.announce(prefix, a);
                count[0]++;
            }
        });
        if (only == null) {
            advertised = count[0];
        }
        b.flush();
    }

    /** UPDATEs being assembled: announcements grouped by (identical, cached) attributes. */
    private final class Batch {
        private final Map<RouteAttributes, List<Prefix>> v4 = new IdentityHashMap<>();
        private final Map<RouteAttributes, List<Prefix>> v6 = new IdentityHashMap<>();
        private final List<Prefix> withdraw4 = new ArrayList<>();
        private final List<Prefix> withdraw6 = new ArrayList<>();

        void announce(Prefix p, RouteAttributes a) {
            (p.afi() == Afi.IPV4 ? v4 : v6)
                    .computeIfAbsent(a, k -> new ArrayList<>())
                    .add(p);
        }

        void withdraw(Prefix p) {
            (p.afi() == Afi.IPV4 ? withdraw4 : withdraw6).add(p);
        }

        void flush() {
            CodecOptions options = session.options();
            int max = options.maxMessageLength();
            for (List<Prefix> chunk : chunks(withdraw4, max - 23)) {
                sendUpdate(new Update(chunk, List.of(), List.of()));
            }
            for (List<Prefix> chunk : chunks(withdraw6, max - 23 - 10)) {
                sendUpdate(
                        new Update(List.of(), List.of(new PathAttribute.MpUnreachNlri(Afi.IPV6, 1, chunk)), List.of()));
            }
            v4.forEach((attrs, prefixes) -> {
                int attrBytes =
                        MessageEncoder.encode(new Update(List.of(), attrs.attributes(), List.of()), options).length;
                for (List<Prefix> chunk : chunks(prefixes, max - attrBytes)) {
                    sendUpdate(new Update(List.of(), attrs.attributes(), chunk));
                }
            });
            v6.forEach((attrs, prefixes) -> {
                PathAttribute.MpReachNlri empty = exporter.ipv6Reach(List.of());
                if (empty == null) {
                    return; // no IPv6 next hop for this session
                }
                List<PathAttribute> withMp = new ArrayList<>(attrs.attributes());
                withMp.add(empty);
                int attrBytes = MessageEncoder.encode(new Update(List.of(), withMp, List.of()), options).length;
                for (List<Prefix> chunk : chunks(prefixes, max - attrBytes - 3)) {
                    withMp.set(withMp.size() - 1, exporter.ipv6Reach(chunk));
                    sendUpdate(new Update(List.of(), withMp, List.of()));
                }
            });
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
