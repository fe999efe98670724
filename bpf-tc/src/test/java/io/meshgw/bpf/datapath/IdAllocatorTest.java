package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.SvcKey;
import io.meshgw.bpf.datapath.MapRecords.SvcValue;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Service and backend ids: stable while their VIP or endpoint lives, never 0, backend ids below
 * the backend array's size, and a freed id not handed out again until the ids wrap around, so a
 * conntrack entry naming a just-removed backend does not find another in its place.
 */
class IdAllocatorTest {

    static SvcKey vip(int last) {
        return new SvcKey(0xC6336400 + last, 80, 6);
    }

    static BackendValue backend(int last) {
        return new BackendValue(0x0A000000 + last, 8080, 1);
    }

    static int id(IdAllocator ids, BackendValue b) {
        return ids.backend(b.addr(), b.port());
    }

    @Test
    void servicesAndBackendsAreNumberedFromOneEachOnItsOwn() {
        IdAllocator ids = new IdAllocator();

        assertThat(ids.service(vip(1))).isEqualTo(1);
        assertThat(ids.service(vip(2))).isEqualTo(2);
        assertThat(id(ids, backend(1))).isEqualTo(1);
        assertThat(ids.service(vip(3))).isEqualTo(3);
        assertThat(id(ids, backend(2))).isEqualTo(2);
        assertThat(ids.service(vip(1))).as("the same VIP, the same id").isEqualTo(1);
        assertThat(id(ids, backend(1))).isEqualTo(1);
        assertThat(ids.backend(backend(1).addr(), 8081))
                .as("another port is another backend")
                .isEqualTo(3);
    }

    @Test
    void aFreedIdIsNotReusedBeforeTheIdsWrap() {
        IdAllocator ids = new IdAllocator();
        ids.service(vip(1));
        ids.service(vip(2));
        id(ids, backend(1));
        id(ids, backend(2));

        ids.release(List.of(vip(1)), List.of(backend(1)));

        assertThat(ids.service(vip(3))).isEqualTo(3);
        assertThat(id(ids, backend(3))).isEqualTo(3);
        assertThat(ids.service(vip(1)))
                .as("a VIP back after its removal is a new service")
                .isEqualTo(4);
    }

    @Test
    void backendIdsStayBelowTheArraySizeAndWrapToTheFreedOnes() {
        IdAllocator ids = new IdAllocator(4); // ids 1..3 index the array; 0 is never used
        assertThat(List.of(id(ids, backend(1)), id(ids, backend(2)), id(ids, backend(3))))
                .containsExactly(1, 2, 3);
        assertThatThrownBy(() -> id(ids, backend(4))).hasMessage("all 3 backend ids are in use");

        ids.release(List.of(), List.of(backend(2)));
        assertThat(id(ids, backend(4))).isEqualTo(2);
        ids.release(List.of(), List.of(backend(1), backend(3)));
        assertThat(id(ids, backend(5))).isEqualTo(3);
        assertThat(id(ids, backend(6))).isEqualTo(1);
        assertThatThrownBy(() -> id(ids, backend(7))).hasMessage("all 3 backend ids are in use");
    }

    @Test
    void releasingWhatWasNeverAllocatedFreesNothing() {
        IdAllocator ids = new IdAllocator(3);
        id(ids, backend(1));
        id(ids, backend(2));

        ids.release(List.of(vip(9)), List.of(backend(9)));

        assertThatThrownBy(() -> id(ids, backend(3))).hasMessage("all 2 backend ids are in use");
        assertThat(id(ids, backend(2))).isEqualTo(2);
    }

    @Test
    void retainFreesTheIdsTheAppliedImageNoLongerHolds() {
        IdAllocator ids = new IdAllocator(4);
        ids.service(vip(1));
        ids.service(vip(2));
        List.of(backend(1), backend(2), backend(3)).forEach(b -> id(ids, b));

        ids.retain(Set.of(vip(2)), Set.of(2));

        assertThat(ids.service(vip(2))).isEqualTo(2);
        assertThat(id(ids, backend(2))).isEqualTo(2);
        assertThat(List.of(id(ids, backend(4)), id(ids, backend(5)))).containsExactly(1, 3);
        assertThat(ids.service(vip(1))).isEqualTo(3);
    }

    @Test
    void idsFoundInPinnedMapsAreKeptAndNewOnesFollowThem() {
        IdAllocator ids = new IdAllocator(10);
        ids.adopt(
                Map.of(vip(1), new SvcValue(7, 1, 1, 0, 0), vip(2), new SvcValue(3, 1, 1, 0, 0)),
                Map.of(5, backend(1), 2, backend(2)));

        assertThat(ids.service(vip(1))).isEqualTo(7);
        assertThat(ids.service(vip(2))).isEqualTo(3);
        assertThat(ids.service(vip(3))).isEqualTo(8);
        assertThat(id(ids, backend(1))).isEqualTo(5);
        assertThat(id(ids, backend(2))).isEqualTo(2);
        assertThat(id(ids, backend(3))).isEqualTo(6);

        ids.release(List.of(), List.of(backend(1)));
        assertThat(List.of(id(ids, backend(4)), id(ids, backend(5)), id(ids, backend(6)), id(ids, backend(7))))
                .containsExactly(7, 8, 9, 1);
        assertThat(id(ids, backend(8)))
                .as("5 was freed; 2, 6..9 and 1 are in use")
                .isEqualTo(3);
    }
}
