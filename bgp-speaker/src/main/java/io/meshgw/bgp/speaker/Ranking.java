package io.meshgw.bgp.speaker;

import io.meshgw.bgp.rib.PathRank;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.PathAttribute.Segment;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Extracts the decision-process inputs from path attributes. */
final class Ranking {

    private Ranking() {}

    /**
     * @param address the peer address as from {@link #addressKey}; {0, 0} for local routes
     */
    static PathRank rank(RouteAttributes ra, long peerAsn, boolean local, boolean ebgp, long routerId, long[] address) {
        PathAttribute.AsPath path = ra.get(PathAttribute.AsPath.class).orElse(new PathAttribute.AsPath(List.of()));
        List<Long> flat = path.flatten();
        return new PathRank(
                local,
                ra.get(PathAttribute.LocalPref.class)
                        .map(PathAttribute.LocalPref::value)
                        .orElse(PathRank.DEFAULT_LOCAL_PREF),
                path.selectionLength(),
                ra.get(PathAttribute.Origin.class)
                        .map(PathAttribute.Origin::value)
                        .orElse(2),
                ra.get(PathAttribute.MultiExitDisc.class)
                        .map(PathAttribute.MultiExitDisc::value)
                        .orElse(0L),
                flat.isEmpty() ? peerAsn : flat.getFirst(),
                ebgp,
                0,
                routerId,
                address[1],
                address[0]);
    }

    /** An address as (high, low) unsigned keys for the last tie-breaker. */
    static long[] addressKey(InetAddress a) {
        byte[] b = a.getAddress();
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < b.length; i++) {
            if (b.length == 16 && i < 8) {
                hi = (hi << 8) | (b[i] & 0xFF);
            } else {
                lo = (lo << 8) | (b[i] & 0xFF);
            }
        }
        return new long[] {hi, lo};
    }

    /** Our AS in front of the path (RFC 4271 §5.1.2, toward an external peer). */
    static PathAttribute.AsPath prepend(PathAttribute.AsPath p, long asn) {
        List<Segment> segs = new ArrayList<>(p.segments());
        if (!segs.isEmpty()
                && segs.getFirst().segmentType() == Segment.AS_SEQUENCE
                && segs.getFirst().asns().size() < 255) {
            List<Long> asns = new ArrayList<>(segs.getFirst().asns().size() + 1);
            asns.add(asn);
            asns.addAll(segs.getFirst().asns());
            segs.set(0, new Segment(Segment.AS_SEQUENCE, asns));
        } else {
            segs.addFirst(new Segment(Segment.AS_SEQUENCE, List.of(asn)));
        }
        return new PathAttribute.AsPath(segs);
    }
}
