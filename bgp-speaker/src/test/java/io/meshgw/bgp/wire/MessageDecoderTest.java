package io.meshgw.bgp.wire;

import static io.meshgw.bgp.wire.WireBytes.bytes;
import static io.meshgw.bgp.wire.WireBytes.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Header, OPEN, NOTIFICATION, KEEPALIVE and ROUTE-REFRESH decoding: each malformed message with
 * the NOTIFICATION the RFCs name for it (code/subcode and data), each valid one with its value.
 */
class MessageDecoderTest {

    private static final HexFormat HEX = HexFormat.of();

    /** An OPEN body: version 4, AS 65001, hold 90, id 10.0.0.1, then the optional parameters. */
    static byte[] open(int version, int hold, long id, byte[] params) {
        byte[] head = bytes(
                version, 0xfd, 0xe9, hold >> 8, hold, (int) (id >> 24), (int) (id >> 16), (int) (id >> 8), (int) id);
        return frame(BgpMessage.OPEN, WireBytes.concat(head, params));
    }

    static byte[] params(byte[] caps) {
        return WireBytes.concat(bytes(caps.length + 2, 2, caps.length), caps);
    }

    record Bad(String name, byte[] message, String error, byte[] data) {
        @Override
        public String toString() {
            return name + " -> " + error;
        }
    }

    static Stream<Bad> malformed() {
        byte[] keepalive = frame(BgpMessage.KEEPALIVE, new byte[0]);
        byte[] badMarker = keepalive.clone();
        badMarker[15] = 0x7f;
        byte[] short18 = java.util.Arrays.copyOf(keepalive, 18);
        byte[] lies = keepalive.clone();
        lies[17] = 20; // says 20 for 19 bytes
        return Stream.of(
                // RFC 4271 §6.1
                new Bad("marker not all ones", badMarker, "1/1", new byte[0]),
                new Bad("18 bytes", short18, "1/2", bytes(0, 18)),
                new Bad("length field not the message's", lies, "1/2", bytes(0, 20)),
                new Bad("unknown type 6", frame(6, new byte[0]), "1/3", bytes(6)),
                new Bad("KEEPALIVE with a body", frame(BgpMessage.KEEPALIVE, bytes(0)), "1/2", bytes(0, 20)),
                new Bad("UPDATE of 22 bytes", frame(BgpMessage.UPDATE, bytes(0, 0, 0)), "1/2", bytes(0, 22)),
                new Bad(
                        "NOTIFICATION without a subcode",
                        frame(BgpMessage.NOTIFICATION, bytes(6)),
                        "1/2",
                        bytes(0, 20)),
                // RFC 4271 §6.2
                new Bad("OPEN of 28 bytes", frame(BgpMessage.OPEN, new byte[9]), "1/2", bytes(0, 28)),
                new Bad("OPEN version 3", open(3, 90, 0x0A000001L, bytes(0)), "2/1", bytes(0, 4)),
                new Bad("OPEN hold time 1", open(4, 1, 0x0A000001L, bytes(0)), "2/6", new byte[0]),
                new Bad("OPEN hold time 2", open(4, 2, 0x0A000001L, bytes(0)), "2/6", new byte[0]),
                new Bad("OPEN identifier 0.0.0.0", open(4, 90, 0, bytes(0)), "2/3", new byte[0]),
                new Bad(
                        "OPEN parameters length beyond the message",
                        open(4, 90, 1, bytes(3, 2, 0)),
                        "2/0",
                        new byte[0]),
                new Bad(
                        "OPEN parameters length short of the message",
                        open(4, 90, 1, bytes(1, 2, 0)),
                        "2/0",
                        new byte[0]),
                new Bad("OPEN truncated parameter header", open(4, 90, 1, bytes(1, 2)), "2/0", new byte[0]),
                new Bad("OPEN parameter overrunning", open(4, 90, 1, bytes(3, 2, 5, 1)), "2/0", new byte[0]),
                new Bad(
                        "OPEN parameter of type 1 (authentication)",
                        open(4, 90, 1, bytes(2, 1, 0)),
                        "2/4",
                        new byte[0]),
                // RFC 5492 §4 and the capability RFCs: a capability of the wrong length
                new Bad("truncated capability header", open(4, 90, 1, params(bytes(1))), "2/0", new byte[0]),
                new Bad(
                        "capability overrunning its parameter",
                        open(4, 90, 1, params(bytes(1, 4, 0, 1))),
                        "2/0",
                        new byte[0]),
                new Bad("multiprotocol of 3 octets", open(4, 90, 1, params(bytes(1, 3, 0, 1, 0))), "2/0", new byte[0]),
                new Bad("route refresh of 1 octet", open(4, 90, 1, params(bytes(2, 1, 0))), "2/0", new byte[0]),
                new Bad("extended message of 1 octet", open(4, 90, 1, params(bytes(6, 1, 0))), "2/0", new byte[0]),
                new Bad("4-octet AS of 2 octets", open(4, 90, 1, params(bytes(65, 2, 0, 1))), "2/0", new byte[0]),
                new Bad(
                        "enhanced route refresh of 1 octet",
                        open(4, 90, 1, params(bytes(70, 1, 0))),
                        "2/0",
                        new byte[0]),
                new Bad("graceful restart of 1 octet", open(4, 90, 1, params(bytes(64, 1, 0))), "2/0", new byte[0]),
                new Bad(
                        "graceful restart of 5 octets",
                        open(4, 90, 1, params(bytes(64, 5, 0, 90, 0, 1, 1))),
                        "2/0",
                        new byte[0]),
                // RFC 7313 §5
                new Bad(
                        "ROUTE-REFRESH of 24 bytes",
                        frame(BgpMessage.ROUTE_REFRESH, bytes(0, 1, 0, 1, 9)),
                        "7/1",
                        bytes(0, 1, 0, 1, 9)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedMessagesResetWithTheNotificationTheRfcNames(Bad b) {
        DecodeResult r = MessageDecoder.decode(b.message(), CodecOptions.MODERN);
        assertThat(r).as(b.toString()).isInstanceOf(DecodeResult.Failed.class);
        BgpError e = ((DecodeResult.Failed) r).error();
        assertThat(e.handling()).isEqualTo(BgpError.Handling.SESSION_RESET);
        assertThat(e.code() + "/" + e.subcode()).as(e.reason()).isEqualTo(b.error());
        assertThat(e.data()).as(e.reason()).isEqualTo(b.data());
        assertThat(e.reason()).doesNotContain("decoder failure");
    }

    @Test
    void aMalformedCapabilityIsNamedInTheReason() {
        // The NOTIFICATION is 2/0 for all of them; the log says which capability was wrong.
        assertThat(reason(open(4, 90, 1, params(bytes(1))))).contains("truncated capability header");
        assertThat(reason(open(4, 90, 1, params(bytes(1, 4, 0, 1))))).contains("capability 1 of length 4 overruns");
        assertThat(reason(open(4, 90, 1, params(bytes(65, 2, 0, 1))))).contains("capability 65 has invalid length 2");
    }

    private static String reason(byte[] message) {
        return ((DecodeResult.Failed) MessageDecoder.decode(message, CodecOptions.INITIAL))
                .error()
                .reason();
    }

    @Test
    void holdTimesZeroAndThreeAreValid() {
        for (int hold : new int[] {0, 3, 65535}) {
            var ok = (DecodeResult.Ok) MessageDecoder.decode(open(4, hold, 1, bytes(0)), CodecOptions.MODERN);
            assertThat(((Open) ok.message()).holdTime()).isEqualTo(hold);
        }
    }

    @Test
    void anOpenIsDecodedFieldByField() {
        byte[] caps = bytes(
                1, 4, 0, 2, 0, 1, // multiprotocol IPv6 unicast
                65, 4, 0xfa, 0x56, 0xea, 1, // 4-octet AS 4200000001
                64, 10, 0x0f, 0xff, 0, 1, 1, 0x80, 0, 2, 1, 0, // GR: not restarting, 4095 s
                73, 2, 'h', 'i'); // unknown (FQDN), kept as bytes
        var ok = (DecodeResult.Ok) MessageDecoder.decode(open(4, 180, 0xC0000201L, params(caps)), CodecOptions.INITIAL);
        Open o = (Open) ok.message();
        assertThat(o.myAs()).isEqualTo(65001);
        assertThat(o.holdTime()).isEqualTo(180);
        assertThat(o.bgpId()).isEqualTo(0xC0000201L);
        assertThat(o.asn()).isEqualTo(4200000001L);
        assertThat(o.capabilities())
                .containsExactly(
                        new Capability.MultiProtocol(2, 1),
                        new Capability.FourOctetAs(4200000001L),
                        new Capability.GracefulRestart(
                                false,
                                4095,
                                List.of(
                                        new Capability.GracefulRestart.Family(1, 1, true),
                                        new Capability.GracefulRestart.Family(2, 1, false))),
                        new Capability.Unknown(73, new byte[] {'h', 'i'}));
        // RFC 4724 §3: the R bit is the top bit of the first octet, the time the low 12 bits
        byte[] restarting = bytes(64, 2, 0x80, 120);
        var gr = (Open)
                ((DecodeResult.Ok) MessageDecoder.decode(open(4, 90, 1, params(restarting)), CodecOptions.INITIAL))
                        .message();
        assertThat(gr.capability(Capability.GracefulRestart.class))
                .hasValue(new Capability.GracefulRestart(true, 120, List.of()));
        assertThat(gr.asn()).as("without the 4-octet AS capability").isEqualTo(65001);
    }

    @Test
    void extendedOptionalParametersAreRead() {
        // RFC 9072 §2: 255, then 255 as the type of a non-parameter, then a 2-octet length
        byte[] caps = bytes(65, 4, 0, 0, 0xfd, 0xe9, 2, 0);
        byte[] params = WireBytes.concat(bytes(255, 255, 0, caps.length + 3, 2, 0, caps.length), caps);
        var ok = (DecodeResult.Ok) MessageDecoder.decode(open(4, 90, 1, params), CodecOptions.INITIAL);
        assertThat(((Open) ok.message()).capabilities())
                .containsExactly(new Capability.FourOctetAs(65001), new Capability.RouteRefreshCapability());
        byte[] none = bytes(255, 255, 0, 0);
        var empty = (DecodeResult.Ok) MessageDecoder.decode(open(4, 90, 1, none), CodecOptions.INITIAL);
        assertThat(((Open) empty.message()).capabilities()).isEmpty();
        byte[] truncated = bytes(255, 255, 0, 2, 2, 0);
        assertThat(MessageDecoder.decode(open(4, 90, 1, truncated), CodecOptions.INITIAL))
                .isInstanceOfSatisfying(
                        DecodeResult.Failed.class,
                        f -> assertThat(f.error().subcode()).isZero());
    }

    @Test
    void theOtherMessagesAreDecodedFieldByField() {
        var n = (DecodeResult.Ok)
                MessageDecoder.decode(frame(BgpMessage.NOTIFICATION, bytes(6, 2)), CodecOptions.MODERN);
        assertThat(n.message()).isEqualTo(new Notification(6, 2, new byte[0]));
        var rr = (DecodeResult.Ok)
                MessageDecoder.decode(frame(BgpMessage.ROUTE_REFRESH, bytes(0, 2, 2, 1)), CodecOptions.MODERN);
        assertThat(rr.message()).isEqualTo(new RouteRefresh(2, 1, RouteRefresh.END));
        assertThat(HEX.formatHex(MessageEncoder.encode(new RouteRefresh(2, 1, RouteRefresh.END), CodecOptions.MODERN)))
                .endsWith("0017050002" + "02" + "01");
    }

    @Test
    void messagesUpTo4096BytesAreValidAndLongerOnesOnlyWithExtendedMessages() {
        // RFC 4271 §4.1 and RFC 8654 §4: the maximum is inclusive
        Notification longest = new Notification(6, 0, new byte[4096 - 21]);
        byte[] wire = MessageEncoder.encode(longest, CodecOptions.MODERN);
        assertThat(wire).hasSize(4096);
        assertThat(MessageDecoder.decode(wire, CodecOptions.MODERN)).isInstanceOf(DecodeResult.Ok.class);

        Notification tooLong = new Notification(6, 0, new byte[4097 - 21]);
        CodecOptions extended = new CodecOptions(true, true, true);
        byte[] big = MessageEncoder.encode(tooLong, extended);
        assertThat(MessageDecoder.decode(big, extended)).isInstanceOf(DecodeResult.Ok.class);
        assertThat(MessageDecoder.decode(big, CodecOptions.MODERN))
                .isInstanceOfSatisfying(DecodeResult.Failed.class, f -> {
                    assertThat(f.error().subcode()).isEqualTo(2);
                    assertThat(f.error().data()).containsExactly(0x10, 0x01);
                });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MessageEncoder.encode(tooLong, CodecOptions.MODERN))
                .hasMessageContaining("4097 bytes exceeds the negotiated 4096");
    }
}
