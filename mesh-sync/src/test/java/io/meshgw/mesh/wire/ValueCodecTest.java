package io.meshgw.mesh.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.mesh.state.Endpoint;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.GatewayAddress;
import io.meshgw.mesh.state.Heartbeat;
import io.meshgw.mesh.state.ServiceExport;
import io.meshgw.mesh.state.StateSamples;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.state.SyncedMarker;
import io.meshgw.types.ServicePort;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void randomValuesRoundTripAndEncodeDeterministically() {
        StateSamples samples = new StateSamples(7);
        for (int i = 0; i < 3_000; i++) {
            int cluster = 1 + samples.random().nextInt(4095);
            StateValue v = samples.any(cluster);
            byte[] bytes = ValueCodec.encode(cluster, v);
            assertThat(ValueCodec.decode(bytes))
                    .as("round trip of %s", v)
                    .isEqualTo(new Decoded.Ok<>(new WireValue(1, cluster, v)));
            assertThat(ValueCodec.encode(cluster, v)).isEqualTo(bytes);
        }
    }

    /** The layout of DESIGN.md, pinned byte by byte: changing it breaks gateways of other releases. */
    @Test
    void version1LayoutIsStable() {
        assertThat(HEX.formatHex(ValueCodec.encode(7, new SyncedMarker(3, 42))))
                .isEqualTo("01" + "06" + "0007" + "0000000000000003" + "000000000000002a");
        assertThat(HEX.formatHex(ValueCodec.encode(1, new Heartbeat(Instant.ofEpochMilli(1000), "a"))))
                .isEqualTo("01" + "05" + "0001" + "00000000000003e8" + "0001" + "61");
        var svc = new ServiceExport("d", "w", List.of(), Map.of(), Optional.empty(), Instant.ofEpochMilli(1000));
        assertThat(HEX.formatHex(ValueCodec.encode(3, svc)))
                .isEqualTo("01" + "01" + "0003" + "000164" + "000177" // version, kind, cluster, "d", "w"
                        + "00" + "00" + "00" // no ports, no labels, no VIP
                        + "00000000000003e8"); // exported at 1000 ms
        var slice = new EndpointSlice(
                "d",
                "w",
                "s",
                2,
                List.of(ServicePort.tcp("", 80)),
                List.of(Endpoint.ready(StateSamples.ip("10.0.0.1"))));
        assertThat(HEX.formatHex(ValueCodec.encode(2, slice)))
                .isEqualTo("01" + "02" + "0002" // version, kind, cluster
                        + "000164" + "000177" + "000173" // "d", "w", "s"
                        + "01" + "0000" + "0050" + "01" // one port: "", 80, TCP
                        + "0001" // one endpoint
                        + "01" + "04" + "0a000001" // one IPv4 address
                        + "03" // ready | serving
                        + "0000" + "0000"); // no zone, no node
    }

    @Test
    void aSliceOwnedByAnotherClusterCannotBeEncoded() {
        var slice = new EndpointSlice("d", "w", "s", 2, List.of(), List.of());
        assertThatThrownBy(() -> ValueCodec.encode(3, slice)).hasMessageContaining("owned by cluster 2");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|truncated at byte 0: version needs 1 byte(s), 0 left",
                "02|value format version 2 is not one this build reads",
                "0109|truncated at byte 2: cluster",
                "01090001|unknown value kind 9 at byte 1",
                "01060001000000000000000100000000000000|SyncedMarker: truncated at byte 12: last seq",
                "0106000100000000000000010000000000000000ff|SyncedMarker ends at byte 20 but the value has 1 trailing",
                "01050001000000000000000000051234|Heartbeat: truncated at byte 14: cluster name needs 5 byte(s), 2 left",
                "0105000100000000000000000002c328|cluster name at byte 14 is not valid UTF-8",
                "01050001000000000000000000024142|invalid Heartbeat: cluster name 'AB' is not a DNS-1123 label",
                "0103000100016e0105|gateway address at byte 8 has address family 5",
                "0103000100016e00|invalid GatewayAddress: gateway n has 0 addresses",
                "01010001000164000177000002|ServiceExport: legacy VIP flag at byte 12 is 2; a flag is 0 or 1",
                "01010001000164000177010000005003|protocol at byte 15 is neither 1 (TCP) nor 2 (UDP)",
                "010200010001640001770001730003e9|endpoint count is 1001; at most 1000",
                "0102000100016400017700017300000101040a00000108|conditions at byte 22 has unknown bits 1000",
                "010400010001780001040a00000118|unknown value kind 4 at byte 1",
                "0101000100016400017700020001610000000161000000|label key 'a' appears twice",
            })
    void malformedValuesGiveTheirReason(String hex, String reason) {
        byte[] bytes = HEX.parseHex(hex);
        Decoded<WireValue> d = ValueCodec.decode(bytes);
        assertThat(d).isInstanceOf(Decoded.Failed.class);
        assertThat(((Decoded.Failed<WireValue>) d).reason()).contains(reason);
    }

    /** Property: every prefix of a valid value is reported as truncated, never thrown. */
    @Test
    void everyTruncationIsAReasonNotAnException() {
        StateSamples samples = new StateSamples(11);
        for (int i = 0; i < 300; i++) {
            byte[] full = ValueCodec.encode(5, samples.any(5));
            for (int len = 0; len < full.length; len++) {
                byte[] cut = java.util.Arrays.copyOf(full, len);
                Decoded<WireValue> d = ValueCodec.decode(cut);
                assertThat(d).as("prefix of %d bytes", len).isInstanceOf(Decoded.Failed.class);
                assertThat(((Decoded.Failed<WireValue>) d).reason()).isNotBlank();
            }
        }
    }

    /** Property: flipping bytes or feeding noise yields a value or a reason, never an exception. */
    @Test
    void mutatedAndRandomBytesNeverEscapeAsExceptions() {
        StateSamples samples = new StateSamples(13);
        Random random = samples.random();
        int failed = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes;
            if (i % 4 == 0) {
                bytes = new byte[random.nextInt(64)];
                random.nextBytes(bytes);
                if (bytes.length > 0 && random.nextBoolean()) {
                    bytes[0] = 1;
                }
            } else {
                bytes = ValueCodec.encode(9, samples.any(9));
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            Decoded<WireValue> d = ValueCodec.decode(bytes);
            if (d instanceof Decoded.Failed<WireValue> f) {
                failed++;
                assertThat(f.reason()).isNotBlank().doesNotContain("\n");
            }
        }
        assertThat(failed).isPositive();
    }

    @Test
    void oversizedAndMissingValuesAreRejected() {
        assertThat(ValueCodec.decode(null)).isInstanceOf(Decoded.Failed.class);
        Decoded<WireValue> big = ValueCodec.decode(new byte[WireFormat.MAX_VALUE_BYTES + 1]);
        assertThat(((Decoded.Failed<WireValue>) big).reason()).contains("at most");
    }

    @Test
    void serviceWithVipAndLabelsRoundTrips() {
        var svc = new ServiceExport(
                "pay",
                "api",
                List.of(ServicePort.tcp("https", 443)),
                Map.of("app", "api", "team.example.com/owner", "payments"),
                Optional.of(new io.meshgw.mesh.state.LegacyVip(StateSamples.ip("192.0.2.10"), 443)));
        var gw = new GatewayAddress("node-1", List.of(StateSamples.ip("2001:db8::1")));
        assertThat(ValueCodec.decode(ValueCodec.encode(4, svc))).isEqualTo(new Decoded.Ok<>(new WireValue(1, 4, svc)));
        assertThat(ValueCodec.decode(ValueCodec.encode(4, gw))).isEqualTo(new Decoded.Ok<>(new WireValue(1, 4, gw)));
    }
    /**
     * A slice's zones and nodes repeat, and each distinct text is decoded into one object rather than one per
     * endpoint; texts that share a slot of the decoder's bounded table (far more distinct nodes than slots) still
     * come back as themselves.
     */
    @Test
    void repeatedZonesAndNodesDecodeToSharedObjectsAndDistinctOnesStayDistinct() throws Exception {
        EndpointSlice kubernetesSized = slice(100, i -> Optional.of("zone-a"), i -> Optional.of("node-" + (i % 20)));
        List<Endpoint> got = decodeSlice(kubernetesSized).endpoints();
        assertThat(got).isEqualTo(kubernetesSized.endpoints());
        assertThat(got.stream().map(Endpoint::zone).distinct().count()).isEqualTo(1);
        assertThat(identities(got.stream().map(Endpoint::zone).toList())).isEqualTo(1);
        assertThat(identities(got.stream().map(Endpoint::node).toList())).isEqualTo(20);

        EndpointSlice crowded = slice(
                600,
                i -> i % 5 == 0 ? Optional.empty() : Optional.of("zone-" + (i % 3)),
                i -> Optional.of("node-" + (i % 250)));
        assertThat(decodeSlice(crowded)).isEqualTo(crowded);
    }

    private static EndpointSlice slice(
            int size,
            java.util.function.IntFunction<Optional<String>> zone,
            java.util.function.IntFunction<Optional<String>> node)
            throws Exception {
        List<Endpoint> endpoints = new java.util.ArrayList<>();
        for (int i = 0; i < size; i++) {
            endpoints.add(new Endpoint(
                    List.of(java.net.InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >> 8), (byte) i})),
                    true,
                    i % 7 != 0,
                    false,
                    zone.apply(i),
                    node.apply(i)));
        }
        return new EndpointSlice("d", "w", "s", 2, List.of(ServicePort.tcp("http", 80)), endpoints);
    }

    private static EndpointSlice decodeSlice(EndpointSlice slice) {
        Decoded<WireValue> d = ValueCodec.decode(ValueCodec.encode(2, slice));
        assertThat(d).isInstanceOf(Decoded.Ok.class);
        return (EndpointSlice) ((Decoded.Ok<WireValue>) d).value().value();
    }

    /** How many distinct objects (not values) the list holds. */
    private static long identities(List<?> objects) {
        var seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<Object, Boolean>());
        seen.addAll(objects);
        return seen.size();
    }
}
