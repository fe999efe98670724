package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.types.Protocol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Incremental applies end where recomputing the whole image ends: for random sequences of
 * changes, the maps written through the incremental diffs hold exactly the image
 * {@link MapImage#of} computes from the same table with an allocator that saw the same history.
 */
class AppliedImageTest {

    /** Given whole tables, or the changes a caller that knows them hands over ({@link TableChange}). */
    @ParameterizedTest(name = "given {0}")
    @ValueSource(strings = {"tables", "changes"})
    void incrementalAppliesWriteWhatTheWholeImageHolds(String given) {
        int steps = 0;
        int incremental = 0;
        for (long seed = 1; seed <= 20; seed++) {
            incremental += replay(new Random(seed), 400, given.equals("changes"));
            steps += 400;
        }
        // The whole image is recomputed only now and then: after forgetting, and while a backend is contested.
        assertThat(incremental).isGreaterThan(steps * 3 / 4);
    }

    @Test
    void aChangeBeforeAnyTableIsLeftToTheWholeTable() {
        AppliedImage image = AppliedImage.of(MapImage.EMPTY);
        ServiceTranslation s = new ServiceTranslation(
                Ipv4.parse("198.51.100.1"),
                80,
                Protocol.TCP,
                1,
                List.of(new Backend(Ipv4.parse("10.1.0.1"), 8080, 1, true)));
        assertThat(image.changeBy(new TableChange(List.of(), List.of(s), TranslationTable.EMPTY), new IdAllocator()))
                .isEmpty();
    }

    @Test
    void aTableChangeRefusesServicesInOthersAndAServiceTwice() {
        ServiceTranslation s = new ServiceTranslation(
                Ipv4.parse("198.51.100.1"),
                80,
                Protocol.TCP,
                1,
                List.of(new Backend(Ipv4.parse("10.1.0.1"), 8080, 1, true)));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new TableChange(List.of(), List.of(), TranslationTable.EMPTY.withServices(List.of(s))))
                .hasMessageContaining("not in others");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new TableChange(List.of(), List.of(s, s), TranslationTable.EMPTY))
                .hasMessageContaining("198.51.100.1:80/TCP appears twice");
    }

    /** The change from one table to the next, services put in the next table's order. */
    private static TableChange between(TranslationTable before, TranslationTable after) {
        Map<String, ServiceTranslation> was = new LinkedHashMap<>();
        before.services().forEach(s -> was.put(s.key(), s));
        List<ServiceTranslation> put = new ArrayList<>();
        java.util.Set<String> present = new java.util.HashSet<>();
        for (ServiceTranslation s : after.services()) {
            present.add(s.key());
            if (!s.equals(was.get(s.key()))) {
                put.add(s);
            }
        }
        List<ServiceTranslation> removed = before.services().stream()
                .filter(s -> !present.contains(s.key()))
                .toList();
        return new TableChange(removed, put, after.withServices(List.of()));
    }

    @Test
    void anUnchangedTableWritesNothing() {
        Random random = new Random(7);
        TableChanges t = new TableChanges(random, 300);
        for (int i = 0; i < 30; i++) {
            t.addService();
        }
        IdAllocator ids = new IdAllocator();
        AppliedImage image = AppliedImage.of(MapImage.EMPTY);
        TranslationTable table = t.table();
        image.commit(image.changeTo(table, ids), ids);
        AppliedImage.Change again = image.changeTo(t.table(), ids);
        assertThat(again.desired()).isEmpty();
        assertThat(again.diff().upserts() + again.diff().removals()).isZero();
    }

    @Test
    void oneChangedServiceIsDiffedAloneWithItsSlotsAndBackend() {
        TableChanges t = new TableChanges(new Random(3), 0);
        for (int i = 0; i < 50; i++) {
            t.addService();
        }
        IdAllocator ids = new IdAllocator();
        AppliedImage image = AppliedImage.of(MapImage.EMPTY);
        image.commit(image.changeTo(t.table(), ids), ids);
        List<ServiceTranslation> services = new ArrayList<>(t.table().services());
        ServiceTranslation s = services.get(17);
        services.set(
                17,
                new ServiceTranslation(
                        s.vip(),
                        s.port(),
                        s.protocol(),
                        s.identity(),
                        List.of(new Backend(Ipv4.parse("10.250.0.1"), 9, 3, true))));
        AppliedImage.Change c = image.changeTo(t.table().withServices(services), ids);
        assertThat(c.desired()).isEmpty();
        assertThat(c.pieces()).containsOnlyKeys(ServicePiece.keyOf(s));
        assertThat(c.diff().backends().upserts()).hasSize(1);
    }

    @Test
    void aBackendNamedWithTwoClusterIdsIsLeftToTheWholeTable() {
        Backend inOne = new Backend(Ipv4.parse("10.1.0.1"), 8080, 1, true);
        Backend inTwo = new Backend(Ipv4.parse("10.1.0.1"), 8080, 2, false);
        ServiceTranslation a = new ServiceTranslation(Ipv4.parse("198.51.100.1"), 80, Protocol.TCP, 1, List.of(inOne));
        ServiceTranslation b = new ServiceTranslation(Ipv4.parse("198.51.100.2"), 80, Protocol.TCP, 1, List.of(inTwo));
        IdAllocator ids = new IdAllocator();
        AppliedImage image = AppliedImage.of(MapImage.EMPTY);
        image.commit(image.changeTo(TranslationTable.EMPTY.withServices(List.of(a)), ids), ids);

        AppliedImage.Change both = image.changeTo(TranslationTable.EMPTY.withServices(List.of(a, b)), ids);
        assertThat(both.desired())
                .as("the second cluster id makes the backend contested")
                .isPresent();
        image.commit(both, ids);
        // Only the table's order tells which cluster id the backend map holds: the first.
        AppliedImage.Change reordered = image.changeTo(TranslationTable.EMPTY.withServices(List.of(b, a)), ids);
        assertThat(reordered.desired()).isPresent();
        image.commit(reordered, ids);
        assertThat(image.image().backends().values())
                .extracting(v -> v.cluster())
                .containsExactly(2);

        AppliedImage.Change settled = image.changeTo(TranslationTable.EMPTY.withServices(List.of(a)), ids);
        image.commit(settled, ids);
        assertThat(image.image().backends().values())
                .extracting(v -> v.cluster())
                .containsExactly(1);
        assertThat(image.changeTo(TranslationTable.EMPTY.withServices(List.of(a)), ids)
                        .desired())
                .as("no longer contested")
                .isEmpty();
    }

    @Test
    void aTableMostlyReplacedIsRecomputedWholeWithTheSameResult() {
        List<ServiceTranslation> first = new ArrayList<>();
        List<ServiceTranslation> second = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            first.add(new ServiceTranslation(
                    Ipv4.toAddress(0xC6330000 + i),
                    80,
                    Protocol.TCP,
                    1,
                    List.of(new Backend(Ipv4.toAddress(0x0A400000 + i), 80, 1, true))));
            second.add(new ServiceTranslation(
                    Ipv4.toAddress(0xC6330000 + i + 600),
                    80,
                    Protocol.TCP,
                    1,
                    List.of(new Backend(Ipv4.toAddress(0x0A400000 + i), 80, 1, true))));
        }
        IdAllocator fullIds = new IdAllocator();
        IdAllocator ids = new IdAllocator();
        AppliedImage image = AppliedImage.of(MapImage.EMPTY);
        for (List<ServiceTranslation> services : List.of(first, second, first)) {
            TranslationTable table = TranslationTable.EMPTY.withServices(services);
            MapImage full = MapImage.of(table, fullIds);
            fullIds.retain(full.services().keySet(), full.backends().keySet());
            AppliedImage.Change change = image.changeTo(table, ids);
            assertThat(change.desired()).isPresent();
            image.commit(change, ids);
            assertThat(image.image()).isEqualTo(full);
        }
    }

    /**
     * Applies {@code steps} random changes both ways and compares after each; returns how many were applied without
     * recomputing the whole image. With {@code changes}, each step is handed over as the change from the last table,
     * and the whole table only where the change alone will not do.
     */
    private static int replay(Random random, int steps, boolean changes) {
        int incremental = 0;
        TableChanges t = new TableChanges(random, 300);
        IdAllocator fullIds = new IdAllocator(64);
        IdAllocator ids = new IdAllocator(64);
        AppliedImage image = AppliedImage.of(MapImage.EMPTY);
        MapImage kernel = MapImage.EMPTY; // what the maps hold after the writes
        TranslationTable before = TranslationTable.EMPTY;
        for (int step = 0; step < steps; step++) {
            String what = t.changeSomething();
            TranslationTable table = t.table();
            MapImage full = MapImage.of(table, fullIds);
            fullIds.retain(full.services().keySet(), full.backends().keySet());
            if (random.nextInt(25) == 0) {
                image.forgetPieces(); // as after re-reading the maps
            }
            var byChange =
                    changes ? image.changeBy(between(before, table), ids) : Optional.<AppliedImage.Change>empty();
            AppliedImage.Change change = byChange.orElseGet(() -> image.changeTo(table, ids));
            kernel = change.diff().applyTo(kernel);
            image.commit(change, ids);
            incremental += change.desired().isEmpty() ? 1 : 0;
            String context = "step " + step + " after " + what;
            assertThat(kernel).as(context).isEqualTo(full);
            assertThat(image.image()).as(context).isEqualTo(full);
            // and nothing more to write
            AppliedImage.Change again = changes
                    ? image.changeBy(between(table, table), ids).orElseGet(() -> image.changeTo(table, ids))
                    : image.changeTo(table, ids);
            assertThat(again.diff().upserts() + again.diff().removals())
                    .as(context)
                    .isZero();
            before = table;
        }
        return incremental;
    }

    /** A table under random change; services and identities drawn from small pools so they collide. */
    static final class TableChanges {
        private final Random random;
        private final Map<String, ServiceTranslation> services = new LinkedHashMap<>();
        private final Map<Ipv4Prefix, IdentityPrefix> identities = new LinkedHashMap<>();
        private final Map<Integer, EgressTranslation> egress = new LinkedHashMap<>();
        private final Map<String, PolicyRule> policies = new LinkedHashMap<>();
        private List<ServiceTranslation> order = List.of();
        private Verdict ingress = Verdict.ALLOW;
        private Verdict egressDefault = Verdict.ALLOW;

        private final int contestOdds;

        /** @param contestOdds one backend in this many is named with another cluster id (0: none) */
        TableChanges(Random random, int contestOdds) {
            this.random = random;
            this.contestOdds = contestOdds;
        }

        TranslationTable table() {
            List<ServiceTranslation> list = new ArrayList<>();
            for (ServiceTranslation s : order) {
                ServiceTranslation now = services.get(s.key());
                if (now != null) {
                    list.add(now);
                }
            }
            for (ServiceTranslation s : services.values()) {
                if (!list.contains(s)) {
                    list.add(s);
                }
            }
            order = List.copyOf(list);
            return new TranslationTable(
                    order,
                    List.copyOf(identities.values()),
                    List.copyOf(egress.values()),
                    List.copyOf(policies.values()),
                    ingress,
                    egressDefault);
        }

        String changeSomething() {
            return switch (random.nextInt(12)) {
                case 0, 1, 2 -> addService();
                case 3 -> removeService();
                case 4, 5, 6 -> changeBackends();
                case 7 -> changeServiceIdentity();
                case 8 -> changeIdentities();
                case 9 -> changeEgress();
                case 10 -> changePolicies();
                default -> reorder();
            };
        }

        String addService() {
            ServiceTranslation s = new ServiceTranslation(
                    Ipv4.toAddress(0xC6336400 + random.nextInt(48)),
                    80 + random.nextInt(2),
                    random.nextBoolean() ? Protocol.TCP : Protocol.UDP,
                    random.nextInt(5),
                    backends());
            services.put(s.key(), s);
            return "add " + s.key();
        }

        String removeService() {
            if (services.isEmpty()) {
                return "nothing removed";
            }
            String k = pick(new ArrayList<>(services.keySet()));
            return "remove " + services.remove(k).key();
        }

        String changeBackends() {
            if (services.isEmpty()) {
                return addService();
            }
            ServiceTranslation s = services.get(pick(new ArrayList<>(services.keySet())));
            List<Backend> b = new ArrayList<>(s.backends());
            switch (random.nextInt(4)) {
                case 0 -> b = backends();
                case 1 -> {
                    if (!b.isEmpty()) {
                        b.remove(random.nextInt(b.size()));
                    }
                }
                case 2 -> Collections.shuffle(b, random); // the slots are sorted: no change
                default -> b.add(backend());
            }
            b = b.stream()
                    .collect(java.util.stream.Collectors.toMap(
                            x -> x.address().getHostAddress() + ":" + x.port(),
                            x -> x,
                            (x, y) -> x,
                            LinkedHashMap::new))
                    .values()
                    .stream()
                    .toList();
            services.put(s.key(), new ServiceTranslation(s.vip(), s.port(), s.protocol(), s.identity(), b));
            return "backends of " + s.key();
        }

        String changeServiceIdentity() {
            if (services.isEmpty()) {
                return addService();
            }
            ServiceTranslation s = services.get(pick(new ArrayList<>(services.keySet())));
            services.put(
                    s.key(), new ServiceTranslation(s.vip(), s.port(), s.protocol(), random.nextInt(5), s.backends()));
            return "identity of " + s.key();
        }

        String changeIdentities() {
            Ipv4Prefix p = new Ipv4Prefix(0x0A000000 + (random.nextInt(8) << 8), 24 + random.nextInt(2));
            if (random.nextInt(3) == 0) {
                identities.remove(p);
                return "identity prefix " + p + " removed";
            }
            identities.put(p, new IdentityPrefix(p, 1 + random.nextInt(4)));
            return "identity prefix " + p;
        }

        String changeEgress() {
            int identity = 1 + random.nextInt(4);
            if (random.nextInt(3) == 0) {
                egress.remove(identity);
                return "egress of " + identity + " removed";
            }
            List<Ipv4Prefix> d = new ArrayList<>();
            for (int i = random.nextInt(3); i >= 0; i--) {
                d.add(new Ipv4Prefix(0xC0000000 + (random.nextInt(6) << 16), 16 + random.nextInt(9)));
            }
            int min = 20000 + random.nextInt(3);
            egress.put(
                    identity,
                    new EgressTranslation(identity, Ipv4.toAddress(0xCB007100 + random.nextInt(3)), min, 30000, d));
            return "egress of " + identity;
        }

        String changePolicies() {
            if (random.nextInt(6) == 0) {
                ingress = random.nextBoolean() ? Verdict.ALLOW : Verdict.DENY;
                egressDefault = random.nextBoolean() ? Verdict.ALLOW : Verdict.DENY;
                return "defaults";
            }
            int identity = random.nextInt(5);
            PolicyRule.Direction dir =
                    random.nextBoolean() ? PolicyRule.Direction.INGRESS : PolicyRule.Direction.EGRESS;
            int port = random.nextInt(3) == 0 ? 0 : 80 + random.nextInt(3);
            String key = identity + "/" + dir + "/" + port;
            if (random.nextInt(3) == 0) {
                policies.remove(key);
                return "policy " + key + " removed";
            }
            Verdict v = random.nextBoolean() ? Verdict.ALLOW : Verdict.DENY;
            policies.put(
                    key,
                    port == 0
                            ? PolicyRule.identityDefault(identity, dir, v)
                            : new PolicyRule(identity, Protocol.TCP, dir, port, v));
            return "policy " + key;
        }

        String reorder() {
            List<ServiceTranslation> shuffled = new ArrayList<>(order);
            Collections.shuffle(shuffled, random);
            order = List.copyOf(shuffled);
            return "services reordered";
        }

        private List<Backend> backends() {
            List<Backend> out = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                Backend b = backend();
                if (out.stream().noneMatch(x -> x.address().equals(b.address()) && x.port() == b.port())) {
                    out.add(b);
                }
            }
            return out;
        }

        /** Mostly one cluster per endpoint; now and then another, so a backend id is contested. */
        private Backend backend() {
            int host = random.nextInt(24);
            int cluster = contestOdds > 0 && random.nextInt(contestOdds) == 0 ? 9 : 1 + host % 3;
            return new Backend(Ipv4.toAddress(0x0A400000 + host), 8080 + random.nextInt(2), cluster, cluster == 1);
        }

        private <T> T pick(List<T> from) {
            return from.get(random.nextInt(from.size()));
        }
    }
}
