package io.meshgw.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cutting a TCP stream into messages (RFC 4271 §4.1), whatever the chunks it arrives in. */
class FrameSplitterTest {

    private final List<byte[]> out = new ArrayList<>();
    private final FrameSplitter splitter = new FrameSplitter(CodecOptions.MODERN);

    private static byte[] keepalive() {
        return MessageEncoder.encode(new Keepalive(), CodecOptions.MODERN);
    }

    private static byte[] notification(int dataLength) {
        return MessageEncoder.encode(new Notification(6, 2, new byte[dataLength]), CodecOptions.MODERN);
    }

    private BgpError feed(byte[] b) {
        return splitter.feed(b, 0, b.length, out::add);
    }

    @Test
    void aWholeMessageIsHandedOnAtOnce() {
        assertThat(feed(keepalive())).isNull();
        assertThat(out).singleElement().isEqualTo(keepalive());
        assertThat(splitter.buffered()).isZero();
    }

    @Test
    void severalMessagesInOneChunkComeOutInOrder() {
        byte[] a = notification(3);
        byte[] b = keepalive();
        byte[] c = notification(40);
        assertThat(feed(WireBytes.concat(a, b, c))).isNull();
        assertThat(out).containsExactly(a, b, c);
    }

    @Test
    void aMessageSplitAnywhereIsHeldUntilComplete() {
        byte[] a = notification(30);
        byte[] b = notification(50);
        byte[] stream = WireBytes.concat(a, b);
        for (int cut = 1; cut < stream.length; cut++) {
            out.clear();
            FrameSplitter s = new FrameSplitter(CodecOptions.MODERN);
            assertThat(s.feed(stream, 0, cut, out::add)).isNull();
            assertThat(s.buffered()).isEqualTo(cut < a.length ? cut : cut - a.length);
            assertThat(s.feed(stream, cut, stream.length - cut, out::add)).isNull();
            assertThat(out).as("cut at %d", cut).containsExactly(a, b);
            assertThat(s.buffered()).isZero();
        }
    }

    @Test
    void aMessageOf4096BytesIsWithinTheLimit() {
        // RFC 4271 §4.1: the maximum message size is 4096 octets, inclusive
        byte[] largest = notification(4096 - 21);
        assertThat(feed(largest)).isNull();
        assertThat(out).singleElement().isEqualTo(largest);
    }

    @Test
    void anImpossibleLengthEndsTheStreamWithTheHeaderError() {
        byte[] header = keepalive();
        header[17] = 18; // RFC 4271 §6.1: below 19
        BgpError e = feed(header);
        assertThat(e.code() + "/" + e.subcode()).isEqualTo("1/2");
        assertThat(e.data()).containsExactly(0, 18);
        assertThat(feed(keepalive())).as("framing is lost for good").isSameAs(e);
        assertThat(out).isEmpty();
    }

    @Test
    void aBadMarkerIsReportedAsSuchEvenWithALengthTooLarge() {
        byte[] header = keepalive();
        header[0] = 0;
        header[16] = 0x13;
        header[17] = (byte) 0x88; // 5000
        BgpError e = feed(header);
        assertThat(e.code() + "/" + e.subcode()).isEqualTo("1/1");
    }

    @Test
    void theNegotiatedMaximumAppliesFromTheOpenExchangeOn() {
        byte[] big = MessageEncoder.encode(new Notification(6, 2, new byte[5000]), new CodecOptions(true, true, true));
        FrameSplitter s = new FrameSplitter(CodecOptions.MODERN);
        s.negotiated(new CodecOptions(true, true, true));
        assertThat(s.feed(big, 0, big.length, out::add)).isNull();
        assertThat(out).singleElement().isEqualTo(big);
        assertThat(new FrameSplitter(CodecOptions.MODERN).feed(big, 0, big.length, out::add))
                .isNotNull()
                .extracting(BgpError::subcode)
                .isEqualTo(2);
    }
}
