package io.meshgw.testkit.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ScriptedBgpPeerTest {

    @Test
    void theOpenOffersIpv4UnicastAndTheFourOctetAsWithAsTransInTheTwoOctetField() {
        var o = new ScriptedBgpPeer.Options("10.0.0.2", 4200000002L, "10.0.0.2", 9);
        assertThat(HexFormat.of().formatHex(ScriptedBgpPeer.open(o)))
                .isEqualTo("ffffffffffffffffffffffffffffffff" + "002b" + "01" // header, 43 octets, OPEN
                        + "04" + "5ba0" + "0009" + "0a000002" // version 4, AS_TRANS, hold 9, identifier
                        + "0e" + "020c" // 14 octets of parameters: capabilities, 12 octets
                        + "0104" + "00010001" // multiprotocol IPv4 unicast
                        + "4104" + "fa56ea02"); // 4-octet AS 4200000002
    }

    @Test
    void optionsRejectWhatNoPeerCouldBe() {
        assertThatThrownBy(() -> new ScriptedBgpPeer.Options("10.0.0.300", 65000, "10.0.0.1", 9))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScriptedBgpPeer.Options("10.0.0.1", 0, "10.0.0.1", 9))
                .hasMessageContaining("asn");
        assertThatThrownBy(() -> new ScriptedBgpPeer.Options("10.0.0.1", 65000, "10.0.0.1", 2))
                .hasMessageContaining("holdTime");
        assertThatThrownBy(() -> new ScriptedBgpPeer.Options("fe80::1", 65000, "10.0.0.1", 9))
                .hasMessageContaining("IPv4");
    }
}
