package io.meshgw.bgp.speaker;

import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.MessageEncoder;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.Update;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one neighbor has been sent (its Adj-RIB-Out) and what is waiting to be sent. Changes are
 * coalesced until the next flush, then packed into as few UPDATEs as the message size allows:
 * prefixes with the same attributes share a message.
 */
final class AdjRibOut {

    private static final RouteAttributes WITHDRAW = new RouteAttributes(List.of());

    private final Peer peer;
    private final Map<Prefix, RouteAttributes> advertised = new HashMap<>();
    private final Map<Prefix, RouteAttributes> pending = new LinkedHashMap<>();
    private boolean flushScheduled;

    AdjRibOut(Peer peer) {
        this.peer = peer;
    }

    int advertised() {
        return advertised.size();
    }

    /** Queues an announcement ({@code attrs} non-null) or a withdrawal (null). */
    void offer(Prefix p, RouteAttributes attrs) {
        RouteAttributes now = advertised.get(p);
        RouteAttributes want = attrs == null ? WITHDRAW : attrs;
        if (want == WITHDRAW ? now == null : want.equals(now)) {
            pending.remove(p);
            return;
        }
        pending.put(p, want);
        if (!flushScheduled) {
            flushScheduled = true;
            peer.speaker.loop().execute(this::flush);
        }
    }

    /** On Established: the whole table, then End-of-RIB per family (RFC 4724 §2). */
    void sendFullTable() {
        peer.speaker
                .rib()
                .forEachBest((prefix, path) -> offer(prefix, peer.speaker.exportAttributes(peer, prefix, path)));
        flush();
        for (Afi afi : peer.negotiatedFamilies()) {
            peer.send(MessageEncoder.encode(Update.endOfRib(afi), peer.options()));
        }
    }

    /** RFC 2918: the peer asked for everything again. */
    void resendAll(Afi afi) {
        List<Map.Entry<Prefix, RouteAttributes>> again = new ArrayList<>();
        advertised.forEach((p, a) -> {
            if (p.afi() == afi) {
                again.add(Map.entry(p, a));
            }
        });
        again.forEach(e -> {
            advertised.remove(e.getKey());
            offer(e.getKey(), e.getValue());
        });
        flush();
    }

    void clear() {
        advertised.clear();
        pending.clear();
    }

    void flush() {
        flushScheduled = false;
        if (pending.isEmpty() || !peer.established()) {
            return;
        }
        Map<RouteAttributes, List<Prefix>> v4 = new LinkedHashMap<>();
        Map<RouteAttributes, List<Prefix>> v6 = new LinkedHashMap<>();
        List<Prefix> withdraw4 = new ArrayList<>();
        List<Prefix> withdraw6 = new ArrayList<>();
        pending.forEach((p, a) -> {
            boolean v4p = p.afi() == Afi.IPV4;
            if (a == WITHDRAW) {
                if (advertised.remove(p) != null) {
                    (v4p ? withdraw4 : withdraw6).add(p);
                }
            } else {
                advertised.put(p, a);
                (v4p ? v4 : v6).computeIfAbsent(a, k -> new ArrayList<>()).add(p);
            }
        });
        pending.clear();
        int max = peer.options().maxMessageLength();
        for (List<Prefix> chunk : chunks(withdraw4, max - 23)) {
            sendUpdate(new Update(chunk, List.of(), List.of()));
        }
        for (List<Prefix> chunk : chunks(withdraw6, max - 23 - 10)) {
            sendUpdate(new Update(List.of(), List.of(new PathAttribute.MpUnreachNlri(Afi.IPV6, 1, chunk)), List.of()));
        }
        v4.forEach((attrs, prefixes) -> {
            int attrBytes =
                    MessageEncoder.encode(new Update(List.of(), attrs.attributes(), List.of()), peer.options()).length;
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
