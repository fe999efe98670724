package io.meshgw.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PlanParts;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a replica that does not hold the Lease serves: every VIP, no egress address, and no pod's own address. */
class PlanWithoutEgressTest {
    static final ObjectKey SHOP = new ObjectKey("shop", "web");
    /** An EgressIdentity with the same namespace and name as the export: the key alone cannot tell them apart. */
    static final ObjectKey SHOP_EGRESS = new ObjectKey("shop", "web");

    static final Announcement VIP_ROUTE =
            new Announcement(IpPrefix.parse("198.51.100.10/32"), List.of(), new ResourceRef("MeshServiceExport", SHOP));
    static final Announcement EGRESS_ROUTE = new Announcement(
            IpPrefix.parse("203.0.113.7/32"), List.of(), new ResourceRef("EgressIdentity", SHOP_EGRESS));
    static final EgressRule EGRESS = new EgressRule(
            SHOP_EGRESS,
            7,
            IpAddress.parse("203.0.113.7"),
            List.of(IpPrefix.parse("10.20.0.0/16")),
            List.of(IpAddress.parse("10.1.0.5")),
            List.of());

    @Test
    void theRoutesOfEgressAddressesGoTheRulesStayServedElsewhereAndEveryVipRouteStays() {
        Plan plan = new PlanParts()
                .announcements(VIP_ROUTE, EGRESS_ROUTE)
                .egress(EGRESS)
                .plan();

        Plan served = plan.withEgressServedElsewhere();

        assertThat(served.egressRules())
                .as("the rules stay, so the node's datapath drops what it would send with the pods' own addresses")
                .containsOnlyKeys(SHOP_EGRESS);
        assertThat(served.servesEgress()).isFalse();
        assertThat(served.egressRules().get(SHOP_EGRESS)).isEqualTo(EGRESS);
        assertThat(served.egressServedHere()).isEmpty();
        assertThat(plan.egressServedHere()).containsExactly(EGRESS);
        assertThat(served.announcements()).containsOnlyKeys(VIP_ROUTE.prefix());
        assertThat(served.translations()).isEqualTo(plan.translations());
        assertThat(served.peers()).isEqualTo(plan.peers());
        assertThat(served.exports()).isEqualTo(plan.exports());
        assertThat(served.outcomes()).isEqualTo(plan.outcomes());
    }

    @Test
    void aPlanWithoutEgressIsServedAsItIs() {
        Plan plan = new PlanParts().announcements(VIP_ROUTE).plan();

        assertThat(plan.withEgressServedElsewhere()).isSameAs(plan);
    }

    @Test
    void aDrainedNodeWithdrawsItsVipRoutesAndKeepsTranslatingAndItsEgressRoutes() {
        Plan plan = new PlanParts()
                .announcements(VIP_ROUTE, EGRESS_ROUTE)
                .egress(EGRESS)
                .plan();

        Plan drained = plan.withoutVipRoutes();

        assertThat(drained.announcements()).containsOnlyKeys(EGRESS_ROUTE.prefix());
        assertThat(drained.egressRules()).isEqualTo(plan.egressRules());
        assertThat(drained.translations()).isEqualTo(plan.translations());
        assertThat(drained.peers()).isEqualTo(plan.peers());
        assertThat(plan.withEgressServedElsewhere().withoutVipRoutes().announcements())
                .isEmpty();
        Plan egressOnly =
                new PlanParts().announcements(EGRESS_ROUTE).egress(EGRESS).plan();
        assertThat(egressOnly.withoutVipRoutes()).isSameAs(egressOnly);
    }
}
