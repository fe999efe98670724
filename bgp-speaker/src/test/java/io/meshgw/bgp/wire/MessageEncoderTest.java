package io.meshgw.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bgp.wire.PathAttribute.AsPath;
import io.meshgw.bgp.wire.PathAttribute.Segment;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the encoder's choices have edges: lengths, segment sizes, 2-octet sessions. */
class MessageEncoderTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final CodecOptions TWO_OCTET = new CodecOptions(false, false, true);

    private static Update withAttributes(PathAttribute... attrs) {
        return new Update(List.of(), List.of(attrs), List.of());
    }

    private static DecodeResult.Ok decode(byte[] wire, CodecOptions o) {
        return (DecodeResult.Ok) MessageDecoder.decode(wire, o);
    }

    @Test
    void anAttributeUpTo255OctetsHasAOneOctetLength() {
        // RFC 4271 §4.3: the Extended Length bit only when the value needs two octets
        int flags = PathAttribute.OPTIONAL | PathAttribute.TRANSITIVE | PathAttribute.PARTIAL;
        byte[] at255 = MessageEncoder.encode(
                withAttributes(new PathAttribute.Unknown(flags, 200, new byte[255])), CodecOptions.MODERN);
        assertThat(HEX.formatHex(at255, 23, 26)).isEqualTo("e0c8ff");
        byte[] at256 = MessageEncoder.encode(
                withAttributes(new PathAttribute.Unknown(flags, 200, new byte[256])), CodecOptions.MODERN);
        assertThat(HEX.formatHex(at256, 23, 27)).isEqualTo("f0c80100");
    }

    @Test
    void aSegmentHoldsAtMost255AsesAndLongerOnesAreSplit() {
        List<Long> asns = new ArrayList<>();
        for (long a = 1; a <= 256; a++) {
            asns.add(a);
        }
        AsPath exactly255 = new AsPath(List.of(new Segment(Segment.AS_SEQUENCE, asns.subList(0, 255))));
        Update u = (Update)
                decode(MessageEncoder.encode(withAttributes(exactly255), CodecOptions.MODERN), CodecOptions.MODERN)
                        .message();
        assertThat(u.attribute(AsPath.class)).hasValue(exactly255);

        AsPath long256 = new AsPath(List.of(new Segment(Segment.AS_SEQUENCE, asns)));
        Update split = (Update)
                decode(MessageEncoder.encode(withAttributes(long256), CodecOptions.MODERN), CodecOptions.MODERN)
                        .message();
        AsPath back = split.attribute(AsPath.class).orElseThrow();
        assertThat(back.segments()).extracting(s -> s.asns().size()).containsExactly(255, 1);
        assertThat(back.flatten()).isEqualTo(asns);
        assertThat(back.selectionLength()).isEqualTo(256);
    }

    @Test
    void onATwoOctetSessionAsesAbove65535BecomeAsTransInAsPath() {
        // RFC 6793 §4.2.2
        AsPath path = AsPath.sequence(65535L, 65536L);
        byte[] wire = MessageEncoder.encode(withAttributes(path), TWO_OCTET);
        assertThat(HEX.formatHex(wire))
                .contains("400206" + "0202" + "ffff" + "5ba0")
                .contains("c0110a" + "0202" + "0000ffff" + "00010000");
        assertThat(decode(wire, TWO_OCTET).message()).isEqualTo(withAttributes(path));

        AsPath small = AsPath.sequence(65535L);
        assertThat(HEX.formatHex(MessageEncoder.encode(withAttributes(small), TWO_OCTET)))
                .as("no AS4_PATH when every AS fits in 2 octets")
                .doesNotContain("c011");
    }

    @Test
    void anAggregatorAbove65535TravelsAsAsTransWithAs4AggregatorOnATwoOctetSession() {
        var agg = new PathAttribute.Aggregator(4200000001L, new byte[] {10, 0, 0, 1}, false);
        byte[] wire = MessageEncoder.encode(withAttributes(agg), TWO_OCTET);
        assertThat(HEX.formatHex(wire))
                .contains("c00706" + "5ba0" + "0a000001")
                .contains("c01208" + "fa56ea01" + "0a000001");
        assertThat(decode(wire, TWO_OCTET).message()).isEqualTo(withAttributes(agg));
        var small = new PathAttribute.Aggregator(65535, new byte[] {10, 0, 0, 1}, false);
        assertThat(HEX.formatHex(MessageEncoder.encode(withAttributes(small), TWO_OCTET)))
                .contains("c00706" + "ffff" + "0a000001")
                .doesNotContain("c012");
        assertThat(HEX.formatHex(MessageEncoder.encode(withAttributes(agg), CodecOptions.MODERN)))
                .contains("c00708" + "fa56ea01" + "0a000001");
    }

    @Test
    void theAs4AttributesNeverGoToAFourOctetSession() {
        var u = withAttributes(
                AsPath.sequence(4200000001L),
                new PathAttribute.As4Path(List.of(new Segment(Segment.AS_SEQUENCE, List.of(1L)))),
                new PathAttribute.Aggregator(4200000001L, new byte[] {10, 0, 0, 1}, true));
        var modern = decode(MessageEncoder.encode(u, CodecOptions.MODERN), CodecOptions.MODERN);
        assertThat(modern.repairs()).as("nothing for the peer to discard").isEmpty();
        assertThat(modern.message()).isEqualTo(withAttributes(AsPath.sequence(4200000001L)));
        var twoOctet =
                (Update) decode(MessageEncoder.encode(u, TWO_OCTET), TWO_OCTET).message();
        assertThat(twoOctet)
                .as("nor a stale AS4_PATH to a 2-octet one")
                .isEqualTo(withAttributes(AsPath.sequence(4200000001L)));
    }

    @Test
    void anEndOfRibForIpv6EncodesOnATwoOctetSession() {
        byte[] wire = MessageEncoder.encode(Update.endOfRib(Afi.IPV6), TWO_OCTET);
        assertThat(((Update) decode(wire, TWO_OCTET).message()).endOfRibFamily())
                .hasValue(Afi.IPV6);
    }

    @Test
    void anOpenWithoutCapabilitiesHasNoOptionalParameters() {
        Open bare = new Open(65001, 90, 1, List.of());
        byte[] wire = MessageEncoder.encode(bare, CodecOptions.INITIAL);
        assertThat(wire).hasSize(29);
        assertThat(wire[28]).isZero();
        assertThat(decode(wire, CodecOptions.INITIAL).message()).isEqualTo(bare);
    }

    @Test
    void capabilitiesMustFitOneParameter() {
        // 2 + 251 octets of capability fill the 255 octets of one optional parameter
        Open full = new Open(65001, 90, 1, List.of(new Capability.Unknown(73, new byte[251])));
        assertThat(decode(MessageEncoder.encode(full, CodecOptions.INITIAL), CodecOptions.INITIAL)
                        .message())
                .isEqualTo(full);
        Open over = new Open(65001, 90, 1, List.of(new Capability.Unknown(73, new byte[252])));
        assertThatThrownBy(() -> MessageEncoder.encode(over, CodecOptions.INITIAL))
                .hasMessageContaining("capabilities need 254 bytes");
    }

    @Test
    void gracefulRestartTimesAreTwelveBits() {
        assertThat(new Capability.GracefulRestart(false, 0, List.of()).restartTimeSeconds())
                .isZero();
        assertThat(new Capability.GracefulRestart(false, 4095, List.of()).restartTimeSeconds())
                .isEqualTo(4095);
        assertThatThrownBy(() -> new Capability.GracefulRestart(false, 4096, List.of()))
                .hasMessageContaining("12 bits");
        assertThatThrownBy(() -> new Capability.GracefulRestart(false, -1, List.of()))
                .hasMessageContaining("12 bits");
    }

    @Test
    void aShutdownCommunicationHoldsAtMost255Octets() {
        // RFC 9003 §2
        assertThat(Notification.shutdown(2, "x".repeat(255)).shutdownCommunication())
                .hasValue("x".repeat(255));
        assertThatThrownBy(() -> Notification.shutdown(2, "x".repeat(256))).hasMessageContaining("at most 255");
        assertThat(Notification.shutdown(4, "reset").shutdownCommunication()).hasValue("reset");
        assertThat(new Notification(6, 3, new byte[] {1, 'x'}).shutdownCommunication())
                .as("only admin shutdown and reset carry one")
                .isEmpty();
        assertThat(new Notification(3, 2, new byte[] {1, 'x'}).shutdownCommunication())
                .isEmpty();
        assertThat(new Notification(6, 2, new byte[0]).shutdownCommunication()).isEmpty();
    }

    @Test
    void confederationSegmentsStayInAsPathOnATwoOctetSession() {
        // RFC 6793 §3: AS4_PATH must not carry them; the receiver keeps them from AS_PATH
        AsPath path = new AsPath(List.of(
                new Segment(Segment.AS_CONFED_SEQUENCE, List.of(65010L)),
                new Segment(Segment.AS_SEQUENCE, List.of(4200000001L))));
        byte[] wire = MessageEncoder.encode(withAttributes(path), TWO_OCTET);
        assertThat(HEX.formatHex(wire))
                .contains("400208" + "0301fdf2" + "02015ba0")
                .contains("c01106" + "0201fa56ea01");
        assertThat(decode(wire, TWO_OCTET).message()).isEqualTo(withAttributes(path));
        AsPath onlyConfedLarge = new AsPath(List.of(
                new Segment(Segment.AS_CONFED_SEQUENCE, List.of(4200000009L)),
                new Segment(Segment.AS_SEQUENCE, List.of(65001L))));
        assertThat(HEX.formatHex(MessageEncoder.encode(withAttributes(onlyConfedLarge), TWO_OCTET)))
                .doesNotContain("c011");
    }

    @Test
    void theBenchmarkSampleIsOneFullStandardSizeUpdate() {
        // The codec benchmark measures "a full-size UPDATE": 1,000 consecutive /24s in one message
        Update u = SampleUpdates.fullUpdate();
        assertThat(u.nlri()).hasSize(1000).doesNotHaveDuplicates();
        assertThat(u.nlri().getFirst()).isEqualTo(Prefix.parse("20.0.0.0/24"));
        assertThat(u.nlri().getLast()).isEqualTo(Prefix.parse("20.3.231.0/24"));
        byte[] wire = MessageEncoder.encode(u, CodecOptions.MODERN);
        assertThat(wire.length).isBetween(4000, 4096);
        assertThat(decode(wire, CodecOptions.MODERN).message()).isEqualTo(u);
    }
}
