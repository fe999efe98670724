package io.meshgw.gateway.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bpf.datapath.PolicyRule;
import io.meshgw.bpf.datapath.TranslationTable;
import io.meshgw.bpf.datapath.Verdict;
import io.meshgw.operator.port.Backend;
import io.meshgw.operator.port.EgressRule;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PortRule;
import io.meshgw.operator.port.PortTranslation;
import io.meshgw.operator.port.ServicePort;
import io.meshgw.operator.port.ServiceTranslation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TranslationPlannerTest {

    static final ObjectKey WEB = new ObjectKey("shop", "web");
    static final ServicePort HTTP = new ServicePort("http", "TCP", 80);

    static ServiceTranslation web(List<Backend> local) {
        return new ServiceTranslation(WEB, "198.51.100.10", List.of(new PortTranslation(HTTP, local)));
    }

    @Test
    void localBackendsComeFirstAndRemoteOnesAreAddedFromTheMesh() {
        var plan = TranslationPlanner.plan(
                List.of(web(List.of(new Backend("10.1.0.10", 8080)))),
                List.of(),
                (svc, port) -> svc.equals(WEB) && port.equals(HTTP)
                        ? List.of(new RemoteBackend("10.2.0.10", 8080, 2), new RemoteBackend("fd00::1", 8080, 2))
                        : List.of(),
                1);
        TranslationTable t = plan.table();
        assertThat(t.services()).hasSize(1);
        var s = t.services().get(0);
        assertThat(s.port()).isEqualTo(80);
        assertThat(s.backends())
                .extracting(b -> b.address().getHostAddress() + ":" + b.port() + ":" + b.local())
                .containsExactly("10.1.0.10:8080:true", "10.2.0.10:8080:false");
    }

    @Test
    void aVipWithOnlyRemoteBackendsIsStillTranslated() {
        var plan = TranslationPlanner.plan(
                List.of(web(List.of())), List.of(), (svc, port) -> List.of(new RemoteBackend("10.2.0.10", 8080, 2)), 1);
        assertThat(plan.table().services().get(0).backends()).hasSize(1);
    }

    @Test
    void anIpv6VipIsSkippedWithTheReason() {
        var plan = TranslationPlanner.plan(
                List.of(new ServiceTranslation(WEB, "2001:db8::10", List.of(new PortTranslation(HTTP, List.of())))),
                List.of(),
                (svc, port) -> List.of(),
                1);
        assertThat(plan.table().services()).isEmpty();
        assertThat(plan.skipped()).singleElement().asString().contains("IPv4 only");
    }

    @Test
    void allowedEgressPortsBecomeAllowRulesAndAnIdentityDefaultDeny() {
        EgressRule rule = new EgressRule(
                new ObjectKey("shop", "client"),
                "203.0.113.1",
                "shop",
                null,
                Map.of("app", "client"),
                List.of("192.0.2.0/24"),
                List.of("10.1.0.20", "fd00::20"),
                List.of(new PortRule("TCP", 9000)));
        var plan = TranslationPlanner.plan(List.of(), List.of(rule), (svc, port) -> List.of(), 1);
        TranslationTable t = plan.table();
        int identity = t.egress().get(0).identity();
        assertThat(t.identities()).singleElement().satisfies(p -> {
            assertThat(p.identity()).isEqualTo(identity);
            assertThat(p.prefix()).hasToString("10.1.0.20/32");
        });
        assertThat(t.policies())
                .containsExactlyInAnyOrder(
                        new PolicyRule(
                                identity,
                                io.meshgw.bpf.datapath.Protocol.TCP,
                                PolicyRule.Direction.EGRESS,
                                9000,
                                Verdict.ALLOW),
                        PolicyRule.identityDefault(identity, PolicyRule.Direction.EGRESS, Verdict.DENY));
    }

    @Test
    void identityNumbersAreStableHashesThatNeverCollide() {
        var a = IdentityNumbers.assign(Set.of("service:shop/web", "egress:shop/client"));
        var b = IdentityNumbers.assign(Set.of("egress:shop/client", "service:shop/web", "service:x/y"));
        assertThat(b.get("service:shop/web")).isEqualTo(a.get("service:shop/web"));
        assertThat(b.values()).doesNotHaveDuplicates().allMatch(v -> v >= IdentityNumbers.FIRST);
    }
}
