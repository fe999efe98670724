package io.meshgw.bgp.speaker;

import io.meshgw.bgp.rib.LocRib;
import io.meshgw.bgp.rib.Path;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.CodecOptions;
import io.meshgw.bgp.wire.MessageEncoder;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.Update;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one neighbor is sent. The Adj-RIB-Out is not stored: it is always the export of the
 * Loc-RIB's best paths, so a change is announced when the new best path exports, and withdrawn
 * when only the old one did (as BIRD does). That keeps memory flat in the number of neighbors.
 * Prefixes with the same exported attributes share UPDATEs, packed to the message size limit.
 * What a neighbor gets for a best path is its {@link Exporter}'s decision.
 */
final class AdjRibOut {

    /** The session the UPDATEs go out on. */
    interface Output {
        boolean established();

        /** The wire format negotiated, which also bounds the message size. */
        CodecOptions options();

        /** Encodes and sends one UPDATE (RFC 4271 §10: which restarts the KeepaliveTimer). */
        void send(Update update);
    }

    private Exporter exporter;
    private final LocRib<Prefix, RouteAttributes> rib;
    private final Output session;
    private long advertised;
    private List<Afi> owedEndOfRib = List.of();

    AdjRibOut(Exporter exporter, LocRib<Prefix, RouteAttributes> rib, Output session) {
        this.exporter = exporter;
        this.rib = rib;
        this.session = session;
    }

    long advertised() {
        return advertised;
    }

    void reset() {
        advertised = 0;
        owedEndOfRib = List.of();
    }

    /** A coalesced best-path change: the best path before the batch and after it. */
    record Change(Prefix prefix, Optional<Path<RouteAttributes>> before, Optional<Path<RouteAttributes>> now) {}

    /** Sends a batch of changes. */
    void send(List<Change> changes) {
        if (!session.established()) {
            return;
        }
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
        boolean nextHopMoved = was.ipv6NextHopDiffers(next);
        Batch b = new Batch();
        rib.forEachBest((prefix, path) -> {
            RouteAttributes before = was.export(prefix, path);
            RouteAttributes now = next.export(prefix, path);
            if (now != null) {
                if (!now.equals(before) || (nextHopMoved && prefix.afi() == Afi.IPV6)) {
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

    /** RFC 2918: the peer asked for a family again. */
    void resendAll(Afi afi) {
        sendTable(afi);
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
