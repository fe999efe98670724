package io.meshgw.gateway.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bpf.datapath.PolicyRule;
import io.meshgw.bpf.datapath.ServiceTranslation;
import io.meshgw.bpf.datapath.SteeringTable;
import io.meshgw.bpf.datapath.TableChange;
import io.meshgw.bpf.datapath.TranslationTable;
import io.meshgw.bpf.datapath.TunnelTable;
import io.meshgw.bpf.datapath.Verdict;
import io.meshgw.operator.plan.Backend;
import io.meshgw.operator.plan.EgressRule;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.PortRule;
import io.meshgw.operator.plan.PortTranslation;
import io.meshgw.operator.plan.Translation;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.ClusterId;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpFamily;
import io.meshgw.types.IpPrefix;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plan in the datapath's vocabulary, against a datapath service that only records the table (no kernel). */
class DatapathAdapterTest {

    private static final ClusterId EAST = new ClusterId(1, "east");
    private static final ClusterId WEST = new ClusterId(2, "west");

    private final DatapathService datapath = new DatapathService(null, null);
    private final DatapathAdapter adapter = new DatapathAdapter(datapath);

    @Test
    void translationsBecomeOneServicePerVipPortWithLocalAndRemoteBackends() {
        adapter.apply(plan(List.of(web(8080)), List.of()));

        TranslationTable t = datapath.applied();
        assertThat(t.services()).hasSize(2);
        ServiceTranslation http = t.services().getFirst();
        assertThat(http.key()).isEqualTo("198.51.100.10:80/TCP");
        assertThat(http.identity()).isEqualTo(300);
        assertThat(http.backends())
                .extracting(Object::toString)
                .containsExactly("10.0.0.1:8080 (local)", "10.1.0.1:8080 (cluster 2)");
        assertThat(t.services().get(1).key()).isEqualTo("198.51.100.10:53/UDP");
    }

    @Test
    void anEgressRuleBecomesItsPodsIdentityItsSnatAndItsPortPolicy() {
        adapter.apply(plan(List.of(), List.of(egress(List.of(new PortRule(Protocol.TCP, 443))))));

        TranslationTable t = datapath.applied();
        assertThat(t.identities())
                .extracting(Object::toString)
                .containsExactly("IdentityPrefix[prefix=10.0.0.5/32, identity=400]");
        assertThat(t.egress()).singleElement().satisfies(e -> {
            assertThat(e.identity()).isEqualTo(400);
            assertThat(e.sourceAddress().getHostAddress()).isEqualTo("203.0.113.1");
            assertThat(e.destinations()).extracting(Object::toString).containsExactly("192.0.2.0/24");
        });
        assertThat(t.policies())
                .containsExactly(
                        new PolicyRule(
                                400, io.meshgw.types.Protocol.TCP, PolicyRule.Direction.EGRESS, 443, Verdict.ALLOW),
                        PolicyRule.identityDefault(400, PolicyRule.Direction.EGRESS, Verdict.DENY));

        adapter.apply(plan(List.of(), List.of(egress(List.of()))));
        assertThat(datapath.applied().policies())
                .as("no listed port allows every port")
                .isEmpty();
    }

    @Test
    void anIpv6VipBecomesIpv6ServicesBesideTheIpv4OnesInTheOneTable() {
        adapter.apply(plan(List.of(web(8080), web6()), List.of()));

        TranslationTable t = datapath.applied();
        assertThat(t.services())
                .extracting(ServiceTranslation::key)
                .containsExactlyInAnyOrder(
                        "198.51.100.10:80/TCP", "198.51.100.10:53/UDP", "2001:db8:100:0:0:0:0:10:80/TCP");
        ServiceTranslation http6 = byKey(t.services(), "2001:db8:100:0:0:0:0:10:80/TCP");
        assertThat(http6.vip()).isInstanceOf(java.net.Inet6Address.class);
        assertThat(http6.identity()).isEqualTo(302);
        assertThat(http6.backends())
                .extracting(Object::toString)
                .containsExactly("fd00:1:0:0:0:0:0:10:8080 (local)", "fd00:2:0:0:0:0:0:10:8080 (cluster 2)");
    }

    @Test
    void anIpv6VipsChangeIsHandedOverAsAChangeLikeAnIpv4One() {
        var recorder = new Recorder();
        var adapter = new DatapathAdapter(recorder);
        adapter.apply(plan(List.of(web(8080)), List.of()));
        adapter.apply(plan(List.of(web(8080), web6()), List.of()));

        assertThat(recorder.wholeTables).isEqualTo(1);
        assertThat(recorder.last.removed()).isEmpty();
        assertThat(recorder.last.put())
                .extracting(ServiceTranslation::key)
                .containsExactly("2001:db8:100:0:0:0:0:10:80/TCP");

        adapter.apply(plan(List.of(web(8080)), List.of()));
        assertThat(recorder.last.removed())
                .extracting(ServiceTranslation::key)
                .containsExactly("2001:db8:100:0:0:0:0:10:80/TCP");
    }

    @Test
    void ipv6VipsAreTranslatedAndIpv6EgressAddressesAreNot() {
        assertThat(adapter.translatedFamilies()).containsExactlyInAnyOrder(IpFamily.IPV4, IpFamily.IPV6);
        assertThat(adapter.egressFamilies()).containsExactly(IpFamily.IPV4);
    }

    @Test
    void aTranslationHandedOverUnchangedIsNotMappedAgain() {
        Translation web = web(8080);
        Translation api = api();
        adapter.apply(plan(List.of(web, api), List.of()));
        List<ServiceTranslation> first = datapath.applied().services();

        Translation changed = web(9090);
        adapter.apply(plan(List.of(changed, api), List.of()));
        List<ServiceTranslation> second = datapath.applied().services();

        assertThat(byKey(second, "198.51.100.11:443/TCP"))
                .as("api, the same instance, keeps its mapping")
                .isSameAs(byKey(first, "198.51.100.11:443/TCP"));
        assertThat(byKey(second, "198.51.100.10:80/TCP")).isNotSameAs(byKey(first, "198.51.100.10:80/TCP"));
        assertThat(byKey(second, "198.51.100.10:80/TCP").backends().getFirst().port())
                .isEqualTo(9090);
    }

    @Test
    void afterAnAppliedPassOnlyWhatTheNextPlanChangedIsHandedOver() {
        var recorder = new Recorder();
        var adapter = new DatapathAdapter(recorder);
        var first = plan(List.of(web(8080), api()), List.of());
        adapter.apply(first);
        assertThat(recorder.wholeTables).as("the first pass goes whole").isEqualTo(1);

        adapter.apply(plan(List.of(web(9090), api()), List.of()));
        assertThat(recorder.wholeTables).isEqualTo(1);
        assertThat(recorder.last.removed())
                .extracting(ServiceTranslation::key)
                .containsExactlyInAnyOrder("198.51.100.10:80/TCP", "198.51.100.10:53/UDP");
        assertThat(recorder.last.put())
                .extracting(ServiceTranslation::key)
                .containsExactlyInAnyOrder("198.51.100.10:80/TCP", "198.51.100.10:53/UDP");
        assertThat(recorder.last.put().getFirst().backends().getFirst().port()).isEqualTo(9090);

        adapter.apply(plan(List.of(api()), List.of()));
        assertThat(recorder.last.removed())
                .extracting(ServiceTranslation::key)
                .containsExactlyInAnyOrder("198.51.100.10:80/TCP", "198.51.100.10:53/UDP");
        assertThat(recorder.last.put()).isEmpty();
    }

    @Test
    void theWholeTableGoesWhenTheDatapathAsksForItAndAfterAFailedPass() {
        var recorder = new Recorder();
        var adapter = new DatapathAdapter(recorder);
        adapter.apply(plan(List.of(web(8080)), List.of()));

        recorder.refuseChanges = true;
        adapter.apply(plan(List.of(web(9090)), List.of()));
        assertThat(recorder.wholeTables).isEqualTo(2);
        assertThat(recorder.whole.services().getFirst().backends().getFirst().port())
                .isEqualTo(9090);

        recorder.refuseChanges = false;
        recorder.fail = true;
        assertThatThrownBy(() -> adapter.apply(plan(List.of(web(7070)), List.of())))
                .hasMessageContaining("map write failed");
        recorder.fail = false;
        adapter.apply(plan(List.of(web(7070)), List.of()));
        assertThat(recorder.wholeTables)
                .as("what the failed pass left is unknown")
                .isEqualTo(3);
    }

    /**
     * A backend reached through its node is marked once its node is written, in every service of its, and unmarked; the
     * services without it are not written again.
     */
    @Test
    void aBackendReachedThroughItsNodeIsMarkedAfterItsNodeIsWrittenAndUnmarkedWhenItIsNot() throws Exception {
        var recorder = new Recorder();
        var local = (java.net.Inet4Address) java.net.InetAddress.getByName("172.16.9.1");
        var node = (java.net.Inet4Address) java.net.InetAddress.getByName("10.1.0.3");
        var adapter = new DatapathAdapter(recorder, () -> Tunnels.plan(Optional.of(local), Map.of()));
        var plain = plan(List.of(web(8080), api()), List.of());
        var viaNode = plain.withGateways(io.meshgw.operator.plan.GatewayNodes.NONE.withBackendNodes(
                Map.of(IpAddress.parse("10.0.0.1"), io.meshgw.types.Ipv4Address.of(node))));

        adapter.apply(plain);
        int before = recorder.calls.size();
        adapter.apply(viaNode);

        List<Object> pass = recorder.calls.subList(before, recorder.calls.size());
        int steered = pass.indexOf(pass.stream()
                .filter(c -> c instanceof SteeringTable st && !st.backendNodes().isEmpty())
                .findFirst()
                .orElseThrow());
        int change = pass.indexOf(recorder.last);
        assertThat(change).as("the marks are a change of the table: %s", pass).isNotNegative();
        assertThat(steered).as("the node written before the mark").isLessThan(change);
        assertThat(recorder.wholeTables)
                .as("the table is not written whole again")
                .isEqualTo(1);
        assertThat(recorder.last.put())
                .as("every service of the backend mapped again, and only those")
                .extracting(ServiceTranslation::key)
                .containsExactlyInAnyOrder("198.51.100.10:80/TCP", "198.51.100.10:53/UDP");
        assertThat(recorder.last.removed())
                .extracting(ServiceTranslation::key)
                .containsExactlyInAnyOrder("198.51.100.10:80/TCP", "198.51.100.10:53/UDP");
        assertThat(recorder.last.put())
                .as("only the local backend marked")
                .allSatisfy(svc -> svc.backends()
                        .forEach(b -> assertThat(b.viaNode())
                                .as(b.toString())
                                .isEqualTo(b.address().getHostAddress().equals("10.0.0.1"))));

        before = recorder.calls.size();
        adapter.apply(viaNode);
        assertThat(recorder.calls.subList(before, recorder.calls.size()))
                .as("nothing written when the marks stay")
                .noneMatch(c -> c instanceof TableChange tc
                        && !(tc.put().isEmpty() && tc.removed().isEmpty()));

        adapter.apply(plain);
        assertThat(recorder.last.put())
                .extracting(ServiceTranslation::key)
                .containsExactlyInAnyOrder("198.51.100.10:80/TCP", "198.51.100.10:53/UDP");
        assertThat(recorder.last.put())
                .allSatisfy(svc -> assertThat(svc.backends()).noneMatch(io.meshgw.bpf.datapath.Backend::viaNode));
    }

    /** A pass that changes a service and a mark at once writes each service once, marked as the pass says. */
    @Test
    void aServiceChangedInThePassItsBackendIsMarkedIsWrittenOnce() throws Exception {
        var recorder = new Recorder();
        var local = (java.net.Inet4Address) java.net.InetAddress.getByName("172.16.9.1");
        var node = (java.net.Inet4Address) java.net.InetAddress.getByName("10.1.0.3");
        var adapter = new DatapathAdapter(recorder, () -> Tunnels.plan(Optional.of(local), Map.of()));
        adapter.apply(plan(List.of(web(8080), api()), List.of()));

        adapter.apply(plan(List.of(web(9090), api()), List.of())
                .withGateways(io.meshgw.operator.plan.GatewayNodes.NONE.withBackendNodes(
                        Map.of(IpAddress.parse("10.0.0.1"), io.meshgw.types.Ipv4Address.of(node)))));

        assertThat(recorder.last.put())
                .extracting(ServiceTranslation::key)
                .containsExactlyInAnyOrder("198.51.100.10:80/TCP", "198.51.100.10:53/UDP");
        assertThat(recorder.last.put().getFirst().backends())
                .filteredOn(b -> b.address().getHostAddress().equals("10.0.0.1"))
                .singleElement()
                .satisfies(b -> assertThat(b.viaNode()).isTrue())
                .satisfies(b -> assertThat(b.port()).isIn(9090, 5353));
    }

    @Test
    void tunnelsGoBeforeTheTranslationsThatUseThemAndOnlyWhenTheyChange() throws Exception {
        var recorder = new Recorder();
        var local = (java.net.Inet4Address) java.net.InetAddress.getByName("172.16.9.1");
        var west = (java.net.Inet4Address) java.net.InetAddress.getByName("172.16.9.2");
        var published =
                new java.util.concurrent.atomic.AtomicReference<Map<Integer, List<java.net.Inet4Address>>>(Map.of());
        var adapter = new DatapathAdapter(recorder, () -> Tunnels.plan(java.util.Optional.of(local), published.get()));

        adapter.apply(plan(List.of(api()), List.of()));
        published.set(Map.of(2, List.of(west)));
        adapter.apply(plan(List.of(api(), web(8080)), List.of()));
        adapter.apply(plan(List.of(web(8080)), List.of()));

        assertThat(recorder.tablesAndTunnels()).hasSize(5);
        assertThat(recorder.tablesAndTunnels().get(0))
                .isEqualTo(new TunnelTable(java.util.Optional.of(local), Map.of()));
        assertThat(recorder.tablesAndTunnels().get(2))
                .as("west's endpoint before the pass that adds west's backend")
                .isEqualTo(new TunnelTable(java.util.Optional.of(local), Map.of(2, west)));
        assertThat(recorder.tablesAndTunnels().get(3)).isInstanceOf(TableChange.class);
        assertThat(recorder.tablesAndTunnels().get(4))
                .as("no tunnel write when nothing changed")
                .isInstanceOf(TableChange.class);
    }

    @Test
    void anIdentityServedElsewhereIsSteeredToNoOwnerBeforeItsRuleIsWrittenAndTranslatedHereOnlyAfterItComesBack() {
        var recorder = new Recorder();
        var adapter = new DatapathAdapter(recorder);
        EgressRule rule = egress(List.of());
        var noOwner = new SteeringTable(Set.of(), Map.of(400, Optional.empty()));

        adapter.apply(plan(List.of(), List.of(rule)).withEgressServedElsewhere());
        List<Object> follower =
                recorder.calls.stream().filter(c -> !(c instanceof TunnelTable)).toList();
        assertThat(follower).as("steered first, then the rule written").hasSize(2);
        assertThat(follower.get(0)).isEqualTo(noOwner);
        assertThat(recorder.whole.egress())
                .as("the follower keeps the identity's rule: its datapath knows the pods and their destinations")
                .extracting(e -> e.identity())
                .containsExactly(400);

        recorder.calls.clear();
        adapter.apply(plan(List.of(), List.of(rule)));
        assertThat(recorder.calls).as("the rule first, then the steering gone").hasSize(2);
        assertThat(recorder.calls.get(0)).isInstanceOf(TableChange.class);
        assertThat(recorder.calls.get(1)).isEqualTo(SteeringTable.NONE);

        recorder.calls.clear();
        adapter.apply(plan(List.of(), List.of(rule)));
        assertThat(recorder.calls).as("no steering write when nothing changed").hasSize(1);
    }

    /**
     * The cluster's gateway nodes as their Nodes name them: a node that does not serve egress steers every identity to
     * the Lease holder's endpoint, and every node accepts steered packets from the others' endpoints, the holder's
     * included (its replies to what a node steered), never its own.
     */
    @Test
    void aNodeThatDoesNotServeEgressSteersToTheLeaseHoldersEndpointAndEveryNodeAcceptsTheOthers() throws Exception {
        var self = (java.net.Inet4Address) java.net.InetAddress.getByName("10.1.0.1");
        var holder = (java.net.Inet4Address) java.net.InetAddress.getByName("10.1.0.2");
        var third = (java.net.Inet4Address) java.net.InetAddress.getByName("10.1.0.3");
        var nodes = new io.meshgw.operator.plan.GatewayNodes(
                Map.of(
                        "node-1", io.meshgw.types.Ipv4Address.of(self),
                        "node-2", io.meshgw.types.Ipv4Address.of(holder),
                        "node-3", io.meshgw.types.Ipv4Address.of(third)),
                Optional.of(io.meshgw.types.Ipv4Address.of(holder)));
        EgressRule rule = egress(List.of());
        var follower = plan(List.of(), List.of(rule)).withGateways(nodes).withEgressServedElsewhere();

        assertThat(DatapathAdapter.steering(follower, Optional.of(self)))
                .isEqualTo(new SteeringTable(Set.of(holder, third), Map.of(400, Optional.of(holder))));
        assertThat(DatapathAdapter.steering(plan(List.of(), List.of(rule)).withGateways(nodes), Optional.of(holder)))
                .as("the holder steers nothing and accepts what the others steer")
                .isEqualTo(new SteeringTable(Set.of(self, third), Map.of()));
        assertThat(DatapathAdapter.steering(
                        plan(List.of(), List.of(rule))
                                .withGateways(
                                        new io.meshgw.operator.plan.GatewayNodes(nodes.endpoints(), Optional.empty()))
                                .withEgressServedElsewhere(),
                        Optional.of(self)))
                .as("no holder known yet: dropped, never sent with the pods' own addresses")
                .isEqualTo(new SteeringTable(Set.of(holder, third), Map.of(400, Optional.empty())));
        assertThat(DatapathAdapter.steering(follower, Optional.of(holder)))
                .as("the holder's own endpoint while it does not know it leads yet: not steered to itself")
                .isEqualTo(new SteeringTable(Set.of(self, third), Map.of(400, Optional.empty())));
        assertThat(DatapathAdapter.steering(follower, Optional.empty()))
                .as("no endpoint to steer from: dropped")
                .isEqualTo(new SteeringTable(Set.of(), Map.of(400, Optional.empty())));
    }

    /** A backend on an ordinary node with a ready node role is sent there, and the node accepted; never to itself. */
    @Test
    void aBackendReachedThroughItsNodesNodeRoleIsSentThereFromThisNodesEndpoint() throws Exception {
        var self = (java.net.Inet4Address) java.net.InetAddress.getByName("10.1.0.1");
        var node = (java.net.Inet4Address) java.net.InetAddress.getByName("10.1.0.3");
        var backend = (java.net.Inet4Address) java.net.InetAddress.getByName("10.2.1.5");
        var nodes = new io.meshgw.operator.plan.GatewayNodes(
                        Map.of("node-1", io.meshgw.types.Ipv4Address.of(self)), Optional.empty())
                .withBackendNodes(Map.of(
                        io.meshgw.types.Ipv4Address.of(backend), io.meshgw.types.Ipv4Address.of(node),
                        io.meshgw.types.IpAddress.parse("10.2.0.9"), io.meshgw.types.Ipv4Address.of(self)));
        var plan = plan(List.of(), List.of()).withGateways(nodes);

        assertThat(DatapathAdapter.steering(plan, Optional.of(self)))
                .isEqualTo(new SteeringTable(Set.of(node), Map.of(), Map.of(backend, node)));
        assertThat(DatapathAdapter.steering(plan, Optional.empty()))
                .as("without an endpoint of its own to send from, routed plainly")
                .isEqualTo(SteeringTable.NONE);
    }

    /** The node role on an ordinary node steers from the Node's address: the holder accepts it, never its own. */
    @Test
    void theLeaseHolderAcceptsWhatOrdinaryNodesSteerFromTheirAddresses() throws Exception {
        var holder = (java.net.Inet4Address) java.net.InetAddress.getByName("10.1.0.1");
        var worker = (java.net.Inet4Address) java.net.InetAddress.getByName("10.1.0.30");
        var nodes = new io.meshgw.operator.plan.GatewayNodes(
                Map.of("node-1", io.meshgw.types.Ipv4Address.of(holder)),
                Optional.of(io.meshgw.types.Ipv4Address.of(holder)),
                new java.util.TreeSet<>(
                        List.of(io.meshgw.types.Ipv4Address.of(holder), io.meshgw.types.Ipv4Address.of(worker))));

        assertThat(DatapathAdapter.steering(
                        plan(List.of(), List.of(egress(List.of()))).withGateways(nodes), Optional.of(holder)))
                .isEqualTo(new SteeringTable(Set.of(worker), Map.of()));
    }

    /** Counts whole tables and keeps the last change; can ask for whole tables, or fail. */
    private static final class Recorder implements DatapathTables {
        int wholeTables;
        TranslationTable whole;
        TableChange last;
        boolean refuseChanges;
        boolean fail;
        final List<Object> calls = new java.util.ArrayList<>();

        @Override
        public void apply(TranslationTable table) {
            if (fail) throw new IllegalStateException("map write failed");
            wholeTables++;
            whole = table;
            calls.add(table);
        }

        @Override
        public void apply(TunnelTable tunnels) {
            if (fail) throw new IllegalStateException("map write failed");
            calls.add(tunnels);
        }

        @Override
        public void apply(SteeringTable steering) {
            if (fail) throw new IllegalStateException("map write failed");
            calls.add(steering);
        }

        /** The calls other than steering's. */
        List<Object> tablesAndTunnels() {
            return calls.stream().filter(c -> !(c instanceof SteeringTable)).toList();
        }

        @Override
        public boolean apply(TableChange change) {
            if (fail) throw new IllegalStateException("map write failed");
            if (refuseChanges) return false;
            last = change;
            calls.add(change);
            return true;
        }
    }

    private static ServiceTranslation byKey(List<ServiceTranslation> services, String key) {
        return services.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
    }

    private static Translation web(int targetPort) {
        var http = new ServicePort("http", Protocol.TCP, 80);
        var dns = new ServicePort("dns", Protocol.UDP, 53);
        return new Translation(
                new ObjectKey("shop", "web"),
                IpAddress.parse("198.51.100.10"),
                300,
                List.of(
                        new PortTranslation(
                                http,
                                List.of(
                                        new Backend(IpAddress.parse("10.0.0.1"), targetPort, EAST, true),
                                        new Backend(IpAddress.parse("10.1.0.1"), targetPort, WEST, false))),
                        new PortTranslation(dns, List.of(new Backend(IpAddress.parse("10.0.0.1"), 5353, EAST, true)))));
    }

    private static Translation web6() {
        return new Translation(
                new ObjectKey("shop", "web6"),
                IpAddress.parse("2001:db8:100::10"),
                302,
                List.of(new PortTranslation(
                        new ServicePort("http", Protocol.TCP, 80),
                        List.of(
                                new Backend(IpAddress.parse("fd00:1::10"), 8080, EAST, true),
                                new Backend(IpAddress.parse("fd00:2::10"), 8080, WEST, false)))));
    }

    private static Translation api() {
        return new Translation(
                new ObjectKey("shop", "api"),
                IpAddress.parse("198.51.100.11"),
                301,
                List.of(new PortTranslation(
                        new ServicePort("", Protocol.TCP, 443),
                        List.of(new Backend(IpAddress.parse("10.0.0.2"), 8443, EAST, true)))));
    }

    private static EgressRule egress(List<PortRule> ports) {
        return new EgressRule(
                new ObjectKey("shop", "batch"),
                400,
                IpAddress.parse("203.0.113.1"),
                List.of(IpPrefix.parse("192.0.2.0/24")),
                List.of(IpAddress.parse("10.0.0.5")),
                ports);
    }

    private static Plan plan(List<Translation> translations, List<EgressRule> egress) {
        Map<ObjectKey, Translation> t = new LinkedHashMap<>();
        translations.forEach(x -> t.put(x.service(), x));
        Map<ObjectKey, EgressRule> e = new LinkedHashMap<>();
        egress.forEach(x -> e.put(x.key(), x));
        return new Plan(Map.of(), Map.of(), t, e, Map.of(), Map.of(), List.of());
    }
}
