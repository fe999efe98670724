package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.rib.PathRank;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.PathAttribute.Segment;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RankingTest {

    @Test
    void theRankIsReadFromTheAttributes() {
        var ra = new RouteAttributes(List.of(
                new PathAttribute.Origin(1),
                new PathAttribute.AsPath(List.of(
                        new Segment(Segment.AS_SEQUENCE, List.of(65010L, 65020L)),
                        new Segment(Segment.AS_SET, List.of(1L, 2L, 3L)))),
                new PathAttribute.LocalPref(300),
                new PathAttribute.MultiExitDisc(42)));
        long[] addr = Ranking.addressKey(InetAddress.ofLiteral("192.0.2.2"));

        PathRank r = Ranking.rank(ra, 65010, false, true, 7, addr);

        assertThat(r.locallyOriginated()).isFalse();
        assertThat(r.localPref()).isEqualTo(300);
        assertThat(r.asPathLength()).as("a set counts one").isEqualTo(3);
        assertThat(r.origin()).isEqualTo(1);
        assertThat(r.med()).isEqualTo(42);
        assertThat(r.neighborAs()).isEqualTo(65010);
        assertThat(r.ebgp()).isTrue();
        assertThat(r.igpCost()).isZero();
        assertThat(r.routerId()).isEqualTo(7);
        assertThat(r.peerAddress()).isEqualTo(0xC0000202L);
        assertThat(r.peerAddressHigh()).isZero();
    }

    @Test
    void missingAttributesTakeTheirDefaults() {
        PathRank r = Ranking.rank(new RouteAttributes(List.of()), 65030, true, false, 0, new long[2]);
        assertThat(r.locallyOriginated()).isTrue();
        assertThat(r.localPref()).isEqualTo(PathRank.DEFAULT_LOCAL_PREF);
        assertThat(r.asPathLength()).isZero();
        assertThat(r.origin()).as("INCOMPLETE when unknown").isEqualTo(2);
        assertThat(r.med())
                .as("RFC 4271 §9.1.2.2 (c): a missing MED is the lowest")
                .isZero();
        assertThat(r.neighborAs()).as("an empty path: the peer's own AS").isEqualTo(65030);
        assertThat(r.ebgp()).isFalse();
    }

    @Test
    void addressKeysOrderAddressesAsUnsignedNumbers() {
        long[] low = Ranking.addressKey(InetAddress.ofLiteral("10.0.0.1"));
        long[] high = Ranking.addressKey(InetAddress.ofLiteral("200.0.0.1"));
        assertThat(low).containsExactly(0, 0x0A000001L);
        assertThat(high).containsExactly(0, 0xC8000001L);

        long[] v6 = Ranking.addressKey(InetAddress.ofLiteral("2001:db8::1:2"));
        assertThat(v6[0]).isEqualTo(0x20010DB800000000L);
        assertThat(v6[1]).isEqualTo(0x0000000000010002L);
        long[] v6high = Ranking.addressKey(InetAddress.ofLiteral("ff00::1"));
        assertThat(Long.compareUnsigned(v6high[0], v6[0])).isPositive();
    }

    @Test
    void prependJoinsTheFirstSequence() {
        var path = PathAttribute.AsPath.sequence(65010L, 65020L);
        assertThat(Ranking.prepend(path, 65000).segments())
                .containsExactly(new Segment(Segment.AS_SEQUENCE, List.of(65000L, 65010L, 65020L)));
    }

    @Test
    void prependStartsASequenceBeforeASetOrAnEmptyPath() {
        var set = new PathAttribute.AsPath(List.of(new Segment(Segment.AS_SET, List.of(1L, 2L))));
        assertThat(Ranking.prepend(set, 65000).segments())
                .containsExactly(
                        new Segment(Segment.AS_SEQUENCE, List.of(65000L)),
                        new Segment(Segment.AS_SET, List.of(1L, 2L)));
        assertThat(Ranking.prepend(PathAttribute.AsPath.sequence(), 65000).segments())
                .containsExactly(new Segment(Segment.AS_SEQUENCE, List.of(65000L)));
    }

    @Test
    void aFullSequenceGetsANewSegment() {
        List<Long> full = new ArrayList<>(Collections.nCopies(255, 65010L));
        var path = new PathAttribute.AsPath(List.of(new Segment(Segment.AS_SEQUENCE, full)));
        var prepended = Ranking.prepend(path, 65000).segments();
        assertThat(prepended).hasSize(2);
        assertThat(prepended.getFirst().asns()).containsExactly(65000L);
        assertThat(prepended.get(1).asns()).hasSize(255);

        List<Long> almost = new ArrayList<>(Collections.nCopies(254, 65010L));
        var joined = Ranking.prepend(new PathAttribute.AsPath(List.of(new Segment(Segment.AS_SEQUENCE, almost))), 65000)
                .segments();
        assertThat(joined).hasSize(1);
        assertThat(joined.getFirst().asns()).hasSize(255).startsWith(65000L);
    }
}
