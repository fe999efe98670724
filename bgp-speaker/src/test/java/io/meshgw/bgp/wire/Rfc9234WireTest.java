package io.meshgw.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9234 on the wire: the Role capability (code 9) and the Only-to-Customer attribute (type 35). */
class Rfc9234WireTest {

    @Test
    void theRoleCapabilityIsOneOctetAfterCodeNine() {
        Open open = new Open(65000, 90, 1, List.of(new Capability.Role(Capability.Role.CUSTOMER)));
        String hex = HexFormat.of().formatHex(MessageEncoder.encode(open, CodecOptions.INITIAL));

        assertThat(hex).endsWith("0203" + "0901" + "03"); // parameter 2, length 3: capability 9, length 1, customer
        assertThat(MessageCodecTest.roundTrip(open, CodecOptions.INITIAL)).isEqualTo(open);
    }

    @Test
    void aRoleCapabilityOfAnotherLengthIsAMalformedOpen() {
        byte[] wire = MessageEncoder.encode(
                new Open(65000, 90, 1, List.of(new Capability.Unknown(9, new byte[] {3, 3}))), CodecOptions.INITIAL);

        assertThat(MessageDecoder.decode(wire, CodecOptions.INITIAL)).isInstanceOf(DecodeResult.Failed.class);
    }

    @Test
    void otcIsOptionalTransitiveWithTheAsInFourOctets() {
        Update u = new Update(
                List.of(),
                List.of(
                        new PathAttribute.Origin(0),
                        PathAttribute.AsPath.sequence(65010L),
                        new PathAttribute.NextHop(new byte[] {10, 0, 0, 1}),
                        new PathAttribute.OnlyToCustomer(4_200_000_000L)),
                List.of(Prefix.parse("10.1.0.0/16")));
        String hex = HexFormat.of().formatHex(MessageEncoder.encode(u, CodecOptions.MODERN));

        assertThat(hex).contains("c02304" + "fa56ea00");
        assertThat(MessageCodecTest.roundTrip(u, CodecOptions.MODERN)).isEqualTo(u);
    }
}
