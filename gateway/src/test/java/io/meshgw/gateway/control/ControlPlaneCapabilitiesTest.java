package io.meshgw.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bpf.datapath.TableChange;
import io.meshgw.bpf.datapath.TranslationTable;
import io.meshgw.bpf.datapath.TunnelTable;
import io.meshgw.gateway.datapath.DatapathAdapter;
import io.meshgw.gateway.datapath.DatapathTables;
import io.meshgw.operator.plan.Capabilities;
import io.meshgw.types.IpFamily;
import org.junit.jupiter.api.Test;

/**
 * The families the control plane plans VIPs and egress addresses for are the ones the datapath reports: an IPv6 VIP
 * is announced only once the datapath translates IPv6 (the planner's side of both states is in the operator's
 * {@code CapabilitiesPlanTest}).
 */
class ControlPlaneCapabilitiesTest {

    private static final DatapathTables NO_MAPS = new DatapathTables() {
        @Override
        public void apply(TranslationTable table) {}

        @Override
        public boolean apply(TableChange change) {
            return true;
        }

        @Override
        public void apply(TunnelTable tunnels) {}
    };

    @Test
    void theTranslatedFamiliesAreTheDatapathsAndIpv6WaitsForIt() {
        DatapathAdapter datapath = new DatapathAdapter(NO_MAPS);
        Capabilities planned = ControlPlane.capabilities(datapath);
        assertThat(planned.translatedFamilies()).isEqualTo(datapath.translatedFamilies());
        assertThat(planned.translatedFamilies())
                .as("the tc programs translate IPv4 only: IPv6 VIPs stay VipNotTranslated, unannounced")
                .containsExactly(IpFamily.IPV4);
        assertThat(planned.translatedProtocols()).isEqualTo(Capabilities.DATAPATH.translatedProtocols());
    }
}
