package io.meshgw.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerNamespaceTest {

    @Test
    void hostToolsEnterOnlyTheContainersNetworkNamespace() {
        assertThat(ContainerNamespace.networkCommand(4242, List.of("ip", "addr", "add", "10.0.0.1/30", "dev", "eth0")))
                .containsExactly(
                        "nsenter", "-t", "4242", "-n", "--", "ip", "addr", "add", "10.0.0.1/30", "dev", "eth0");
    }

    @Test
    void theInnermostPidIsTheLastOfNspid() {
        assertThat(ContainerNamespace.lastField("NSpid:\t31337\t17\n")).isEqualTo(17);
        assertThat(ContainerNamespace.lastField("NSpid:\t812")).isEqualTo(812);
    }
}
