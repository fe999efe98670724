package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.MaglevValue;
import io.meshgw.types.Protocol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaglevTest {

    static List<Backend> backends(int n) {
        List<Backend> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Backend(Ipv4.parse("10.1." + (i / 200) + "." + (10 + i % 200)), 8080, 1, true));
        }
        return out;
    }

    static int[] counts(int[] table, int n) {
        int[] c = new int[n];
        for (int e : table) {
            c[e]++;
        }
        return c;
    }

    @Test
    void everyBackendHoldsItsShareRoundedEitherWay() {
        for (int n : new int[] {1, 2, 3, 7, 10, 64, 1021}) {
            int[] c = counts(Maglev.table(backends(n)), n);
            int share = Maglev.SIZE / n;
            assertThat(Arrays.stream(c).min().getAsInt())
                    .as("fewest entries, %d backends", n)
                    .isEqualTo(share);
            assertThat(Arrays.stream(c).max().getAsInt())
                    .as("most entries, %d backends", n)
                    .isEqualTo(Maglev.SIZE % n == 0 ? share : share + 1);
        }
    }

    @Test
    void removingOneBackendMovesFewEntriesOfTheOthers() {
        for (int n : new int[] {3, 5, 10, 32}) {
            List<Backend> all = backends(n);
            int[] before = Maglev.table(all);
            for (int gone = 0; gone < n; gone++) {
                List<Backend> rest = new ArrayList<>(all);
                rest.remove(gone);
                int[] after = Maglev.table(rest);
                int moved = 0;
                int kept = 0;
                for (int i = 0; i < Maglev.SIZE; i++) {
                    if (before[i] == gone) {
                        continue;
                    }
                    kept++;
                    Backend was = all.get(before[i]);
                    moved += rest.get(after[i]).equals(was) ? 0 : 1;
                }
                // Modulo hashing over n - 1 slots would move (n - 2) / (n - 1) of them: 50 % to 97 % here.
                assertThat(moved)
                        .as("entries of surviving backends moved when backend %d of %d left", gone, n)
                        .isLessThanOrEqualTo(kept * 6 / 100);
            }
        }
    }

    @Test
    void theTableIsFixedByTheBackendsAloneSoEveryGatewayBuildsTheSameOne() {
        // Two gateways of one version must agree, and so must two versions during a rolling upgrade: a change of
        // hash or seeds moves flows between gateways. This fingerprint changes with either.
        int[] table = Maglev.table(backends(3));
        assertThat(Arrays.copyOf(table, 12)).containsExactly(GOLDEN_FIRST_ENTRIES);
        assertThat(Arrays.hashCode(table)).isEqualTo(GOLDEN_HASH);
    }

    static final int[] GOLDEN_FIRST_ENTRIES = {1, 1, 2, 2, 0, 1, 2, 0, 0, 0, 1, 2};
    static final int GOLDEN_HASH = -876073561;

    @Test
    void aServiceGetsTheSameTableWhateverOrderAndIdsItsBackendsCameIn() {
        List<Backend> locals = backends(5);
        Backend remote = new Backend(Ipv4.parse("10.2.0.10"), 8080, 2, false);
        List<Backend> one = new ArrayList<>(locals);
        one.add(remote);
        List<Backend> other = new ArrayList<>(one);
        Collections.shuffle(other, new Random(7));
        IdAllocator busy = new IdAllocator();
        for (int i = 0; i < 17; i++) {
            busy.backend(0x0a090000 + i, 80); // this gateway gave its ids out in another order
        }
        ServicePiece a = ServicePiece.of(service(one), new IdAllocator());
        ServicePiece b = ServicePiece.of(service(other), busy);

        assertThat(addresses(a)).containsExactly(addresses(b));
        assertThat(Arrays.stream(addresses(a)).distinct().sorted().toList())
                .as("the table names the local backends only")
                .hasSize(5)
                .noneMatch(addr -> addr.startsWith("10.2."));
    }

    @Test
    void aServiceWithOneBackendToChooseFromHasNoTable() {
        Backend remote = new Backend(Ipv4.parse("10.2.0.10"), 8080, 2, false);
        assertThat(ServicePiece.of(service(List.of(backends(1).getFirst(), remote)), new IdAllocator())
                        .maglev())
                .as("one local backend among remote ones")
                .isEmpty();
        assertThat(ServicePiece.of(service(List.of(remote)), new IdAllocator()).maglev())
                .isEmpty();
        assertThat(ServicePiece.of(service(List.of()), new IdAllocator()).maglev())
                .isEmpty();
    }

    @Test
    void aTableOfAnotherSizeIsRefused() {
        assertThatThrownBy(() -> new MaglevValue(new int[10]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1021 entries, not 10");
        assertThatThrownBy(() -> Maglev.table(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one backend");
    }

    static ServiceTranslation service(List<Backend> backends) {
        return new ServiceTranslation(Ipv4.parse("198.51.100.10"), 80, Protocol.TCP, 100, backends);
    }

    /** The table as backend addresses: what two gateways must agree on (their ids may differ). */
    static String[] addresses(ServicePiece p) {
        MaglevValue m = p.maglev().orElseThrow();
        String[] out = new String[Maglev.SIZE];
        for (int i = 0; i < Maglev.SIZE; i++) {
            int id = m.backendId(i);
            BackendValue v = (BackendValue) p.backends().get(p.slots().indexOf(id));
            out[i] = Ipv4.format(v.addr()) + ":" + v.port();
        }
        return out;
    }
}
