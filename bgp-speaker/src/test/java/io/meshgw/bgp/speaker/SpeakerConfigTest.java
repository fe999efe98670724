package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpeakerConfigTest {

    @Test
    void aDottedRouterIdIsItsUnsignedValue() {
        assertThat(SpeakerConfig.routerId("192.0.2.1")).isEqualTo(0xC0000201L);
        assertThat(SpeakerConfig.routerId("255.255.255.255")).isEqualTo(0xFFFFFFFFL);
        assertThat(SpeakerConfig.routerId("0.0.0.1")).isEqualTo(1);
        assertThat(SpeakerConfig.routerId("1.2.3.4")).isEqualTo(0x01020304L);
        assertThatThrownBy(() -> SpeakerConfig.routerId("2001:db8::1")).hasMessageContaining("must be an IPv4 address");
    }

    @Test
    void theLimitsAreThoseOfTheProtocol() {
        assertThat(new SpeakerConfig(1, 1, null, 0).localAsn()).isEqualTo(1);
        assertThat(new SpeakerConfig(0xFFFFFFFFL, 0xFFFFFFFFL, null, 65535).port())
                .isEqualTo(65535);
        assertThatThrownBy(() -> new SpeakerConfig(0, 1, null, 179)).hasMessageContaining("localAsn 0");
        assertThatThrownBy(() -> new SpeakerConfig(0x1_0000_0000L, 1, null, 179))
                .hasMessageContaining("localAsn");
        assertThatThrownBy(() -> new SpeakerConfig(23456, 1, null, 179))
                .as("AS_TRANS")
                .hasMessageContaining("not 23456");
        assertThatThrownBy(() -> new SpeakerConfig(65000, 0, null, 179)).hasMessageContaining("routerId");
        assertThatThrownBy(() -> new SpeakerConfig(65000, 0x1_0000_0000L, null, 179))
                .hasMessageContaining("routerId");
        assertThatThrownBy(() -> new SpeakerConfig(65000, 1, null, -1)).hasMessageContaining("port -1");
        assertThatThrownBy(() -> new SpeakerConfig(65000, 1, null, 65536)).hasMessageContaining("port 65536");
    }
}
