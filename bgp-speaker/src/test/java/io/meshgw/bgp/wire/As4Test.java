package io.meshgw.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.wire.PathAttribute.AsPath;
import io.meshgw.bgp.wire.PathAttribute.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rebuilding the 4-octet path from AS_PATH and AS4_PATH (RFC 6793 §4.2.3). */
class As4Test {

    private static final long T = Open.AS_TRANS;

    private static Segment seq(Long... asns) {
        return new Segment(Segment.AS_SEQUENCE, List.of(asns));
    }

    private static Segment set(Long... asns) {
        return new Segment(Segment.AS_SET, List.of(asns));
    }

    @Test
    void theLeadingAsesThatAs4PathDoesNotCoverAreKept() {
        // 65001 and 65002 were prepended by 2-octet speakers after the path left 4-octet land
        AsPath merged = As4.merge(new AsPath(List.of(seq(65001L, 65002L, T))), List.of(seq(4200000001L)));
        assertThat(merged).isEqualTo(new AsPath(List.of(seq(65001L, 65002L), seq(4200000001L))));
    }

    @Test
    void whenAs4PathCoversTheWholePathItIsThePath() {
        AsPath merged = As4.merge(new AsPath(List.of(seq(65001L), seq(T))), List.of(seq(65001L, 4200000001L)));
        assertThat(merged).isEqualTo(new AsPath(List.of(seq(65001L, 4200000001L))));
    }

    @Test
    void aSetCountsAsOneAndIsKeptWhole() {
        AsPath path = new AsPath(List.of(set(1L, 2L, 3L), seq(4L, T)));
        assertThat(As4.merge(path, List.of(seq(4200000001L))))
                .isEqualTo(new AsPath(List.of(set(1L, 2L, 3L), seq(4L), seq(4200000001L))));
        AsPath twoSets = new AsPath(List.of(set(1L, 2L), set(3L), seq(T)));
        assertThat(As4.merge(twoSets, List.of(seq(4200000001L))))
                .isEqualTo(new AsPath(List.of(set(1L, 2L), set(3L), seq(4200000001L))));
        AsPath setThenLong = new AsPath(List.of(set(1L, 2L), seq(5L, 6L, T)));
        assertThat(As4.merge(setThenLong, List.of(seq(4200000001L))))
                .isEqualTo(new AsPath(List.of(set(1L, 2L), seq(5L, 6L), seq(4200000001L))));
    }

    @Test
    void anAs4PathLongerThanAsPathIsIgnored() {
        AsPath path = new AsPath(List.of(seq(65001L, T)));
        assertThat(As4.merge(path, List.of(seq(1L, 2L, 4200000001L)))).isSameAs(path);
    }

    @Test
    void onlyAsesAbove65535NeedFourOctets() {
        assertThat(As4.needsFourOctets(List.of(seq(1L, 65535L)))).isFalse();
        assertThat(As4.needsFourOctets(List.of(seq(1L), set(65536L)))).isTrue();
        assertThat(As4.needsFourOctets(List.of())).isFalse();
    }

    private static Segment confed(Long... asns) {
        return new Segment(Segment.AS_CONFED_SEQUENCE, List.of(asns));
    }

    @Test
    void leadingConfederationSegmentsOfAsPathAreKept() {
        // §4.2.3: a confederation segment is prepended when it leads or follows a prepended one
        AsPath covered = new AsPath(List.of(confed(65010L, 65011L), seq(65001L, T)));
        assertThat(As4.merge(covered, List.of(seq(65001L, 4200000001L))))
                .isEqualTo(new AsPath(List.of(confed(65010L, 65011L), seq(65001L, 4200000001L))));
        AsPath afterKept = new AsPath(List.of(seq(65002L), confed(65010L), seq(T)));
        assertThat(As4.merge(afterKept, List.of(seq(4200000001L))))
                .isEqualTo(new AsPath(List.of(seq(65002L), confed(65010L), seq(4200000001L))));
    }

    @Test
    void as4PathNeverCarriesConfederationSegments() {
        // RFC 6793 §3
        assertThat(As4.withoutConfed(
                        List.of(confed(1L), new Segment(Segment.AS_CONFED_SET, List.of(2L)), seq(3L), set(4L))))
                .containsExactly(seq(3L), set(4L));
    }
}
