package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.types.Protocol;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The writes between two map contents, what they add up to, and what a map holds after them. */
class MapDiffTest {

    @Test
    void theWritesAreTheNewAndChangedEntriesAndTheKeysNoLongerWanted() {
        Map<Integer, String> current = Map.of(1, "a", 2, "b", 3, "c");
        MapDiff<Integer, String> d = MapDiff.of(current, Map.of(2, "B", 3, "c", 4, "d"));

        assertThat(d.upserts()).isEqualTo(Map.of(2, "B", 4, "d"));
        assertThat(d.removals()).isEqualTo(Set.of(1));
        assertThat(d.size()).isEqualTo(3);
        assertThat(d.isEmpty()).isFalse();
        assertThat(d.sizeAfter(current)).as("the capacity check's figure").isEqualTo(3);
        assertThat(d.applyTo(current)).isEqualTo(Map.of(2, "B", 3, "c", 4, "d"));
        assertThat(current).as("applyTo copies").hasSize(3);
    }

    @Test
    void onlyRemovalsOrOnlyUpsertsAreStillWrites() {
        Map<Integer, String> two = Map.of(1, "a", 2, "b");

        MapDiff<Integer, String> shrink = MapDiff.of(two, Map.of(1, "a"));
        assertThat(shrink.isEmpty()).isFalse();
        assertThat(shrink.sizeAfter(two)).isEqualTo(1);

        MapDiff<Integer, String> grow = MapDiff.of(Map.of(), two);
        assertThat(grow.isEmpty()).isFalse();
        assertThat(grow.sizeAfter(Map.of())).isEqualTo(2);

        assertThat(MapDiff.of(two, Map.of(2, "b", 1, "a")).isEmpty()).isTrue();
        assertThat(MapDiff.of(two, Map.of(2, "b", 1, "a")).size()).isZero();
    }

    @Test
    void anImageDiffCountsTheWritesOfEveryMapAndTheConfig() {
        TranslationTable t = new TranslationTable(
                List.of(new ServiceTranslation(
                        Ipv4.parse("198.51.100.1"),
                        80,
                        Protocol.TCP,
                        5,
                        List.of(
                                new Backend(Ipv4.parse("10.1.0.1"), 8080, 1, true),
                                new Backend(Ipv4.parse("10.1.0.2"), 8080, 1, true)))),
                List.of(
                        new IdentityPrefix(Ipv4Prefix.parse("10.1.0.0/16"), 5),
                        new IdentityPrefix(Ipv4Prefix.parse("10.2.0.0/16"), 6)),
                List.of(new EgressTranslation(
                        5,
                        Ipv4.parse("203.0.113.7"),
                        List.of(
                                Ipv4Prefix.parse("192.0.2.0/24"),
                                Ipv4Prefix.parse("198.18.0.0/15"),
                                Ipv4Prefix.parse("198.51.100.0/24")))),
                List.of(
                        PolicyRule.identityDefault(5, PolicyRule.Direction.INGRESS, Verdict.DENY),
                        PolicyRule.identityDefault(6, PolicyRule.Direction.INGRESS, Verdict.DENY),
                        PolicyRule.identityDefault(7, PolicyRule.Direction.INGRESS, Verdict.DENY),
                        PolicyRule.identityDefault(8, PolicyRule.Direction.INGRESS, Verdict.DENY)),
                Verdict.DENY,
                Verdict.ALLOW);
        MapImage img = MapImage.of(t, new IdAllocator());
        // 1 service, 2 slots, 1 Maglev table, 2 backends, 2 identity prefixes, 1 egress identity, 3 destinations,
        // 4 rules, 2 backend reply tuples
        int entries = 1 + 2 + 1 + 2 + 2 + 1 + 3 + 4 + 2;

        assertThat(img.entryCount()).as("and the config entry").isEqualTo(entries + 1);

        ImageDiff create = ImageDiff.between(MapImage.EMPTY, img);
        assertThat(create.upserts()).as("every entry, and the config").isEqualTo(entries + 1);
        assertThat(create.removals()).isZero();
        assertThat(create.applyTo(MapImage.EMPTY)).isEqualTo(img);

        ImageDiff clear = ImageDiff.between(img, MapImage.EMPTY);
        assertThat(clear.upserts()).as("the config back to its defaults").isEqualTo(1);
        assertThat(clear.removals()).isEqualTo(entries);
        assertThat(clear.applyTo(img)).isEqualTo(MapImage.EMPTY);
        assertThat(ImageDiff.between(img, img).upserts()
                        + ImageDiff.between(img, img).removals())
                .isZero();
    }
}
