package io.meshgw.bgp.speaker;

import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.Update;
import java.util.ArrayList;
import java.util.List;

/** UPDATEs a scripted neighbor sends. */
final class TestRoutes {

    private TestRoutes() {}

    /** IPv4 routes with ORIGIN IGP, the AS path {@code path} and next hop 192.0.2.200. */
    static Update announce(List<Prefix> prefixes, long... path) {
        List<Long> asns = new ArrayList<>();
        for (long a : path) {
            asns.add(a);
        }
        return new Update(
                List.of(),
                List.of(
                        new PathAttribute.Origin(0),
                        new PathAttribute.AsPath(
                                List.of(new PathAttribute.Segment(PathAttribute.Segment.AS_SEQUENCE, asns))),
                        new PathAttribute.NextHop(new byte[] {(byte) 192, 0, 2, (byte) 200})),
                prefixes);
    }

    static Update announce(Prefix p, long... path) {
        return announce(List.of(p), path);
    }

    static Update withdrawal(Prefix p) {
        return new Update(List.of(p), List.of(), List.of());
    }
}
