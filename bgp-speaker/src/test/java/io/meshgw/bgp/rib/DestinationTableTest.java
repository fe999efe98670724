package io.meshgw.bgp.rib;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DestinationTableTest {

    /** Packs the non-negative even keys only, so both halves of the table are exercised. */
    private static final KeyPacking<Long> EVEN = new KeyPacking<>() {
        @Override
        public long pack(Long key) {
            return key >= 0 && key % 2 == 0 ? key : NONE;
        }

        @Override
        public Long unpack(long packed) {
            return packed;
        }
    };

    @Test
    void agreesWithAHashMapOverARandomMixOfPutsRemovesAndRewrites() {
        DestinationTable<Long, String> table = new DestinationTable<>(EVEN);
        Map<Long, String> model = new HashMap<>();
        Random random = new Random(19);
        for (int step = 0; step < 200_000; step++) {
            long key = random.nextInt(5_000) - 100; // negative keys are never packed
            switch (random.nextInt(10)) {
                case 0, 1, 2, 3 -> assertThat(table.put(key, "v" + step)).isEqualTo(model.put(key, "v" + step));
                case 4, 5, 6 -> assertThat(table.remove(key)).isEqualTo(model.remove(key));
                case 7 -> assertThat(table.get(key)).isEqualTo(model.get(key));
                case 8 -> {
                    // a walk that removes and rewrites what it visits, as a withdrawal of a whole peer does
                    long drop = random.nextInt(7);
                    table.replaceAll((k, v) -> Math.floorMod(k, 7) == drop ? null : v + "'");
                    model.replaceAll((k, v) -> v + "'");
                    model.keySet().removeIf(k -> Math.floorMod(k, 7) == drop);
                }
                default -> assertThat(table.size()).isEqualTo(model.size());
            }
        }
        Map<Long, String> visited = new HashMap<>();
        table.forEach(visited::put);
        assertThat(visited).isEqualTo(model);
        assertThat(table.size()).isEqualTo(model.size());
    }

    @Test
    void aTableEmptiedByRemovalsIsFoundEmptyAndRefillsWithoutTombstonesPilingUp() {
        DestinationTable<Long, String> table = new DestinationTable<>(EVEN);
        for (int round = 0; round < 50; round++) {
            for (long k = 0; k < 2_000; k += 2) {
                table.put(k, "x");
            }
            for (long k = 0; k < 2_000; k += 2) {
                assertThat(table.remove(k)).isEqualTo("x");
            }
            assertThat(table.size()).isZero();
            assertThat(table.get(0L)).isNull();
        }
    }
}
