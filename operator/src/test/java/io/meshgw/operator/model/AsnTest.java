package io.meshgw.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AsnTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 64512, 65534, 65535, 65536, 4_200_000_000L, 4_294_967_294L, 4_294_967_295L})
    void acceptsPublicPrivateAndFourOctetAsns(long asn) {
        assertThat(Asn.validate("spec.peerAsn", asn).isValid()).isTrue();
    }

    @Test
    void rejectsZero() {
        assertThat(Asn.validate("spec.peerAsn", 0L).messages())
                .containsExactly("spec.peerAsn: 0 is not a valid ASN (1..4294967295)");
    }

    @Test
    void rejectsAboveThirtyTwoBits() {
        assertThat(Asn.validate("spec.localAsn", 4_294_967_296L).messages())
                .containsExactly("spec.localAsn: 4294967296 is not a valid ASN (1..4294967295)");
    }

    @Test
    void rejectsAsTrans() {
        assertThat(Asn.validate("spec.peerAsn", 23456L).messages())
                .containsExactly("spec.peerAsn: 23456 is AS_TRANS (RFC 6793) and cannot be a peer's ASN");
    }

    @Test
    void rejectsMissing() {
        assertThat(Asn.validate("spec.peerAsn", null).messages()).containsExactly("spec.peerAsn: is required");
    }
}
