package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.RevKey;
import io.meshgw.bpf.datapath.MapRecords.RevValue;
import io.meshgw.bpf.datapath.MapRecords.SlotKey;
import io.meshgw.types.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What one apply writes when the table changes by a little: only the changed services' entries,
 * slots and backends, each backend written by its first slot and zeroed with its last; and when
 * the whole image is recomputed instead (most of a large table changed, or a backend named with
 * two cluster ids). Either way the maps end as {@link MapImage#of} computes them.
 */
class AppliedImageWritesTest {

    static Backend be(int host, int cluster) {
        return new Backend(Ipv4.toAddress(0x0A400000 + host), 8080, cluster, cluster == 1);
    }

    static ServiceTranslation svc(int n, Backend... backends) {
        return new ServiceTranslation(Ipv4.toAddress(0xC6330000 + n), 80, Protocol.TCP, 1, List.of(backends));
    }

    static TranslationTable table(List<ServiceTranslation> services) {
        return TranslationTable.EMPTY.withServices(services);
    }

    static TranslationTable table(ServiceTranslation... services) {
        return table(List.of(services));
    }

    /** An applied image beside a whole recompute that saw the same tables: the maps' truth. */
    static final class Applied {
        final IdAllocator ids = new IdAllocator();
        final IdAllocator wholeIds = new IdAllocator();
        final AppliedImage image = AppliedImage.of(MapImage.EMPTY);
        MapImage maps = MapImage.EMPTY;

        AppliedImage.Change apply(TranslationTable t) {
            AppliedImage.Change c = image.changeTo(t, ids);
            maps = c.diff().applyTo(maps);
            image.commit(c, ids);
            MapImage whole = MapImage.of(t, wholeIds);
            wholeIds.retain(whole.services().keySet(), whole.backends().keySet());
            assertThat(maps).isEqualTo(whole);
            assertThat(image.image()).isEqualTo(whole);
            return c;
        }

        /** The id of a backend the last table names. */
        int backendId(Backend b) {
            return ids.backend(ServicePiece.entryOf(b));
        }

        int serviceId(ServiceTranslation s) {
            return maps.services().get(ServicePiece.keyOf(s)).svcId();
        }
    }

    /** {@code n} services, one backend each, of which the first {@code changed} get another backend. */
    static List<List<ServiceTranslation>> tables(int n, int changed) {
        List<ServiceTranslation> before = new ArrayList<>();
        List<ServiceTranslation> after = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            before.add(svc(i, be(i, 1)));
            after.add(i < changed ? svc(i, be(i + 5000, 1)) : svc(i, be(i, 1)));
        }
        return List.of(before, after);
    }

    static boolean recomputed(int n, int changed) {
        Applied a = new Applied();
        List<List<ServiceTranslation>> t = tables(n, changed);
        a.apply(table(t.get(0)));
        return a.apply(table(t.get(1))).desired().isPresent();
    }

    @Test
    void aLargeTableIsRecomputedWholeFrom256ChangedServicesThatAreMoreThanHalfOfIt() {
        assertThat(recomputed(300, 1)).isFalse();
        assertThat(recomputed(300, 255)).isFalse();
        assertThat(recomputed(300, 256)).isTrue();
        assertThat(recomputed(512, 256)).as("exactly half").isFalse();
        assertThat(recomputed(511, 256)).isTrue();
        assertThat(recomputed(600, 200)).isFalse();
    }

    @Test
    void removedServicesCountAsChangesToo() {
        for (int removed : new int[] {300, 301}) {
            Applied a = new Applied();
            List<ServiceTranslation> all = tables(600, 0).get(0);
            a.apply(table(all));
            AppliedImage.Change c = a.apply(table(all.subList(removed, 600)));
            assertThat(c.desired().isPresent()).as("%d of 600 removed", removed).isEqualTo(removed > 300);
        }
    }

    @Test
    void aServiceThatLosesBackendsRemovesExactlyItsLastSlots() {
        Applied a = new Applied();
        ServiceTranslation three = svc(1, be(1, 1), be(2, 1), be(3, 1));
        a.apply(table(three));
        int id = a.serviceId(three);
        List<Integer> dropped = List.of(a.backendId(be(2, 1)), a.backendId(be(3, 1)));

        AppliedImage.Change c = a.apply(table(svc(1, be(1, 1))));

        assertThat(c.diff().slots().removals()).containsExactlyInAnyOrder(new SlotKey(id, 1), new SlotKey(id, 2));
        assertThat(c.diff().slots().upserts()).isEmpty();
        assertThat(c.diff().backends().removals()).containsExactlyInAnyOrderElementsOf(dropped);
        assertThat(c.diff().services().upserts()).containsOnlyKeys(ServicePiece.keyOf(three));
    }

    @Test
    void aServiceWhoseBackendIsReplacedRewritesItsSlotAndRemovesNone() {
        Applied a = new Applied();
        a.apply(table(svc(1, be(1, 1), be(2, 1))));

        AppliedImage.Change c = a.apply(table(svc(1, be(1, 1), be(3, 1))));

        assertThat(c.diff().slots().removals()).isEmpty();
        assertThat(c.diff().slots().upserts()).hasSize(1);
        assertThat(c.diff().services().isEmpty()).as("same count, same id").isTrue();
        assertThat(c.diff().backends().upserts()).containsOnlyKeys(a.backendId(be(3, 1)));
        assertThat(c.diff().backends().removals()).hasSize(1);
    }

    @Test
    void aBackendIsWrittenByItsFirstSlotAndZeroedWithItsLast() {
        Applied a = new Applied();
        ServiceTranslation one = svc(1, be(7, 1));
        ServiceTranslation two = svc(2, be(7, 1));
        a.apply(table(one));
        int id = a.backendId(be(7, 1));

        AppliedImage.Change shared = a.apply(table(one, two));
        assertThat(shared.diff().backends().isEmpty()).as("already written").isTrue();
        assertThat(shared.diff().slots().upserts()).containsOnly(Map.entry(new SlotKey(a.serviceId(two), 0), id));

        AppliedImage.Change stillUsed = a.apply(table(one));
        assertThat(stillUsed.diff().backends().isEmpty()).isTrue();

        AppliedImage.Change gone = a.apply(table());
        assertThat(gone.diff().backends().removals()).containsExactly(id);
    }

    /**
     * A backend tuple's reply entry follows the services that name it, change by change: one VIP writes it, a second
     * VIP makes it ambiguous (removed, counted), the first VIP's going gives it to the second.
     */
    @Test
    void aBackendTuplesReplyEntryIsRemovedWhileTwoVipsNameItAndComesBackWithOne() {
        Applied a = new Applied();
        ServiceTranslation one = svc(1, be(7, 1));
        ServiceTranslation two = svc(2, be(7, 1));
        RevKey tuple = new RevKey(0x0A400007, 8080, 6);

        AppliedImage.Change first = a.apply(table(one));
        assertThat(a.maps.replies()).containsOnly(Map.entry(tuple, new RevValue(0xC6330001, 80)));
        assertThat(first.ambiguousReplies()).isZero();

        AppliedImage.Change shared = a.apply(table(one, two));
        assertThat(shared.desired())
                .as("computed from the changed service alone")
                .isEmpty();
        assertThat(shared.diff().replies().removals()).containsExactly(tuple);
        assertThat(shared.ambiguousReplies()).isEqualTo(1);

        AppliedImage.Change second = a.apply(table(two));
        assertThat(second.diff().replies().upserts()).containsOnly(Map.entry(tuple, new RevValue(0xC6330002, 80)));
        assertThat(second.ambiguousReplies()).isZero();

        a.apply(table());
        assertThat(a.maps.replies()).isEmpty();
    }

    @Test
    void aBackendThatMovesToAnotherClusterIsRewrittenEachTime() {
        Applied a = new Applied();
        a.apply(table(svc(1, be(7, 1))));
        int id = a.backendId(be(7, 1));

        for (int cluster : new int[] {2, 1, 2}) {
            AppliedImage.Change c = a.apply(table(svc(1, be(7, cluster))));
            assertThat(c.desired()).isEmpty();
            assertThat(c.diff().backends().upserts())
                    .containsExactly(Map.entry(id, new BackendValue(0x0A400007, 8080, cluster)));
        }
    }

    @Test
    void twoNewServicesNamingOneBackendWithTwoClusterIdsLeaveItToTheWholeTable() {
        Applied a = new Applied();
        a.apply(table(svc(1, be(1, 1))));

        AppliedImage.Change c = a.apply(table(svc(1, be(1, 1)), svc(2, be(7, 2)), svc(3, be(7, 3))));

        assertThat(c.desired()).isPresent();
        assertThat(a.maps.backends().get(a.backendId(be(7, 2))).cluster()).isEqualTo(2);
    }
}
