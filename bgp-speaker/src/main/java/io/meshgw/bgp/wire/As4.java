package io.meshgw.bgp.wire;

import io.meshgw.bgp.wire.PathAttribute.AsPath;
import io.meshgw.bgp.wire.PathAttribute.Segment;
import java.util.ArrayList;
import java.util.List;

/** 4-octet AS numbers across 2-octet sessions (RFC 6793). */
public final class As4 {

    private As4() {}

    /**
     * On a 2-octet session, folds AS4_PATH into AS_PATH and AS4_AGGREGATOR into AGGREGATOR
     * (RFC 6793 §4.2.3), so the rest of the speaker only sees real 4-octet numbers.
     */
    static void reconcile(List<PathAttribute> attrs) {
        AsPath asPath = null;
        PathAttribute.As4Path as4 = null;
        PathAttribute.Aggregator agg = null;
        PathAttribute.Aggregator agg4 = null;
        for (PathAttribute a : attrs) {
            switch (a) {
                case AsPath p -> asPath = p;
                case PathAttribute.As4Path p -> as4 = p;
                case PathAttribute.Aggregator g when g.as4() -> agg4 = g;
                case PathAttribute.Aggregator g -> agg = g;
                default -> {}
            }
        }
        attrs.remove(as4);
        attrs.remove(agg4);
        if (agg4 != null && agg != null) {
            if (agg.asn() != Open.AS_TRANS) {
                // §4.2.3: AGGREGATOR from a 4-octet-aware aggregator wins; AS4 attributes are ignored
                return;
            }
            attrs.set(attrs.indexOf(agg), new PathAttribute.Aggregator(agg4.asn(), agg4.address(), false));
        }
        if (as4 != null && asPath != null) {
            attrs.set(attrs.indexOf(asPath), merge(asPath, as4.segments()));
        }
    }

    /**
     * §4.2.3: keep the leading ASes of AS_PATH that AS4_PATH does not cover, then AS4_PATH. A
     * confederation segment is kept when it leads or follows a kept segment: AS4_PATH never
     * carries one (§3).
     */
    static AsPath merge(AsPath asPath, List<Segment> as4Segments) {
        int n = asPath.selectionLength();
        int m = new AsPath(as4Segments).selectionLength();
        if (m > n) {
            return asPath; // an inconsistent AS4_PATH is ignored
        }
        List<Segment> out = new ArrayList<>();
        int keep = n - m;
        for (Segment s : asPath.segments()) {
            if (isConfed(s)) {
                out.add(s);
                continue;
            }
            if (keep <= 0) {
                break;
            }
            if (s.segmentType() == Segment.AS_SET) {
                out.add(s);
                keep--;
            } else {
                int take = Math.min(keep, s.asns().size());
                out.add(new Segment(s.segmentType(), s.asns().subList(0, take)));
                keep -= take;
            }
        }
        out.addAll(as4Segments);
        return new AsPath(out);
    }

    /**
     * RFC 6793 §3: AS4_PATH never carries confederation segments; a speaker leaves them out, and
     * a receiver discards those it finds.
     */
    static List<Segment> withoutConfed(List<Segment> segments) {
        return segments.stream().filter(s -> !isConfed(s)).toList();
    }

    private static boolean isConfed(Segment s) {
        return s.segmentType() == Segment.AS_CONFED_SEQUENCE || s.segmentType() == Segment.AS_CONFED_SET;
    }

    /** True when some AS of the path needs 4 octets. */
    static boolean needsFourOctets(List<Segment> segments) {
        return segments.stream().flatMap(s -> s.asns().stream()).anyMatch(a -> a > 0xFFFF);
    }
}
