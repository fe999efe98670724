package io.meshgw.bgp.wire;

import java.util.ArrayList;
import java.util.List;

/** A realistic full-size UPDATE for benchmarks and examples: ~1,000 /24s with common attributes. */
public final class SampleUpdates {

    private SampleUpdates() {}

    public static Update fullUpdate() {
        List<Prefix> nlri = new ArrayList<>();
        for (int i = 0; nlri.size() < 1000; i++) {
            nlri.add(new Prefix(Afi.IPV4, new byte[] {20, (byte) (i >> 8), (byte) i, 0}, 24));
        }
        List<PathAttribute> attrs = List.of(
                new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(65001L, 65010L, 4200000001L),
                new PathAttribute.NextHop(new byte[] {10, 0, 0, 1}),
                new PathAttribute.MultiExitDisc(10),
                new PathAttribute.Communities(List.of(65001L << 16 | 100, 65001L << 16 | 200)),
                new PathAttribute.LargeCommunities(List.of(new PathAttribute.LargeCommunities.Large(65001, 1, 2))));
        return new Update(List.of(), attrs, nlri);
    }
}
