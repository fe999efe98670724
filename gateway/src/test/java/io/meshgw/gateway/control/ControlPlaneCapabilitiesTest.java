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
 * The families the control plane plans VIPs and egress addresses for are the ones the datapath reports (the planner's
 * side of both states is in the operator's {@code CapabilitiesPlanTest}).
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

        @Override
        public void apply(io.meshgw.bpf.datapath.SteeringTable steering) {}
    };

    @Test
    void theTranslatedFamiliesAreTheDatapathsIpv6VipsIncludedAndIpv6EgressNot() {
        DatapathAdapter datapath = new DatapathAdapter(NO_MAPS);
        Capabilities planned = ControlPlane.capabilities(datapath);
        assertThat(planned.translatedFamilies()).isEqualTo(datapath.translatedFamilies());
        assertThat(planned.translatedFamilies())
                .as("the tc programs translate IPv6 VIPs: they are planned, programmed and announced")
                .containsExactlyInAnyOrder(IpFamily.IPV4, IpFamily.IPV6);
        assertThat(planned.egressFamilies())
                .as("no IPv6 SNAT yet: an IPv6 egress address stays SourceNotTranslated, unannounced")
                .containsExactly(IpFamily.IPV4);
        assertThat(planned.translatedProtocols()).isEqualTo(Capabilities.DATAPATH.translatedProtocols());
    }
}
