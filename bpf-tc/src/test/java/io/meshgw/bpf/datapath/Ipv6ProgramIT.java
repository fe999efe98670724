package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bpf.TestRun;
import io.meshgw.types.Ipv6Address;
import io.meshgw.types.Protocol;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The IPv6 half of the translation programs, on crafted packets through BPF_PROG_TEST_RUN (twins of the IPv4 cases). */
class Ipv6ProgramIT extends DetachedDatapath {

    static final String VIP6 = "2001:db8:100::10";
    static final String CLIENT6 = "2001:db8:2::5";
    static final String BACKEND6_A = "fd00:1::10";
    static final String BACKEND6_B = "fd00:1::11";

    static InetAddress v6(String s) {
        return Ipv6Address.parse(s).toInetAddress();
    }

    /** TCP 80 and UDP 53 of the IPv6 VIP to two IPv6 backends, beside the IPv4 table with its egress. */
    static TranslationTable dualStack() {
        TranslationTable v4 = webDnsAndEgress(40099);
        List<Backend> two =
                List.of(new Backend(v6(BACKEND6_A), 8080, 1, true), new Backend(v6(BACKEND6_B), 8080, 1, true));
        List<ServiceTranslation> services = new java.util.ArrayList<>(v4.services());
        services.add(new ServiceTranslation(v6(VIP6), 80, Protocol.TCP, 100, two));
        services.add(new ServiceTranslation(
                v6(VIP6), 53, Protocol.UDP, 100, List.of(new Backend(v6(BACKEND6_A), 5353, 1, true))));
        return v4.withServices(services);
    }

    @BeforeEach
    void reset() {
        dp.apply(dualStack());
        dp.clearConntrack();
    }

    TestRun.Result run(String program, byte[] frame) {
        return dp.object().testRun(program, frame, 1);
    }

    SyntheticPacket6 translated(String program, byte[] frame) {
        TestRun.Result r = run(program, frame);
        assertThat(r.retval()).isEqualTo(TC_ACT_OK);
        assertThat(SyntheticPacket6.checksumValid(r.packetOut()))
                .as("L4 checksum over the IPv6 pseudo-header")
                .isTrue();
        return SyntheticPacket6.parse(r.packetOut());
    }

    void untouched(String program, byte[] frame, int verdict) {
        TestRun.Result r = run(program, frame);
        assertThat(r.retval()).isEqualTo(verdict);
        assertThat(r.packetOut()).isEqualTo(frame);
    }

    @Test
    void aNewTcpFlowToAnIpv6VipIsTranslatedToAnIpv6BackendWithAValidChecksum() {
        long before = count(Counter.DNAT_NEW);
        SyntheticPacket6 out = translated(
                Datapath.FROM_LEGACY,
                SyntheticPacket6.tcp(CLIENT6, 40000, VIP6, 80).frame());
        assertThat(out.dst()).isIn("[fd00:1::10]:8080", "[fd00:1::11]:8080");
        assertThat(out.src()).isEqualTo("[" + CLIENT6 + "]:40000");
        assertThat(out.payload()).isEqualTo("hello".getBytes());
        assertThat(count(Counter.DNAT_NEW)).isEqualTo(before + 1);
        assertThat(dp.conntrack(10))
                .filteredOn(e -> e.source().startsWith("["))
                .extracting(ConntrackEntry::kind)
                .containsExactlyInAnyOrder(ConntrackEntry.Kind.DNAT, ConntrackEntry.Kind.DNAT_REPLY);
    }

    @Test
    void udpToAnIpv6VipIsTranslatedWithAValidChecksum() {
        SyntheticPacket6 out = translated(
                Datapath.FROM_LEGACY,
                SyntheticPacket6.udp(CLIENT6, 45000, VIP6, 53).frame());
        assertThat(out.dst()).isEqualTo("[fd00:1::10]:5353");
        SyntheticPacket6 reply = translated(
                Datapath.FROM_CLUSTER,
                SyntheticPacket6.udp(BACKEND6_A, 5353, CLIENT6, 45000).frame());
        assertThat(reply.src()).isEqualTo("[" + VIP6 + "]:53");
    }

    @Test
    void theRestOfTheFlowStaysOnItsBackendAndRepliesComeFromTheIpv6Vip() {
        SyntheticPacket6 syn = SyntheticPacket6.tcp(CLIENT6, 40001, VIP6, 80);
        String backend = translated(Datapath.FROM_LEGACY, syn.frame()).dst();
        long est = count(Counter.DNAT_ESTABLISHED);
        for (int i = 0; i < 20; i++) {
            assertThat(translated(
                                    Datapath.FROM_LEGACY,
                                    syn.withTcpFlags(SyntheticPacket.ACK).frame())
                            .dst())
                    .isEqualTo(backend);
        }
        assertThat(count(Counter.DNAT_ESTABLISHED)).isEqualTo(est + 20);
        String backendAddr = backend.substring(1, backend.indexOf(']'));
        long replies = count(Counter.DNAT_REPLY);
        SyntheticPacket6 reply = translated(
                Datapath.FROM_CLUSTER,
                SyntheticPacket6.tcp(backendAddr, 8080, CLIENT6, 40001)
                        .withTcpFlags(SyntheticPacket.SYN | SyntheticPacket.ACK)
                        .frame());
        assertThat(reply.src()).isEqualTo("[" + VIP6 + "]:80");
        assertThat(reply.dst()).isEqualTo("[" + CLIENT6 + "]:40001");
        assertThat(count(Counter.DNAT_REPLY)).isEqualTo(replies + 1);
    }

    /**
     * After the packet that fills it, a flow's packets are translated from this CPU's slot of the IPv6 flow cache,
     * both ways, and counted there; the conntrack entries report what the slots counted as theirs.
     */
    @Test
    void establishedIpv6PacketsAreTranslatedFromTheFlowCacheAndCountedPerFlow() {
        SyntheticPacket6 syn = SyntheticPacket6.tcp(CLIENT6, 40002, VIP6, 80);
        String backend = translated(Datapath.FROM_LEGACY, syn.frame()).dst();
        String backendAddr = backend.substring(1, backend.indexOf(']'));
        SyntheticPacket6 reply =
                SyntheticPacket6.tcp(backendAddr, 8080, CLIENT6, 40002).withTcpFlags(SyntheticPacket.ACK);
        for (int i = 0; i < 30; i++) {
            assertThat(translated(
                                    Datapath.FROM_LEGACY,
                                    syn.withTcpFlags(SyntheticPacket.ACK).frame())
                            .dst())
                    .isEqualTo(backend);
            assertThat(translated(Datapath.FROM_CLUSTER, reply.frame()).src()).isEqualTo("[" + VIP6 + "]:80");
        }
        assertThat(pendingInTheFlowCache())
                .as("packets counted in the slots and not yet in the entries: the slots translated them")
                .isPositive();
        assertThat(dp.conntrack(10))
                .filteredOn(
                        e -> e.kind() == ConntrackEntry.Kind.DNAT && e.source().startsWith("["))
                .singleElement()
                .satisfies(e -> assertThat(e.packets()).isEqualTo(31));
        assertThat(dp.conntrack(10))
                .filteredOn(e ->
                        e.kind() == ConntrackEntry.Kind.DNAT_REPLY && e.source().startsWith("["))
                .singleElement()
                .satisfies(e -> assertThat(e.packets()).isEqualTo(30));
    }

    long pendingInTheFlowCache() {
        var cache = dp.maps6().flowCache().orElseThrow();
        long packets = 0;
        for (int i = 0; i < cache.size(); i++) {
            for (var slot : cache.get(i)) {
                packets += slot.dir() == 0 ? 0 : slot.packets();
            }
        }
        return packets;
    }

    @Test
    void aCachedIpv6FlowWhoseBackendIsRemovedMovesOnItsNextPacket() {
        SyntheticPacket6 ack = SyntheticPacket6.tcp(CLIENT6, 42000, VIP6, 80).withTcpFlags(SyntheticPacket.ACK);
        translated(
                Datapath.FROM_LEGACY,
                SyntheticPacket6.tcp(CLIENT6, 42000, VIP6, 80).frame());
        String first = translated(Datapath.FROM_LEGACY, ack.frame()).dst();
        translated(Datapath.FROM_LEGACY, ack.frame());
        String survivor = first.contains("::10]") ? BACKEND6_B : BACKEND6_A;
        TranslationTable v4 = webDnsAndEgress(40099);
        List<ServiceTranslation> services = new java.util.ArrayList<>(v4.services());
        services.add(new ServiceTranslation(
                v6(VIP6), 80, Protocol.TCP, 100, List.of(new Backend(v6(survivor), 8080, 1, true))));
        dp.apply(v4.withServices(services));
        long reselect = count(Counter.BACKEND_RESELECT);

        assertThat(translated(Datapath.FROM_LEGACY, ack.frame()).dst()).isEqualTo("[" + survivor + "]:8080");
        assertThat(count(Counter.BACKEND_RESELECT)).isEqualTo(reselect + 1);
    }

    @Test
    void forgottenIpv6FlowsAreNotTranslatedFromTheCache() {
        SyntheticPacket6 ack = SyntheticPacket6.tcp(CLIENT6, 43000, VIP6, 80).withTcpFlags(SyntheticPacket.ACK);
        translated(
                Datapath.FROM_LEGACY,
                SyntheticPacket6.tcp(CLIENT6, 43000, VIP6, 80).frame());
        translated(Datapath.FROM_LEGACY, ack.frame());
        dp.clearConntrack();
        long created = count(Counter.DNAT_NEW);

        translated(Datapath.FROM_LEGACY, ack.frame());
        assertThat(count(Counter.DNAT_NEW))
                .as("the flow is new again: no slot kept it")
                .isEqualTo(created + 1);
    }

    @Test
    void flowsSpreadOverBothIpv6BackendsByMaglev() {
        Set<String> seen = new HashSet<>();
        for (int port = 41000; port < 41064; port++) {
            seen.add(translated(
                            Datapath.FROM_LEGACY,
                            SyntheticPacket6.tcp(CLIENT6, port, VIP6, 80).frame())
                    .dst());
        }
        assertThat(seen).containsExactlyInAnyOrder("[fd00:1::10]:8080", "[fd00:1::11]:8080");
    }

    @Test
    void anIpv6PacketToNoVipIsHandedOnUntouchedFromBothSides() {
        long pass = count(Counter.PASS);
        untouched(
                Datapath.FROM_LEGACY,
                SyntheticPacket6.tcp(CLIENT6, 40000, "2001:db8:100::99", 80).frame(),
                -1);
        untouched(
                Datapath.FROM_LEGACY,
                SyntheticPacket6.tcp(CLIENT6, 40000, VIP6, 81).frame(),
                -1);
        assertThat(count(Counter.PASS)).isEqualTo(pass + 2);
        // From the clusters, with no egress configured: a backend's packet that is no reply goes on as it is.
        dp.apply(dualStack().withEgress(List.of()).withIdentities(List.of()));
        untouched(
                Datapath.FROM_CLUSTER,
                SyntheticPacket6.tcp(BACKEND6_A, 8080, CLIENT6, 40000).frame(),
                -1);
    }

    @Test
    void routedIpv6FromTheClustersThatIsNoReplyIsStillDroppedWhileEgressIsSnated() {
        long drops = count(Counter.DROP_EGRESS_IPV6);
        TestRun.Result r = run(
                Datapath.FROM_CLUSTER,
                SyntheticPacket6.tcp(BACKEND6_A, 8080, CLIENT6, 40000).frame());
        assertThat(r.retval()).isEqualTo(TC_ACT_SHOT);
        assertThat(count(Counter.DROP_EGRESS_IPV6)).isEqualTo(drops + 1);
    }

    /** RFC 4861 §4.3: from a link-local address to the solicited-node multicast address. */
    static byte[] neighbourSolicitation() {
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 24);
        b.put(new byte[] {(byte) 0x33, 0x33, (byte) 0xff, 0, 0, 0x10, 2, 0, 0, 0, 0, 1})
                .putShort((short) 0x86dd);
        b.putInt(0x6000_0000).putShort((short) 24).put((byte) 58).put((byte) 255);
        b.put(Ipv6Address.parse("fe80::1").toBytes())
                .put(Ipv6Address.parse("ff02::1:ff00:10").toBytes());
        b.put((byte) 135).put((byte) 0).putShort((short) 0x1234).putInt(0);
        b.put(Ipv6Address.parse(VIP6).toBytes());
        return b.array();
    }

    @Test
    void neighbourDiscoveryIsHandedOnUntouchedEvenForTheVipAndUnderEgress() {
        long pass = count(Counter.PASS);
        untouched(Datapath.FROM_LEGACY, neighbourSolicitation(), -1);
        untouched(Datapath.FROM_CLUSTER, neighbourSolicitation(), -1);
        assertThat(count(Counter.PASS)).isEqualTo(pass + 2);
    }

    @Test
    void extensionHeadersUpToTheBoundAreWalkedAndTheFlowTranslated() {
        SyntheticPacket6 p = SyntheticPacket6.tcp(CLIENT6, 40002, VIP6, 80)
                .withExtensions(
                        SyntheticPacket6.HOP_BY_HOP,
                        SyntheticPacket6.DESTINATION_OPTIONS,
                        SyntheticPacket6.ROUTING,
                        SyntheticPacket6.DESTINATION_OPTIONS);
        byte[] in = p.frame();
        SyntheticPacket6 out = translated(Datapath.FROM_LEGACY, in);
        assertThat(out.dst()).isIn("[fd00:1::10]:8080", "[fd00:1::11]:8080");
        byte[] outFrame = run(Datapath.FROM_LEGACY, in).packetOut();
        assertThat(Arrays.copyOfRange(outFrame, 14 + 40, 14 + 40 + 32))
                .as("the extension headers are carried as they were")
                .isEqualTo(Arrays.copyOfRange(in, 14 + 40, 14 + 40 + 32));
    }

    @Test
    void extensionHeadersPastTheBoundArePassedUntouchedAndCounted() {
        long limit = count(Counter.IPV6_EXT_LIMIT);
        byte[] in = SyntheticPacket6.tcp(CLIENT6, 40003, VIP6, 80)
                .withExtensions(
                        SyntheticPacket6.HOP_BY_HOP,
                        SyntheticPacket6.DESTINATION_OPTIONS,
                        SyntheticPacket6.ROUTING,
                        SyntheticPacket6.DESTINATION_OPTIONS,
                        SyntheticPacket6.DESTINATION_OPTIONS)
                .frame();
        untouched(Datapath.FROM_LEGACY, in, -1);
        assertThat(count(Counter.IPV6_EXT_LIMIT)).isEqualTo(limit + 1);
    }

    @Test
    void anIpv6FragmentIsPassedUntouchedAndCounted() {
        long fragments = count(Counter.FRAGMENT);
        byte[] in = SyntheticPacket6.udp(CLIENT6, 45001, VIP6, 53)
                .withExtensions(SyntheticPacket6.FRAGMENT)
                .frame();
        untouched(Datapath.FROM_LEGACY, in, -1);
        assertThat(count(Counter.FRAGMENT)).isEqualTo(fragments + 1);
    }

    @Test
    void truncatedOrInconsistentIpv6HeadersArePassedUntouchedAsMalformed() {
        byte[] whole = SyntheticPacket6.tcp(CLIENT6, 40004, VIP6, 80).frame();
        long malformed = count(Counter.MALFORMED);
        // The kernel's test runner refuses IPv6 frames shorter than Ethernet + IPv6 header (54 bytes); below that
        // the verifier-checked bounds are what protects the parser. The TCP header cut at every length:
        for (int len = 14 + 40; len < 14 + 40 + 20; len++) {
            untouched(Datapath.FROM_LEGACY, Arrays.copyOf(whole, len), -1);
        }
        // a payload length shorter than the L4 header
        byte[] shortLength = whole.clone();
        shortLength[14 + 4] = 0;
        shortLength[14 + 5] = 4;
        untouched(Datapath.FROM_LEGACY, shortLength, -1);
        // version 4 in an IPv6 EtherType
        byte[] version = whole.clone();
        version[14] = 0x40;
        untouched(Datapath.FROM_LEGACY, version, -1);
        // an extension header that runs past the end of the packet
        byte[] ext = SyntheticPacket6.tcp(CLIENT6, 40005, VIP6, 80)
                .withExtensions(SyntheticPacket6.HOP_BY_HOP)
                .frame();
        untouched(Datapath.FROM_LEGACY, Arrays.copyOf(ext, 14 + 40 + 1), -1);
        assertThat(count(Counter.MALFORMED)).isEqualTo(malformed + 20 + 3);
    }

    @Test
    void theIpv4PathIsUnchangedBesideIpv6Vips() {
        TestRun.Result r = run(
                Datapath.FROM_LEGACY,
                SyntheticPacket.tcp(CLIENT, 40000, VIP, 80).frame());
        assertThat(r.retval()).isEqualTo(TC_ACT_OK);
        assertThat(SyntheticPacket.parse(r.packetOut()).dst()).isEqualTo(BACKEND + ":8080");
    }

    @Test
    void expiredIpv6EntriesAreSweptAndLiveOnesKept() {
        translated(
                Datapath.FROM_LEGACY,
                SyntheticPacket6.udp(CLIENT6, 45002, VIP6, 53).frame());
        assertThat(dp.expireConntrack()).as("fresh entries stay").isZero();
        assertThat(dp.conntrack(10)).filteredOn(e -> e.source().startsWith("[")).hasSize(2);
    }

    @Test
    void removingTheIpv6VipsStopsTheirTranslationAndFreesTheirBackends() {
        dp.apply(webDnsAndEgress(40099));
        untouched(
                Datapath.FROM_LEGACY,
                SyntheticPacket6.tcp(CLIENT6, 40006, VIP6, 80).frame(),
                -1);
        assertThat(dp.readImage().services()).hasSize(2);
        assertThat(dp.readImage().backends()).hasSize(2);
    }
}
