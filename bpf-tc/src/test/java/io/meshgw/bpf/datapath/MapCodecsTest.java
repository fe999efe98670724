package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bpf.Codec;
import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.CtKey;
import io.meshgw.bpf.datapath.MapRecords.CtValue;
import io.meshgw.bpf.datapath.MapRecords.EgressDstKey;
import io.meshgw.bpf.datapath.MapRecords.PolicyKey;
import io.meshgw.bpf.datapath.MapRecords.SvcKey;
import io.meshgw.bpf.datapath.MapRecords.SvcValue;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
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
}
