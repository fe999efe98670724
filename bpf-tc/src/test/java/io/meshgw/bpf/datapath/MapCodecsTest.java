package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bpf.Codec;
import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.CtKey;
import io.meshgw.bpf.datapath.MapRecords.CtValue;
import io.meshgw.bpf.datapath.MapRecords.EgressDstKey;
import io.meshgw.bpf.datapath.MapRecords.PolicyKey;
import io.meshgw.bpf.datapath.MapRecords.RevKey;
import io.meshgw.bpf.datapath.MapRecords.RevValue;
import io.meshgw.bpf.datapath.MapRecords.SvcKey;
import io.meshgw.bpf.datapath.MapRecords.SvcValue;
import io.meshgw.types.Ipv6Address;
import io.meshgw.types.Protocol;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Java codecs against the byte layout of mgw_maps.h, without a kernel. */
class MapCodecsTest {

    static <T> byte[] bytes(Codec<T> codec, T value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(codec.size());
            s.fill((byte) 0x5a); // stale garbage must not leak into padding
            codec.write(value, s, 0);
            return s.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    static <T> T roundTrip(Codec<T> codec, T value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(codec.size() + 16);
            codec.write(value, s, 8);
            return codec.read(s, 8);
        }
    }

    @Test
    void aServiceKeyHoldsTheVipAndPortInNetworkOrderAndZeroPadding() {
        byte[] b = bytes(MapCodecs.SVC_KEY, new SvcKey(SyntheticPacket.ip("198.51.100.10"), 80, 6));
        assertThat(HexFormat.of().formatHex(b)).isEqualTo("c633640a" + "0050" + "06" + "00");
    }

    @Test
    void aReplyEntryHoldsTheBackendTupleAndTheVipInNetworkOrderAndZeroPadding() {
        RevKey k = new RevKey(SyntheticPacket.ip("10.1.0.10"), 8080, 17);
        RevValue v = new RevValue(SyntheticPacket.ip("198.51.100.10"), 53);
        assertThat(HexFormat.of().formatHex(bytes(MapCodecs.REV_KEY, k))).isEqualTo("0a01000a" + "1f90" + "11" + "00");
        assertThat(HexFormat.of().formatHex(bytes(MapCodecs.REV_VALUE, v))).isEqualTo("c633640a" + "0035" + "0000");
        assertThat(roundTrip(MapCodecs.REV_KEY, k)).isEqualTo(k);
        assertThat(roundTrip(MapCodecs.REV_VALUE, v)).isEqualTo(v);
    }

    @Test
    void anIpv6ReplyEntryHasTheLayoutOfSvc6KeyAndTheVipInNetworkOrder() {
        var k = new MapRecords.Rev6Key(io.meshgw.types.Ipv6Address.parse("fd00:1::10"), 8080, 6);
        var v = new MapRecords.Rev6Value(io.meshgw.types.Ipv6Address.parse("2001:db8:100::10"), 80);
        assertThat(HexFormat.of().formatHex(bytes(MapCodecs.REV6_KEY, k)))
                .isEqualTo("fd000001000000000000000000000010" + "1f90" + "06" + "00");
        assertThat(HexFormat.of().formatHex(bytes(MapCodecs.REV6_VALUE, v)))
                .isEqualTo("20010db8010000000000000000000010" + "0050" + "0000");
        assertThat(roundTrip(MapCodecs.REV6_KEY, k)).isEqualTo(k);
        assertThat(roundTrip(MapCodecs.REV6_VALUE, v)).isEqualTo(v);
    }

    @Test
    void hostOrderFieldsAreLittleEndianOnThisMachine() {
        byte[] b = bytes(MapCodecs.SVC_VALUE, new SvcValue(0x01020304, 3, 1, 100, 0));
        assertThat(HexFormat.of().formatHex(b)).isEqualTo("04030201" + "0300" + "0100" + "64000000" + "00000000");
    }

    @Test
    void theEgressDestinationPrefixLengthCountsTheIdentityBits() {
        byte[] b = bytes(MapCodecs.EGRESS_DST_KEY, new EgressDstKey(24, 7, SyntheticPacket.ip("192.0.2.0")));
        assertThat(HexFormat.of().formatHex(b)).isEqualTo("38000000" + "00000007" + "c0000200");
        assertThat(roundTrip(MapCodecs.EGRESS_DST_KEY, new EgressDstKey(24, 7, SyntheticPacket.ip("192.0.2.0")))
                        .prefixLen())
                .isEqualTo(24);
    }

    @Test
    void sizesAreTheCStructSizes() {
        assertThat(MapCodecs.SVC_KEY.size()).isEqualTo(8);
        assertThat(MapCodecs.SVC_VALUE.size()).isEqualTo(16);
        assertThat(MapCodecs.BACKEND.size()).isEqualTo(8);
        assertThat(MapCodecs.CT_KEY.size()).isEqualTo(16);
        assertThat(MapCodecs.CT_VALUE.size()).isEqualTo(56);
        assertThat(MapCodecs.FLOW_CACHE_SLOT.size()).isEqualTo(64);
        assertThat(MapCodecs.POLICY_KEY.size()).isEqualTo(8);
        assertThat(MapCodecs.CONFIG.size()).isEqualTo(16);
    }

    @Test
    void everyCodecRoundTripsRandomValuesIncludingUnsignedExtremes() {
        Random r = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            int port = r.nextInt(65536);
            SvcKey sk = new SvcKey(r.nextInt(), port, r.nextInt(256));
            assertThat(roundTrip(MapCodecs.SVC_KEY, sk)).isEqualTo(sk);
            BackendValue be = new BackendValue(r.nextInt(), port, r.nextInt(65536));
            assertThat(roundTrip(MapCodecs.BACKEND, be)).isEqualTo(be);
            CtKey ck = new CtKey(r.nextInt(), r.nextInt(), port, r.nextInt(65536), 17, 1 + r.nextInt(4));
            assertThat(roundTrip(MapCodecs.CT_KEY, ck)).isEqualTo(ck);
            CtValue cv = new CtValue(
                    r.nextInt(),
                    port,
                    3,
                    r.nextInt(),
                    r.nextInt(),
                    r.nextInt(),
                    r.nextLong(),
                    r.nextLong(),
                    r.nextLong(),
                    r.nextLong(),
                    r.nextInt(32),
                    r.nextInt());
            assertThat(roundTrip(MapCodecs.CT_VALUE, cv)).isEqualTo(cv);
            PolicyKey pk = new PolicyKey(r.nextInt(), 6, 2, port);
            assertThat(roundTrip(MapCodecs.POLICY_KEY, pk)).isEqualTo(pk);
        }
    }

    @Test
    void ipv6KeysAndValuesSitInNetworkOrderWhereMgwV6HSaysSo() {
        Ipv6Address vip = Ipv6Address.parse("2001:db8::10");
        MapRecords.Svc6Key key = new MapRecords.Svc6Key(vip, 80, 6);
        byte[] b = bytes(MapCodecs.SVC6_KEY, key);
        assertThat(b).hasSize(20);
        assertThat(java.util.Arrays.copyOf(b, 16)).isEqualTo(vip.toBytes());
        assertThat(new byte[] {b[16], b[17], b[18], b[19]}).isEqualTo(new byte[] {0, 80, 6, 0});
        assertThat(roundTrip(MapCodecs.SVC6_KEY, key)).isEqualTo(key);
        MapRecords.Backend6Value be = new MapRecords.Backend6Value(Ipv6Address.parse("fd00::1"), 8080, 3);
        assertThat(roundTrip(MapCodecs.BACKEND6, be)).isEqualTo(be);
        MapRecords.Ct6Key ck = new MapRecords.Ct6Key(vip, Ipv6Address.parse("fd00::1"), 40000, 80, 6, 1);
        byte[] kb = bytes(MapCodecs.CT6_KEY, ck);
        assertThat(kb).hasSize(40);
        assertThat(new byte[] {kb[32], kb[33], kb[36], kb[37], kb[38], kb[39]})
                .isEqualTo(new byte[] {(byte) 0x9c, 0x40, 6, 1, 0, 0});
        assertThat(roundTrip(MapCodecs.CT6_KEY, ck)).isEqualTo(ck);
        MapRecords.Ct6Value cv = new MapRecords.Ct6Value(
                new MapRecords.CtValue(0, 8080, 1, 5, 6, 7, 100, 200, 3, 400, 16, 1234), Ipv6Address.parse("fd00::1"));
        byte[] vb = bytes(MapCodecs.CT6_VALUE, cv);
        assertThat(vb).hasSize(72);
        assertThat(java.util.Arrays.copyOfRange(vb, 56, 72))
                .isEqualTo(Ipv6Address.parse("fd00::1").toBytes());
        assertThat(roundTrip(MapCodecs.CT6_VALUE, cv)).isEqualTo(cv);
    }

    @Test
    void aVipIsTranslatedWithinItsFamilyOnly() {
        assertThatThrownBy(() -> new ServiceTranslation(
                        Ipv6Address.parse("2001:db8::10").toInetAddress(),
                        80,
                        Protocol.TCP,
                        1,
                        List.of(new Backend(Ipv4.parse("10.0.0.1"), 8080, 1, true))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2001:db8:0:0:0:0:0:10:80 is IPv6 but its backend 10.0.0.1:8080 (local) is not");
        assertThatThrownBy(() -> new ServiceTranslation(
                        Ipv4.parse("192.0.2.1"),
                        80,
                        Protocol.TCP,
                        1,
                        List.of(new Backend(Ipv6Address.parse("fd00::1").toInetAddress(), 8080, 1, true))))
                .hasMessageContaining("is IPv4 but its backend");
    }

    @Test
    void anIpv4AndAnIpv6VipOnTheSamePortAreTwoServicesButOneIpv6VipTwiceIsRefused() {
        ServiceTranslation v6 = new ServiceTranslation(
                Ipv6Address.parse("2001:db8::10").toInetAddress(), 80, Protocol.TCP, 1, List.of());
        ServiceTranslation v4 = new ServiceTranslation(Ipv4.parse("192.0.2.1"), 80, Protocol.TCP, 1, List.of());
        assertThat(TranslationTable.EMPTY.withServices(List.of(v4, v6)).services())
                .hasSize(2);
        assertThatThrownBy(() -> TranslationTable.EMPTY.withServices(List.of(v6, v6)))
                .hasMessageContaining("appears twice");
    }
}
