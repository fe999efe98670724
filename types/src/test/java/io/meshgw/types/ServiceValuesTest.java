package io.meshgw.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServiceValuesTest {

    @Test
    void servicePortsAreValidatedAndPrintLikeKubectl() {
        assertThat(new ServicePort("http", Protocol.TCP, 80)).hasToString("http=80/TCP");
        assertThat(new ServicePort(null, Protocol.UDP, 53)).hasToString("53/UDP");
        assertThatThrownBy(() -> new ServicePort("", Protocol.TCP, 0)).hasMessage("port 0 is outside 1..65535");
        assertThatThrownBy(() -> new ServicePort("", Protocol.TCP, 65536)).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> new ServicePort("HTTP", Protocol.TCP, 80)).hasMessageContaining("DNS-1123 label");
        assertThatThrownBy(() -> new ServicePort("web", null, 80)).hasMessageContaining("protocol");
    }

    @Test
    void protocolsParseByKubernetesNameAndDefaultToTcp() {
        assertThat(Protocol.parse(null)).isEqualTo(Protocol.TCP);
        assertThat(Protocol.parse("")).isEqualTo(Protocol.TCP);
        assertThat(Protocol.parse("UDP")).isEqualTo(Protocol.UDP);
        assertThat(Protocol.parse("SCTP").number()).isEqualTo(132);
        assertThatThrownBy(() -> Protocol.parse("udp")).hasMessageContaining("upper case: UDP");
        assertThatThrownBy(() -> Protocol.parse("ICMP")).hasMessageContaining("none of TCP, UDP, SCTP");
        assertThat(Protocol.ofNumber(6)).isEqualTo(Protocol.TCP);
        assertThat(Protocol.ofNumber(17)).isEqualTo(Protocol.UDP);
        assertThatThrownBy(() -> Protocol.ofNumber(1)).hasMessageContaining("IP protocol 1");
    }

    @Test
    void clusterIdsHaveOneRange() {
        assertThat(new ClusterId(ClusterId.MIN, "east").id()).isEqualTo(1);
        assertThat(new ClusterId(ClusterId.MAX, "west").id()).isEqualTo(4095);
        assertThatThrownBy(() -> new ClusterId(0, "east")).hasMessage("cluster id 0 is outside 1..4095");
        assertThatThrownBy(() -> new ClusterId(4096, "east")).hasMessage("cluster id 4096 is outside 1..4095");
        assertThatThrownBy(() -> new ClusterId(1, "East")).hasMessageContaining("cluster name");
        assertThat(ClusterId.unnamed(7)).hasToString("cluster-7(7)");
    }
}
