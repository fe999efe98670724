package io.meshgw.gateway.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bgp.speaker.MaxPrefix;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.gateway.GatewayConfig;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class BgpServiceTest {

    record Bgp(Optional<String> routerId, long localAsn, Map<String, GatewayConfig.Neighbor> peers)
            implements GatewayConfig.Bgp {
        public boolean enabled() {
            return true;
        }

        public String listenAddress() {
            return "127.0.0.1";
        }

        public int port() {
            return 0;
        }
    }

    record Neighbor(String address, long asn, int holdTime) implements GatewayConfig.Neighbor {
        public Optional<String> password() {
            return Optional.of("s3cret");
        }

        public boolean passive() {
            return false;
        }

        public OptionalInt maxPrefixes() {
            return OptionalInt.of(1000);
        }

        public OptionalInt gracefulRestart() {
            return OptionalInt.of(120);
        }
    }

    @Test
    void peersBecomeSpeakerSettings() {
        var bgp = new Bgp(Optional.of("192.0.2.1"), 65000, Map.of("dc1", new Neighbor("192.0.2.254", 65001, 9)));
        assertThat(BgpService.speakerConfig(bgp).routerId()).isEqualTo(0xC0000201L);
        var pc = BgpService.peerConfigs(bgp).getFirst();
        assertThat(pc.name()).isEqualTo("dc1");
        assertThat(pc.timers().holdTime()).hasSeconds(9);
        assertThat(pc.timers().keepalive()).hasSeconds(3);
        assertThat(pc.md5Password()).hasValue("s3cret");
        assertThat(pc.maxPrefix()).containsOnly(Map.entry(Afi.IPV4, MaxPrefix.of(1000)));
        assertThat(pc.gracefulRestartSeconds()).hasValue(120);
    }

    @Test
    void badSettingsNameTheKeyAtFault() {
        var noId = new Bgp(Optional.empty(), 65000, Map.of("dc1", new Neighbor("192.0.2.254", 65001, 90)));
        assertThatThrownBy(() -> BgpService.speakerConfig(noId))
                .hasMessageContaining("meshgw.bgp.router-id is required");

        var badAsn = new Bgp(Optional.of("192.0.2.1"), 23456, Map.of());
        assertThatThrownBy(() -> BgpService.speakerConfig(badAsn)).hasMessageContaining("meshgw.bgp: localAsn 23456");

        var badHold = new Bgp(Optional.of("192.0.2.1"), 65000, Map.of("dc1", new Neighbor("192.0.2.254", 65001, 2)));
        assertThatThrownBy(() -> BgpService.peerConfigs(badHold))
                .hasMessageContaining("meshgw.bgp.peers.dc1: holdTime must be 0 or 3..65535 s, was 2 s");

        var badAddress =
                new Bgp(Optional.of("192.0.2.1"), 65000, Map.of("dc2", new Neighbor("router.example", 65001, 90)));
        assertThatThrownBy(() -> BgpService.peerConfigs(badAddress)).hasMessageStartingWith("meshgw.bgp.peers.dc2:");
    }
}
