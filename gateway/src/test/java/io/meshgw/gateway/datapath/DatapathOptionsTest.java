package io.meshgw.gateway.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bpf.Attachment;
import io.meshgw.bpf.datapath.DatapathOptions;
import io.meshgw.gateway.GatewayConfig;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DatapathOptionsTest {

    record Dc(
            boolean enabled,
            String pinRoot,
            Optional<String> legacyInterface,
            Optional<String> clusterInterface,
            String attachMode,
            boolean keepOnShutdown,
            OptionalInt conntrackEntries,
            OptionalInt conntrack6Entries,
            Optional<String> tunnelDevice)
            implements GatewayConfig.Datapath {
        @Override
        public java.util.Optional<String> tunnelEndpoint() {
            return java.util.Optional.empty();
        }
    }

    static Dc dc(String legacy, String cluster, String mode, OptionalInt ct) {
        return dc(legacy, cluster, mode, ct, OptionalInt.empty());
    }

    static Dc dc(String legacy, String cluster, String mode, OptionalInt ct, OptionalInt ct6) {
        return new Dc(
                true,
                "/sys/fs/bpf/meshgw",
                Optional.ofNullable(legacy),
                Optional.ofNullable(cluster),
                mode,
                true,
                ct,
                ct6,
                Optional.empty());
    }

    static Dc withTunnelDevice(Dc d, String device) {
        return new Dc(
                d.enabled(),
                d.pinRoot(),
                d.legacyInterface(),
                d.clusterInterface(),
                d.attachMode(),
                d.keepOnShutdown(),
                d.conntrackEntries(),
                d.conntrack6Entries(),
                Optional.of(device));
    }

    @Test
    void aTunnelDeviceIsADeviceOfItsOwnBesideTheAttachedInterfaces() {
        assertThat(DatapathService.options(withTunnelDevice(dc("eth0", "eth1,tn0", "tcx", OptionalInt.empty()), "wg0"))
                        .tunnelDevice())
                .contains("wg0");
        assertThat(DatapathService.options(dc("eth0", "eth1", "tcx", OptionalInt.empty()))
                        .tunnelDevice())
                .isEmpty();
        assertThatThrownBy(() ->
                        DatapathService.options(withTunnelDevice(dc(null, null, "tcx", OptionalInt.empty()), "wg0")))
                .hasMessageContaining("meshgw.datapath.tunnel-device")
                .hasMessageContaining("needs the datapath attached");
        assertThatThrownBy(() -> DatapathService.options(
                        withTunnelDevice(dc("eth0", "eth1,tn0", "tcx", OptionalInt.empty()), "tn0")))
                .hasMessageContaining("meshgw.datapath.tunnel-device")
                .hasMessageContaining("must be a device of its own");
    }

    @Test
    void configurationBecomesDatapathOptions() {
        DatapathOptions o = DatapathService.options(dc("eth0", "eth1", "tcx", OptionalInt.of(65536)));
        assertThat(o.pinRoot()).contains(Path.of("/sys/fs/bpf/meshgw"));
        assertThat(o.legacyInterface()).contains("eth0");
        assertThat(o.clusterInterfaces()).containsExactly("eth1");
        assertThat(o.mode()).isEqualTo(Attachment.Mode.TCX);
        assertThat(o.maxEntries()).containsExactly(java.util.Map.entry("mgw_ct_v1", 65536));
        assertThat(DatapathService.options(dc("eth0", "eth1", "tcx", OptionalInt.empty(), OptionalInt.of(32768)))
                        .maxEntries())
                .containsExactly(java.util.Map.entry("mgw_ct6_v1", 32768));
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> DatapathService.options(dc("eth0", null, "auto", OptionalInt.empty())))
                .hasMessageContaining("meshgw.datapath.legacy-interface and meshgw.datapath.cluster-interface");
        assertThatThrownBy(() -> DatapathService.options(dc("eth0", "eth1", "xdp", OptionalInt.empty())))
                .hasMessageContaining("meshgw.datapath.attach-mode is 'xdp'");
        assertThatThrownBy(() -> DatapathService.options(dc("eth0", "eth1", "auto", OptionalInt.of(10))))
                .hasMessageContaining("meshgw.datapath.conntrack-entries is 10");
        assertThatThrownBy(() -> DatapathService.options(
                        dc("eth0", "eth1", "auto", OptionalInt.of(65536), OptionalInt.of(1000))))
                .hasMessageContaining("meshgw.datapath.conntrack6-entries is 1000; at least 1024");
    }
}
