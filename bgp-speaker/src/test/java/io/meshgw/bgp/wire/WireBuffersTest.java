package io.meshgw.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bounded reader and the growable writer under the codec. The reader's bound is the safety
 * net of the decoder: a read past it must throw even where the array goes on (the next
 * attribute, the next message), so that a decoder bug ends as a value, never as bytes of the
 * wrong field.
 */
class WireBuffersTest {

    private static final byte[] BYTES = {1, 2, (byte) 0xff, (byte) 0xfe, 5, 6, 7, 8, 9, 10, 11, 12};

    /** A reader over bytes 2..5 of a longer array. */
    private static WireReader window() {
        return new WireReader(BYTES, 2, 4);
    }

    @Test
    void readsAreBigEndianAndUnsigned() {
        WireReader r = window();
        assertThat(r.position()).isEqualTo(2);
        assertThat(r.peekU8()).isEqualTo(0xff);
        assertThat(r.remaining()).as("peeking does not move").isEqualTo(4);
        assertThat(r.u16()).isEqualTo(0xfffe);
        assertThat(r.u8()).isEqualTo(5);
        assertThat(r.remaining()).isEqualTo(1);
        assertThat(new WireReader(BYTES, 2, 4).u32()).isEqualTo(0xfffe0506L);
        assertThat(new WireReader(BYTES, 2, 8).u64()).isEqualTo(0xfffe05060708090aL);
        WireReader s = new WireReader(BYTES, 0, 12);
        s.skip(2);
        assertThat(s.bytes(2)).containsExactly(0xff, 0xfe);
        WireReader slice = s.slice(3);
        assertThat(slice.remaining()).isEqualTo(3);
        assertThat(slice.u8()).isEqualTo(5);
        assertThat(s.u8()).as("the parent moved past the slice").isEqualTo(8);
    }

    static Stream<Consumer<WireReader>> readsPastTheEnd() {
        return Stream.of(
                r -> r.skip(1),
                r -> r.u32(),
                r -> r.u64(),
                r -> r.bytes(4),
                r -> r.slice(4),
                r -> r.u16(),
                r -> r.u8(),
                r -> r.peekU8(),
                r -> r.skip(-1));
    }

    @ParameterizedTest
    @MethodSource("readsPastTheEnd")
    void aReadPastTheBoundThrowsThoughTheArrayGoesOn(Consumer<WireReader> read) {
        WireReader r = window();
        r.skip(4); // the window is read; eight more octets follow in the array
        assertThatThrownBy(() -> read.accept(r)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void theWriterGrowsAsNeeded() {
        WireWriter w = new WireWriter(1);
        w.u16(0xabcd);
        w.u8(0x12);
        w.u32(0xdeadbeefL);
        w.u64(0x0102030405060708L);
        w.bytes(new byte[] {9, 9}, 1, 1);
        w.patchU16(0, 0x0102);
        w.patchU8(2, 0x34);
        assertThat(w.position()).isEqualTo(16);
        assertThat(w.toByteArray()).containsExactly(1, 2, 0x34, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        WireWriter exact = new WireWriter(2);
        exact.u8(1);
        exact.u16(0x0203);
        assertThat(exact.toByteArray()).containsExactly(1, 2, 3);
    }
}
