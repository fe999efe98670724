package io.meshgw.bgp.speaker;

import io.meshgw.bgp.rib.Path;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.MessageEncoder;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.Update;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one neighbor is sent. The Adj-RIB-Out is not stored: it is always the export of the
 * Loc-RIB's best paths, so a change is announced when the new best path exports, and withdrawn
 * when only the old one did (as BIRD does). That keeps memory flat in the number of neighbors.
 * Prefixes with the same exported attributes share UPDATEs, packed to the message size limit.
 */
final class AdjRibOut {

    private final Peer peer;
    private long advertised;

    AdjRibOut(Peer peer) {
        this.peer = peer;
    }

    long advertised() {
        return advertised;
    }

    void reset() {
        advertised = 0;
    }

    /** A coalesced best-path change: the best path before the batch and after it. */
    record Change(Prefix prefix, Optional<Path<RouteAttributes>> before, Optional<Path<RouteAttributes>> now) {}

    /** Sends a batch of changes. */
    void send(List<Change> changes) {
        if (!peer.established()) {
            return;
        }
        Batch b = new Batch();
        for (Change c : changes) {
            RouteAttributes now = c.now()
                    .map(p -> peer.speaker.exportAttributes(peer, c.prefix(), p))
                    .orElse(null);
            RouteAttributes was = c.before()
                    .map(p -> peer.speaker.exportAttributes(peer, c.prefix(), p))
                    .orElse(null);
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

    /** On Established: the whole table, then End-of-RIB per family (RFC 4724 §2). */
    void sendFullTable() {
        advertised = 0;
        sendTable(null);
        for (Afi afi : peer.negotiatedFamilies()) {
            peer.send(MessageEncoder.encode(Update.endOfRib(afi), peer.options()));
        }
    }

    /** RFC 2918: the peer asked for a family again. */
    void resendAll(Afi afi) {
        sendTable(afi);
    }

    private void sendTable(Afi only) {
        Batch b = new Batch();
        long[] count = {0};
        peer.speaker.rib().forEachBest((prefix, path) -> {
            if (only != null && prefix.afi() != only) {
                return;
            }
            RouteAttributes a = peer.speaker.exportAttributes(peer, prefix, path);
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
            int max = peer.options().maxMessageLength();
            for (List<Prefix> chunk : chunks(withdraw4, max - 23)) {
                sendUpdate(new Update(chunk, List.of(), List.of()));
            }
            for (List<Prefix> chunk : chunks(withdraw6, max - 23 - 10)) {
                sendUpdate(
                        new Update(List.of(), List.of(new PathAttribute.MpUnreachNlri(Afi.IPV6, 1, chunk)), List.of()));
            }
            v4.forEach((attrs, prefixes) -> {
                int attrBytes = MessageEncoder.encode(
                                new Update(List.of(), attrs.attributes(), List.of()), peer.options())
                        .length;
                for (List<Prefix> chunk : chunks(prefixes, max - attrBytes)) {
                    sendUpdate(new Update(List.of(), attrs.attributes(), chunk));
                }
            });
            v6.forEach((attrs, prefixes) -> {
                PathAttribute.MpReachNlri empty = peer.speaker.ipv6Reach(peer, List.of());
                if (empty == null) {
                    return; // no IPv6 next hop for this session
                }
                List<PathAttribute> withMp = new ArrayList<>(attrs.attributes());
                withMp.add(empty);
                int attrBytes = MessageEncoder.encode(new Update(List.of(), withMp, List.of()), peer.options()).length;
                for (List<Prefix> chunk : chunks(prefixes, max - attrBytes - 3)) {
                    withMp.set(withMp.size() - 1, peer.speaker.ipv6Reach(peer, chunk));
                    sendUpdate(new Update(List.of(), withMp, List.of()));
                }
            });
        }
    }

    private void sendUpdate(Update u) {
        peer.send(MessageEncoder.encode(u, peer.options()));
        peer.updateSent();
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
