package io.meshgw.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkedMapTest {

    @Test
    void editsFromOneLineageBehaveAsAPlainMapAndDiffReportsExactlyWhatChanged() {
        var random = new Random(42);
        Map<Integer, String> model = new HashMap<>();
        ChunkedMap<Integer, String> map = ChunkedMap.of();
        for (int round = 0; round < 300; round++) {
            var edit = map.edit();
            int ops = round < 20 ? 500 : 1 + random.nextInt(12);
            for (int i = 0; i < ops; i++) {
                int key = random.nextInt(round < 150 ? 20_000 : 300);
                if (random.nextInt(3) == 0) {
                    edit.remove(key);
                    model.remove(key);
                } else {
                    String value = "v" + random.nextInt(4);
                    edit.put(key, value);
                    model.put(key, value);
                }
            }
            var before = map;
            var beforeModel = new HashMap<>(copy(before));
            map = edit.build();
            assertThat(map).as("round %d", round).isEqualTo(model).hasSameHashCodeAs(model);
            assertThat(map.size()).isEqualTo(model.size());

            Map<Integer, List<String>> reported = new HashMap<>();
            ChunkedMap.diff(before, map, (k, was, now) -> reported.put(k, java.util.Arrays.asList(was, now)));
            Map<Integer, List<String>> expected = new HashMap<>();
            beforeModel.forEach((k, v) -> {
                if (!v.equals(model.get(k))) expected.put(k, java.util.Arrays.asList(v, model.get(k)));
            });
            model.forEach((k, v) -> {
                if (!beforeModel.containsKey(k)) expected.put(k, java.util.Arrays.asList(null, v));
            });
            assertThat(reported).as("round %d", round).isEqualTo(expected);
        }
    }

    @Test
    void oneChangeInALargeMapCopiesOneChunkAndTheRestIsShared() {
        var edit = ChunkedMap.<Integer, Integer>of().edit();
        for (int i = 0; i < 65_536; i++) edit.put(i, i);
        var large = edit.build();
        var next = large.edit().put(7, -7).build();

        assertThat(large.chunkCount()).isGreaterThan(1000);
        assertThat(next.chunksSharedWith(large)).isEqualTo(large.chunkCount() - 1);
        assertThat(next.get(7)).isEqualTo(-7);
        assertThat(large.get(7)).as("the map edited from is not changed").isEqualTo(7);
    }

    @Test
    void anEditThatChangesNothingGivesTheSameMap() {
        var map = ChunkedMap.copyOf(Map.of("a", 1, "b", 2));
        assertThat(map.edit().put("a", 1).remove("zz").build()).isSameAs(map);
        assertThat(ChunkedMap.copyOf(map)).isSameAs(map);
    }

    @Test
    void aSmallMapIteratesInInsertionOrder() {
        var source = new LinkedHashMap<String, Integer>();
        for (var k : List.of("zeta", "alpha", "mid", "beta")) source.put(k, k.length());
        assertThat(new ArrayList<>(ChunkedMap.copyOf(source).keySet())).containsExactly("zeta", "alpha", "mid", "beta");
    }

    @Test
    void isImmutableAndRefusesNulls() {
        var map = ChunkedMap.copyOf(Map.of("a", 1));
        assertThatThrownBy(() -> map.put("b", 2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> map.entrySet().iterator().next().setValue(3))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> map.edit().put("b", null)).isInstanceOf(NullPointerException.class);
        assertThat(map.get(null)).isNull();
    }

    private static Map<Integer, String> copy(Map<Integer, String> map) {
        return new HashMap<>(map);
    }
}
