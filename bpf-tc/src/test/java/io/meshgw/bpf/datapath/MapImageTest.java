package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bpf.datapath.MapRecords.SlotKey;
import io.meshgw.bpf.datapath.MapRecords.SvcKey;
import io.meshgw.bpf.datapath.MapRecords.SvcValue;
import io.meshgw.types.Protocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure part of the datapath: table -> map image -> diff, without a kernel. */
class MapImageTest {

    static Backend b(String ip, boolean local) {
        return new Backend(Ipv4.parse(ip), 8080, local ? 1 : 2, local);
    }

    static ServiceTranslation svc(String vip, List<Backend> backends) {
        return new ServiceTranslation(Ipv4.parse(vip), 80, Protocol.TCP, 9, backends);
    }

    @Test
    void localBackendsTakeTheFirstSlotsInAStableOrder() {
        IdAllocator ids = new IdAllocator();
        MapImage img = MapImage.of(
                TranslationTable.EMPTY.withServices(List.of(
                        svc("198.51.100.1", List.of(b("10.2.0.1", false), b("10.1.0.9", true), b("10.1.0.2", true))))),
                ids);
        SvcValue v = img.services().values().iterator().next();
        assertThat(v.count()).isEqualTo(3);
        assertThat(v.localCount()).isEqualTo(2);
        assertThat(Ipv4.format(img.backends()
                        .get(img.slots().get(new SlotKey(v.svcId(), 0)))
                        .addr()))
                .isEqualTo("10.1.0.2");
        assertThat(Ipv4.format(img.backends()
                        .get(img.slots().get(new SlotKey(v.svcId(), 2)))
                        .addr()))
                .isEqualTo("10.2.0.1");
    }

    @Test
    void idsStayStableAcrossUpdatesSoConntrackStaysValid() {
        IdAllocator ids = new IdAllocator();
        TranslationTable t1 = TranslationTable.EMPTY.withServices(List.of(
                svc("198.51.100.1", List.of(b("10.1.0.1", true))), svc("198.51.100.2", List.of(b("10.1.0.2", true)))));
        MapImage first = MapImage.of(t1, ids);
        ids.retain(first.services().keySet(), first.backends().keySet());
        TranslationTable t2 = TranslationTable.EMPTY.withServices(
                List.of(svc("198.51.100.2", List.of(b("10.1.0.2", true), b("10.1.0.3", true)))));
        MapImage second = MapImage.of(t2, ids);
        SvcKey key = new SvcKey(SyntheticPacket.ip("198.51.100.2"), 80, 6);
        assertThat(second.services().get(key).svcId())
                .isEqualTo(first.services().get(key).svcId());
        assertThat(second.backends())
                .containsAllEntriesOf(Map.of(
                        first.slots().get(new SlotKey(first.services().get(key).svcId(), 0)),
                        first.backends()
                                .get(first.slots()
                                        .get(new SlotKey(
                                                first.services().get(key).svcId(), 0)))));
    }

    @Test
    void theDiffWritesOnlyWhatChanged() {
        IdAllocator ids = new IdAllocator();
        TranslationTable t =
                TranslationTable.EMPTY.withServices(List.of(svc("198.51.100.1", List.of(b("10.1.0.1", true)))));
        MapImage a = MapImage.of(t, ids);
        MapImage same = MapImage.of(t, ids);
        assertThat(MapDiff.of(a.services(), same.services()).isEmpty()).isTrue();
        assertThat(MapDiff.of(a.slots(), same.slots()).isEmpty()).isTrue();

        MapImage grown = MapImage.of(
                t.withServices(List.of(svc("198.51.100.1", List.of(b("10.1.0.1", true), b("10.1.0.5", true))))), ids);
        MapDiff<SlotKey, Integer> slots = MapDiff.of(a.slots(), grown.slots());
        assertThat(slots.upserts()).hasSize(1);
        assertThat(slots.removals()).isEmpty();
        assertThat(MapDiff.of(grown.slots(), a.slots()).removals()).hasSize(1);
    }

    @Test
    void aTableThatContradictsItselfIsRejectedWithTheReason() {
        ServiceTranslation s = svc("198.51.100.1", List.of());
        assertThatThrownBy(() -> TranslationTable.EMPTY.withServices(List.of(s, s)))
                .hasMessageContaining("VIP 198.51.100.1:80/TCP appears twice");
        assertThatThrownBy(() -> TranslationTable.EMPTY.withIdentities(List.of(
                        new IdentityPrefix(Ipv4Prefix.parse("10.0.0.0/8"), 1),
                        new IdentityPrefix(Ipv4Prefix.parse("10.0.0.0/8"), 2))))
                .hasMessageContaining("10.0.0.0/8 is claimed by identities 1 and 2");
        assertThatThrownBy(() -> new EgressTranslation(
                        7, Ipv4.parse("203.0.113.7"), 50000, 40000, List.of(Ipv4Prefix.parse("192.0.2.0/24"))))
                .hasMessageContaining("port range of identity 7 is 50000..40000");
        assertThatThrownBy(() -> new Backend(Ipv4.parse("10.0.0.1"), 0, 1, true))
                .hasMessageContaining("port 0");
        assertThatThrownBy(() -> svc("198.51.100.1", List.of(b("10.1.0.1", true), b("10.1.0.1", true))))
                .hasMessageContaining("lists a backend twice");
        assertThatThrownBy(() -> Ipv4Prefix.parse("10.0.0.0/33")).hasMessageContaining("0..32");
        assertThatThrownBy(() -> Ipv4.parse("example.com")).hasMessageContaining("not an IPv4 address");
    }

    @Test
    void prefixesDropHostBits() {
        assertThat(Ipv4Prefix.parse("10.1.2.3/16")).hasToString("10.1.0.0/16");
        assertThat(Ipv4Prefix.parse("10.1.2.3/16").contains(SyntheticPacket.ip("10.1.200.1")))
                .isTrue();
        assertThat(Ipv4Prefix.parse("0.0.0.0/0").contains(SyntheticPacket.ip("255.1.2.3")))
                .isTrue();
    }
}
