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

    @Test
    void prefixesChosenToShareASlotUnderAKnownSeedSpreadOutUnderTheProcessSeed() {
        // What a neighbor that knew the hash would send: 2,000 keys whose slot in a 4,096-slot table is 0.
        long known = 0;
        java.util.List<Long> crowd = new java.util.ArrayList<>();
        for (long p = 0; crowd.size() < 2_000; p += 2) {
            if (DestinationTable.slot(p, known, 4095) == 0) {
                crowd.add(p);
            }
        }
        DestinationTable<Long, String> exposed = new DestinationTable<>(EVEN, known);
        DestinationTable<Long, String> seeded = new DestinationTable<>(EVEN);
        for (long p : crowd) {
            exposed.put(p, "x");
            seeded.put(p, "x");
        }
        assertThat(exposed.longestProbe())
                .as("with the seed known: one run of them all")
                .isGreaterThan(1_500);
        assertThat(seeded.longestProbe()).as("with the process's secret seed").isLessThan(64);
        crowd.forEach(p -> assertThat(seeded.get(p)).isEqualTo("x"));
    }
}
