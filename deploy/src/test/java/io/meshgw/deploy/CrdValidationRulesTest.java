package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRuleBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRDs' CEL rules: every one compiles as the API server would compile it, the examples pass them (ExamplesTest
 * runs them too), and each bad object below is refused by the rule meant for it, with its message and path.
 */
class CrdValidationRulesTest {
    private static final List<CrdSchemaValidator> CRDS = Crds.validators();

    static final String PEER = """
            apiVersion: meshgw.io/v1alpha1
            kind: BgpPeer
            metadata: {name: tor1, namespace: meshgw-system}
            spec:
              peerAddress: 192.0.2.1
              peerAsn: 65000
              localAsn: 65001
              families: [ipv4-unicast, ipv6-unicast]
              timers: {holdTimeSeconds: 90, keepaliveSeconds: 30}
              maxPrefix: [{family: ipv4-unicast, limit: 10}]
            """;

    static final String POLICY = """
            apiVersion: meshgw.io/v1alpha1
            kind: BgpPolicy
            metadata: {name: from-dc, namespace: meshgw-system}
            spec:
              statements:
              - match: {prefixes: [{prefix: 10.50.0.0/16, ge: 24, le: 28}], communities: ["65000:7"]}
                actions: {result: accept, addCommunities: ["65001:100"]}
            """;

    static final String POOL = """
            apiVersion: meshgw.io/v1alpha1
            kind: LegacyVipPool
            metadata: {name: dc-vips}
            spec:
              cidrs: [192.0.2.0/28]
              ranges: [{first: 192.0.2.100, last: 192.0.2.120}]
            """;

    static final String IDENTITY = """
            apiVersion: meshgw.io/v1alpha1
            kind: EgressIdentity
            metadata: {name: billing, namespace: pay}
            spec:
              selector: {serviceAccount: billing}
              requestedSourceIp: 198.51.100.1
              destinations: [10.20.0.0/16]
            """;

    static final String LEGACY = """
            apiVersion: meshgw.io/v1alpha1
            kind: LegacyService
            metadata: {name: mainframe, namespace: apps}
            spec:
              prefixes: [{prefix: 10.50.0.0/16, le: 24}]
              addresses: [10.50.1.5, 10.50.1.6]
              ports: [{name: tn3270, port: 3270}]
            """;

    static final String CLUSTER = """
            apiVersion: meshgw.io/v1alpha1
            kind: MeshCluster
            metadata: {name: west}
            spec: {clusterId: 2, name: west, kafka: {bootstrapServers: "kafka-0.west.example:9093"}}
            """;

    static final String EXPORT = """
            apiVersion: meshgw.io/v1alpha1
            kind: MeshServiceExport
            metadata: {name: web, namespace: shop}
            spec: {ports: [http], legacy: {poolRef: dc-vips, requestedVip: 192.0.2.10}}
            """;

    /** A bad object: a base object with one text replaced, and the one violation it must get. */
    static Stream<Arguments> badObjects() {
        return Stream.of(
                // BgpPeer
                bad(
                        PEER,
                        "localAsn: 65001",
                        "localAsn: 65001\n  pathAttributes: {discard: [2]}",
                        "spec.pathAttributes.discard: discard lists a type outside 1..255, or ORIGIN, AS_PATH,"
                                + " NEXT_HOP, MP_REACH_NLRI or MP_UNREACH_NLRI (1, 2, 3, 14, 15), which routes need"),
                bad(
                        PEER,
                        "localAsn: 65001",
                        "localAsn: 65001\n  pathAttributes: {treatAsWithdraw: [256]}",
                        "spec.pathAttributes.treatAsWithdraw: treatAsWithdraw lists a type outside 1..255, or ORIGIN,"
                                + " AS_PATH, NEXT_HOP, MP_REACH_NLRI or MP_UNREACH_NLRI (1, 2, 3, 14, 15), which"
                                + " routes need"),
                bad(
                        PEER,
                        "localAsn: 65001",
                        "localAsn: 65001\n  pathAttributes: {relay: [0]}",
                        "spec.pathAttributes.relay: relay lists a type outside 1..255"),
                bad(
                        PEER,
                        "localAsn: 65001",
                        "localAsn: 65001\n  pathAttributes: {discard: [23], treatAsWithdraw: [23]}",
                        "spec.pathAttributes: an attribute type is listed under both discard and treatAsWithdraw"),
                bad(
                        PEER,
                        "localAsn: 65001",
                        "localAsn: 65001\n  pathAttributes: {relay: [40], discard: [40]}",
                        "spec.pathAttributes: an attribute type is listed under relay and under discard or"
                                + " treatAsWithdraw"),
                bad(
                        PEER,
                        "peerAddress: 192.0.2.1",
                        "peerAddress: 192.0.2.1/32",
                        "spec.peerAddress: peerAddress must be an IPv4 or IPv6 address, without prefix length"),
                bad(
                        PEER,
                        "peerAddress: 192.0.2.1",
                        "peerAddress: 192.0.2.01",
                        "spec.peerAddress: peerAddress must be an IPv4 or IPv6 address, without prefix length"),
                bad(
                        PEER,
                        "peerAddress: 192.0.2.1",
                        "peerAddress: \"::ffff:192.0.2.1\"",
                        "spec.peerAddress: peerAddress must be an IPv4 or IPv6 address, without prefix length"),
                bad(
                        PEER,
                        "peerAsn: 65000",
                        "peerAsn: 23456",
                        "spec.peerAsn: peerAsn 23456 is AS_TRANS (RFC 6793), never a real AS"),
                bad(
                        PEER,
                        "localAsn: 65001",
                        "localAsn: 23456",
                        "spec.localAsn: localAsn 23456 is AS_TRANS (RFC 6793), never a real AS"),
                bad(
                        PEER,
                        "localAsn: 65001",
                        "localAsn: 65000\n  localRole: customer",
                        "spec.localRole: localRole is for eBGP sessions (RFC 9234): peerAsn equals localAsn"),
                bad(
                        PEER,
                        "localAsn: 65001",
                        "localAsn: 65001\n  strictRole: true",
                        "spec.strictRole: strictRole needs a localRole"),
                bad(
                        PEER,
                        "localAsn: 65001",
                        "localAsn: 65001\n  ipv6NextHop: fe80::1",
                        "spec.ipv6NextHop: ipv6NextHop must be a global IPv6 address, without prefix length"),
                bad(
                        PEER,
                        "families: [ipv4-unicast, ipv6-unicast]\n  timers: {holdTimeSeconds: 90, keepaliveSeconds: 30}\n"
                                + "  maxPrefix: [{family: ipv4-unicast, limit: 10}]",
                        "families: [ipv6-unicast]\n  extendedNextHop: true",
                        "spec.extendedNextHop: extendedNextHop carries IPv4 routes with IPv6 next hops (RFC 8950):"
                                + " families needs ipv4-unicast"),
                bad(
                        PEER,
                        "localAsn: 65001",
                        "localAsn: 65001\n  localAddress: 2001:db8::1",
                        "spec.localAddress: localAddress must be of the same address family as peerAddress"),
                bad(
                        PEER,
                        "localAsn: 65001",
                        "localAsn: 65001\n  nodeSelector: {matchExpressions: [{key: rack, operator: In}]}",
                        "spec.nodeSelector.matchExpressions[0]: values must not be empty for In and NotIn, and must be"
                                + " empty for Exists and DoesNotExist"),
                bad(
                        PEER,
                        "localAsn: 65001",
                        "localAsn: 65001\n  nodeSelector: {matchExpressions: [{key: rack, operator: Exists, values:"
                                + " [r1]}]}",
                        "spec.nodeSelector.matchExpressions[0]: values must not be empty for In and NotIn, and must be"
                                + " empty for Exists and DoesNotExist"),
                bad(
                        PEER,
                        "holdTimeSeconds: 90, keepaliveSeconds: 30",
                        "holdTimeSeconds: 2",
                        "spec.timers.holdTimeSeconds: holdTimeSeconds must be 0 or 3..65535 (RFC 4271 §4.2)"),
                bad(
                        PEER,
                        "holdTimeSeconds: 90, keepaliveSeconds: 30",
                        "holdTimeSeconds: 90, keepaliveSeconds: 31",
                        "spec.timers.keepaliveSeconds: keepaliveSeconds must be at most a third of holdTimeSeconds"
                                + " (RFC 4271 §4.4), or the peer's hold timer expires between keepalives"),
                // holdTimeSeconds defaults to 90 when absent, as the operator's
                bad(
                        PEER,
                        "holdTimeSeconds: 90, keepaliveSeconds: 30",
                        "keepaliveSeconds: 40",
                        "spec.timers.keepaliveSeconds: keepaliveSeconds must be at most a third of holdTimeSeconds"
                                + " (RFC 4271 §4.4), or the peer's hold timer expires between keepalives"),
                bad(
                        PEER,
                        "holdTimeSeconds: 90, keepaliveSeconds: 30",
                        "holdTimeSeconds: 90, sendHoldTimeSeconds: 60",
                        "spec.timers.sendHoldTimeSeconds: sendHoldTimeSeconds must be at least holdTimeSeconds: a"
                                + " shorter one resets a session whose router would still wait for it"),
                bad(
                        PEER,
                        "holdTimeSeconds: 90, keepaliveSeconds: 30",
                        "holdTimeSeconds: 0, keepaliveSeconds: 10",
                        "spec.timers.keepaliveSeconds: keepaliveSeconds must be 0 or absent when holdTimeSeconds is"
                                + " 0 (no keepalives are sent)"),
                bad(
                        PEER,
                        "families: [ipv4-unicast, ipv6-unicast]",
                        "families: [ipv6-unicast]",
                        "spec.maxPrefix: every maxPrefix family must be one of spec.families"),
                bad(
                        PEER,
                        "localAsn: 65001",
                        "localAsn: 65001\n  gtsm: true\n  multihop: {enabled: true}",
                        "spec.multihop: gtsm with multihop needs multihop.ttl, the number of hops to the router,"
                                + " 1..254: GTSM (RFC 5082) sends with TTL 255 and accepts only packets that arrive"
                                + " with TTL 256 - ttl or more"),
                bad(
                        PEER,
                        "localAsn: 65001",
                        "localAsn: 65001\n  gtsm: true\n  multihop: {enabled: true, ttl: 255}",
                        "spec.multihop: gtsm with multihop needs multihop.ttl, the number of hops to the router,"
                                + " 1..254: GTSM (RFC 5082) sends with TTL 255 and accepts only packets that arrive"
                                + " with TTL 256 - ttl or more"),
                bad(
                        PEER,
                        "localAsn: 65001",
                        "localAsn: 65001\n  gtsm: true\n  multihop: {enabled: true, ttl: 2}",
                        null),
                bad(PEER, "localAsn: 65001", "localAsn: 65001\n  multihop: {enabled: true}", null),
                // families defaults to [ipv4-unicast]
                bad(PEER, "  families: [ipv4-unicast, ipv6-unicast]\n", "", null),
                bad(
                        PEER,
                        "families: [ipv4-unicast, ipv6-unicast]",
                        "families: [ipv4-unicast, ipv4-unicast]",
                        "spec.families: families lists a family twice"),
                bad(
                        PEER,
                        "[{family: ipv4-unicast, limit: 10}]",
                        "[{family: ipv4-unicast, limit: 10}, {family: ipv4-unicast, limit: 20}]",
                        "spec.maxPrefix: maxPrefix has more than one limit for a family"),
                // BgpPolicy (PrefixMatch)
                bad(
                        POLICY,
                        "prefix: 10.50.0.0/16,",
                        "prefix: 10.50.0.1/16,",
                        "spec.statements[0].match.prefixes[0].prefix: prefix must be a CIDR, address/length with the"
                                + " host bits zero (e.g. 10.50.0.0/16)"),
                bad(
                        POLICY,
                        "prefix: 10.50.0.0/16,",
                        "prefix: 10.50.0.0/016,",
                        "spec.statements[0].match.prefixes[0].prefix: prefix must be a CIDR, address/length with the"
                                + " host bits zero (e.g. 10.50.0.0/16)"),
                bad(
                        POLICY,
                        "ge: 24, le: 28",
                        "ge: 8, le: 28",
                        "spec.statements[0].match.prefixes[0].ge: ge must be at least the prefix's length"),
                bad(
                        POLICY,
                        "ge: 24, le: 28",
                        "ge: 24, le: 33",
                        "spec.statements[0].match.prefixes[0].le: le must be at most 32 for an IPv4 prefix and 128 for"
                                + " an IPv6 one"),
                bad(
                        POLICY,
                        "ge: 24, le: 28",
                        "ge: 28, le: 24",
                        "spec.statements[0].match.prefixes[0].le: le must be at least ge (the prefix's length when ge"
                                + " is absent)"),
                bad(
                        POLICY,
                        "ge: 24, le: 28",
                        "le: 8",
                        "spec.statements[0].match.prefixes[0].le: le must be at least ge (the prefix's length when ge"
                                + " is absent)"),
                bad(
                        POLICY,
                        "communities: [\"65000:7\"]",
                        "communities: [\"65536:7\"]",
                        "spec.statements[0].match.communities[0]: '65536:7' does not match " + community()),
                // pools
                bad(
                        POOL,
                        "cidrs: [192.0.2.0/28]",
                        "cidrs: [192.0.2.1/28]",
                        "spec.cidrs: every entry of cidrs must be a CIDR, address/length with the host bits zero (e.g."
                                + " 192.0.2.0/28)"),
                bad(
                        POOL,
                        "cidrs: [192.0.2.0/28]",
                        "cidrs: [192.0.2.0/28, 192.0.2.8/29]",
                        "spec.cidrs: cidrs overlap: an address may be in one entry of a pool only"),
                bad(
                        POOL,
                        "cidrs: [192.0.2.0/28]",
                        "cidrs: [192.0.2.0/28, 192.0.2.0/28]",
                        "spec.cidrs: cidrs overlap: an address may be in one entry of a pool only"),
                bad(POOL, "last: 192.0.2.120", "last: 192.0.2.99", "spec.ranges[0]: first must not be after last"),
                bad(
                        POOL,
                        "last: 192.0.2.120",
                        "last: 2001:db8::1",
                        "spec.ranges[0]: first and last must be of the same address family"),
                bad(
                        POOL,
                        "first: 192.0.2.100",
                        "first: 192.0.2.300",
                        "spec.ranges[0].first: first must be an IPv4 or IPv6 address"),
                bad(
                        POOL,
                        "  cidrs: [192.0.2.0/28]\n  ranges: [{first: 192.0.2.100, last: 192.0.2.120}]\n",
                        "  cidrs: []\n",
                        "spec: a pool needs at least one entry in cidrs or ranges"),
                // EgressIdentity
                bad(
                        IDENTITY,
                        "destinations: [10.20.0.0/16]",
                        "destinations: [10.20.0.0]",
                        "spec.destinations: every entry of destinations must be a CIDR, address/length with the host"
                                + " bits zero (e.g. 10.20.0.0/16)"),
                bad(
                        IDENTITY,
                        "destinations: [10.20.0.0/16]",
                        "destinations: [\"2001:db8::/32\"]",
                        "spec.destinations: destinations must hold a CIDR of requestedSourceIp's address family: a"
                                + " source translates traffic of its own family only"),
                bad(
                        IDENTITY,
                        "requestedSourceIp: 198.51.100.1",
                        "requestedSourceIp: 198.51.100.1%eth0",
                        "spec.requestedSourceIp: requestedSourceIp must be an IPv4 or IPv6 address"),
                // LegacyService
                bad(
                        LEGACY,
                        "name: mainframe,",
                        "name: 3270-gw,",
                        "metadata.name must be a DNS-1035 label (lower-case letters, digits and '-', starting with a"
                                + " letter, at most 63 characters): it names the Service the LegacyService becomes"),
                bad(
                        LEGACY,
                        "  prefixes: [{prefix: 10.50.0.0/16, le: 24}]\n",
                        "",
                        "spec: select by at least one prefix or community: an empty selection would take every route"),
                bad(
                        LEGACY,
                        "addresses: [10.50.1.5, 10.50.1.6]",
                        "addresses: [10.50.1.0/24]",
                        "spec.addresses: every entry of addresses must be an IPv4 or IPv6 host address, without prefix"
                                + " length"),
                bad(
                        LEGACY,
                        "addresses: [10.50.1.5, 10.50.1.6]",
                        "addresses: [\"2001:db8::1\", \"2001:DB8:0::1\"]",
                        "spec.addresses: addresses lists an address twice"),
                bad(
                        LEGACY,
                        "addresses: [10.50.1.5, 10.50.1.6]",
                        "addresses: [10.50.1.5, 10.60.1.6]",
                        "spec.addresses: every address must be inside some entry of prefixes: no selected route can"
                                + " cover one outside them"),
                bad(
                        LEGACY,
                        "ports: [{name: tn3270, port: 3270}]",
                        "ports: [{port: 3270}, {port: 23}]",
                        "spec.ports: every port needs a name when there is more than one"),
                bad(
                        LEGACY,
                        "ports: [{name: tn3270, port: 3270}]",
                        "ports: [{name: tn, port: 3270}, {name: tn, port: 23}]",
                        "spec.ports: port names must be unique"),
                bad(
                        LEGACY,
                        "ports: [{name: tn3270, port: 3270}]",
                        "ports: [{name: \"3270\", port: 3270}]",
                        "spec.ports[0].name: a port name is an IANA service name: at least one letter, no '--'"),
                // MeshCluster
                bad(
                        CLUSTER,
                        "kafka-0.west.example:9093",
                        "kafka-0.west.example:9093,kafka-1.west.example:70000",
                        "spec.kafka.bootstrapServers: every bootstrap server's port must be 1..65535"),
                // MeshServiceExport
                bad(
                        EXPORT,
                        "requestedVip: 192.0.2.10",
                        "requestedVip: 192.0.2.10/32",
                        "spec.legacy.requestedVip: requestedVip must be an IPv4 or IPv6 address"),
                bad(EXPORT, "ports: [http]", "ports: [http, http]", "spec.ports: ports lists a port name twice"));
    }

    private static Arguments bad(String base, String from, String to, String violation) {
        assertThat(base).as("the base object holds the text to replace").contains(from);
        String kind = base.lines()
                .filter(l -> l.startsWith("kind: "))
                .findFirst()
                .orElseThrow()
                .substring(6);
        return Arguments.of(
                kind + ": " + (to.isBlank() ? "without " + from.strip() : to.strip()),
                base.replace(from, to),
                violation);
    }

    private static String community() {
        return io.meshgw.operator.crd.Crds.COMMUNITY;
    }

    @Test
    void everyRuleCompilesAndHasAMessage() {
        var rules = CRDS.stream().flatMap(c -> c.rules().stream()).toList();
        assertThat(rules).hasSizeGreaterThan(30);
        assertThat(rules)
                .allSatisfy(r -> assertThat(r.rule().getMessage()).as(r.path()).isNotBlank());
    }

    @Test
    void theBaseObjectsPassEveryRule() {
        for (String object : List.of(PEER, POLICY, POOL, IDENTITY, LEGACY, CLUSTER, EXPORT)) {
            assertThat(violations(object)).as(object).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badObjects")
    void aBadObjectIsRefusedByItsRule(String name, String object, String violation) {
        if (violation == null) {
            assertThat(violations(object)).isEmpty();
        } else {
            assertThat(violations(object)).containsExactly(violation);
        }
    }

    @Test
    void aRuleThatDoesNotCompileIsRefusedNamingTheCrdAndTheField() {
        var crd = Crds.freshBgpPeer();
        var timers = Crds.specProperty(crd, "timers");
        timers.getXKubernetesValidations()
                .add(new ValidationRuleBuilder()
                        .withRule("self.holdTimeSeconds >")
                        .withMessage("m")
                        .build());
        assertThatThrownBy(() -> new CrdSchemaValidator(crd))
                .isInstanceOf(SchemaRules.InvalidRuleException.class)
                .hasMessageContaining("bgppeers.meshgw.io v1alpha1: the rule at spec.timers")
                .hasMessageContaining("does not compile");

        timers.getXKubernetesValidations().removeLast();
        timers.getXKubernetesValidations()
                .add(new ValidationRuleBuilder()
                        .withRule("self.holdTime >= 0")
                        .withMessage("m")
                        .build());
        assertThatThrownBy(() -> new CrdSchemaValidator(crd))
                .isInstanceOf(SchemaRules.InvalidRuleException.class)
                .hasMessageContaining("spec.timers")
                .hasMessageContaining("reads self.holdTime, which the schema does not declare");

        timers.getXKubernetesValidations().removeLast();
        timers.getXKubernetesValidations()
                .add(new ValidationRuleBuilder().withRule("true").build());
        assertThatThrownBy(() -> new CrdSchemaValidator(crd)).hasMessageContaining("has no message");
    }

    private static List<String> violations(String yaml) {
        var doc = StrictModel.documents(yaml).getFirst();
        var crd = CRDS.stream().filter(c -> c.defines(doc)).findFirst().orElseThrow();
        return crd.validate(doc).stream().map(Object::toString).toList();
    }
}
