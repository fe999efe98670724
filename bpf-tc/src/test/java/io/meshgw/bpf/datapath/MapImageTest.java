package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.ConfigValue;
import io.meshgw.bpf.datapath.MapRecords.EgressDstKey;
import io.meshgw.bpf.datapath.MapRecords.IdentKey;
import io.meshgw.bpf.datapath.MapRecords.PolicyKey;
import io.meshgw.bpf.datapath.MapRecords.RevKey;
import io.meshgw.bpf.datapath.MapRecords.RevValue;
import io.meshgw.bpf.datapath.MapRecords.SlotKey;
import io.meshgw.bpf.datapath.MapRecords.SnatValue;
import io.meshgw.bpf.datapath.MapRecords.SvcKey;
import io.meshgw.bpf.datapath.MapRecords.SvcValue;
import io.meshgw.types.Protocol;
import java.net.InetAddress;
import java.net.UnknownHostException;
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

    static RevKey tuple(String backend, int port, Protocol p) {
        return new RevKey(Ipv4.toInt(Ipv4.parse(backend)), port, p.number());
    }

    static RevValue pair(String vip, int port) {
        return new RevValue(Ipv4.toInt(Ipv4.parse(vip)), port);
    }

    @Test
    void eachBackendOfAVipRepliesAsThatVipAndPort() {
        ReplyClaims claims = new ReplyClaims();
        MapImage img = MapImage.of(
                TranslationTable.EMPTY.withServices(
                        List.of(svc("198.51.100.1", List.of(b("10.1.0.1", true), b("10.2.0.1", false))))),
                new IdAllocator(),
                p -> {},
                claims);
        assertThat(img.replies())
                .as("local and remote backends alike: a reply may reach either gateway of the cluster")
                .isEqualTo(Map.of(
                        tuple("10.1.0.1", 8080, Protocol.TCP), pair("198.51.100.1", 80),
                        tuple("10.2.0.1", 8080, Protocol.TCP), pair("198.51.100.1", 80)));
        assertThat(claims.ambiguous()).isZero();
    }

    @Test
    void aBackendTupleThatTwoVipsOrTwoPortsNameIsLeftOutAndCounted() {
        ReplyClaims claims = new ReplyClaims();
        Backend shared = b("10.1.0.1", true);
        MapImage img = MapImage.of(
                TranslationTable.EMPTY.withServices(List.of(
                        svc("198.51.100.1", List.of(shared, b("10.1.0.2", true))),
                        svc("198.51.100.2", List.of(shared)),
                        // another port of the first VIP to the same backend port
                        new ServiceTranslation(
                                Ipv4.parse("198.51.100.1"), 8443, Protocol.TCP, 9, List.of(b("10.1.0.2", true))),
                        // the same backend port over UDP is another tuple
                        new ServiceTranslation(Ipv4.parse("198.51.100.3"), 53, Protocol.UDP, 9, List.of(shared)))),
                new IdAllocator(),
                p -> {},
                claims);
        assertThat(img.replies()).isEqualTo(Map.of(tuple("10.1.0.1", 8080, Protocol.UDP), pair("198.51.100.3", 53)));
        assertThat(claims.ambiguous())
                .as("10.1.0.1:8080/TCP and 10.1.0.2:8080/TCP")
                .isEqualTo(2);
    }

    @Test
    void anIpv6ServiceClaimsItsIpv6BackendTuples() throws UnknownHostException {
        ReplyClaims claims = new ReplyClaims();
        MapImage img = MapImage.of(
                TranslationTable.EMPTY.withServices(List.of(new ServiceTranslation(
                        InetAddress.getByName("2001:db8::10"),
                        80,
                        Protocol.TCP,
                        9,
                        List.of(new Backend(InetAddress.getByName("fd00::1"), 8080, 1, true))))),
                new IdAllocator(),
                p -> {},
                claims);
        assertThat(img.services()).hasSize(1);
        assertThat(img.replies())
                .containsOnly(Map.entry(
                        new MapRecords.Rev6Key(io.meshgw.types.Ipv6Address.parse("fd00::1"), 8080, 6),
                        new MapRecords.Rev6Value(io.meshgw.types.Ipv6Address.parse("2001:db8::10"), 80)));
        assertThat(claims.ambiguous()).isZero();
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
        assertThat(Ipv4.format(((BackendValue) img.backends().get(img.slots().get(new SlotKey(v.svcId(), 0)))).addr()))
                .isEqualTo("10.1.0.2");
        assertThat(Ipv4.format(((BackendValue) img.backends().get(img.slots().get(new SlotKey(v.svcId(), 2)))).addr()))
                .isEqualTo("10.2.0.1");
    }

    @Test
    void aLocalBackendComesFirstWhateverItsAddressThenAddressesUnsignedThenPorts() {
        IdAllocator ids = new IdAllocator();
        MapImage img = MapImage.of(
                TranslationTable.EMPTY.withServices(List.of(svc(
                        "198.51.100.1",
                        List.of(
                                new Backend(Ipv4.parse("200.0.0.1"), 80, 2, false),
                                new Backend(Ipv4.parse("10.0.0.1"), 8081, 2, false),
                                new Backend(Ipv4.parse("10.0.0.1"), 8080, 2, false),
                                new Backend(Ipv4.parse("10.9.0.1"), 80, 1, true))))),
                ids);
        SvcValue v = img.services().values().iterator().next();

        assertThat(v).isEqualTo(new SvcValue(v.svcId(), 4, 1, 9, 0));
        assertThat(java.util.stream.IntStream.range(0, 4)
                        .mapToObj(slot ->
                                (BackendValue) img.backends().get(img.slots().get(new SlotKey(v.svcId(), slot))))
                        .map(b -> Ipv4.format(b.addr()) + ":" + b.port() + " in " + b.cluster()))
                .containsExactly("10.9.0.1:80 in 1", "10.0.0.1:8080 in 2", "10.0.0.1:8081 in 2", "200.0.0.1:80 in 2");
    }

    @Test
    void identitiesEgressPoliciesAndDefaultsBecomeTheirMapsEntries() {
        TranslationTable t = new TranslationTable(
                List.of(),
                List.of(new IdentityPrefix(Ipv4Prefix.parse("10.1.0.0/16"), 5)),
                List.of(new EgressTranslation(
                        5,
                        Ipv4.parse("203.0.113.7"),
                        40000,
                        40999,
                        List.of(Ipv4Prefix.parse("192.0.2.0/24"), Ipv4Prefix.parse("198.18.0.0/15")))),
                List.of(
                        new PolicyRule(5, Protocol.TCP, PolicyRule.Direction.INGRESS, 443, Verdict.DENY),
                        new PolicyRule(5, Protocol.UDP, PolicyRule.Direction.EGRESS, 53, Verdict.ALLOW),
                        PolicyRule.identityDefault(5, PolicyRule.Direction.EGRESS, Verdict.DENY)),
                Verdict.DENY,
                Verdict.ALLOW);

        MapImage img = MapImage.of(t, new IdAllocator());

        assertThat(img.identities()).isEqualTo(Map.of(new IdentKey(16, 0x0A010000), 5));
        assertThat(img.snat()).isEqualTo(Map.of(5, new SnatValue(0xCB007107, 40000, 40999)));
        assertThat(img.egressDestinations())
                .isEqualTo(Map.of(new EgressDstKey(24, 5, 0xC0000200), 1, new EgressDstKey(15, 5, 0xC6120000), 1));
        assertThat(img.policies())
                .isEqualTo(Map.of(
                        new PolicyKey(5, 6, 1, 443), 2,
                        new PolicyKey(5, 17, 2, 53), 1,
                        new PolicyKey(5, 0, 2, 0), 2));
        assertThat(img.config())
                .as("with egress SNATed, routed IPv6 from the clusters is dropped (CFG_EGRESS)")
                .isEqualTo(new ConfigValue(2, 1, MapImage.CFG_EGRESS));
        assertThat(MapImage.config(TranslationTable.EMPTY).flags()).isZero();
        assertThat(img.entryCount()).as("one config entry besides").isEqualTo(1 + 1 + 2 + 3 + 1);
    }

    @Test
    void theTableChangesOnePartAtATime() {
        IdentityPrefix ident = new IdentityPrefix(Ipv4Prefix.parse("10.1.0.0/16"), 5);
        EgressTranslation egress =
                new EgressTranslation(5, Ipv4.parse("203.0.113.7"), List.of(Ipv4Prefix.parse("192.0.2.0/24")));
        PolicyRule rule = PolicyRule.identityDefault(5, PolicyRule.Direction.INGRESS, Verdict.DENY);
        ServiceTranslation s = svc("198.51.100.1", List.of());

        TranslationTable t = TranslationTable.EMPTY
                .withServices(List.of(s))
                .withIdentities(List.of(ident))
                .withEgress(List.of(egress))
                .withPolicies(List.of(rule), Verdict.DENY, Verdict.ALLOW);

        assertThat(t)
                .isEqualTo(new TranslationTable(
                        List.of(s), List.of(ident), List.of(egress), List.of(rule), Verdict.DENY, Verdict.ALLOW));
        assertThat(t.withPolicies(List.of(), Verdict.ALLOW, Verdict.DENY))
                .isEqualTo(new TranslationTable(
                        List.of(s), List.of(ident), List.of(egress), List.of(), Verdict.ALLOW, Verdict.DENY));
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
