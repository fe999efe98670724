package io.meshgw.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.crd.AddressFamily;
import io.meshgw.operator.crd.BgpPeerSpec;
import io.meshgw.operator.crd.SecretKeyRef;
import io.meshgw.operator.crd.SessionRole;
import java.util.List;
import org.junit.jupiter.api.Test;

class BgpPeerValidatorTest {
    static BgpPeerSpec valid() {
        var spec = new BgpPeerSpec();
        spec.peerAddress = "192.0.2.1";
        spec.peerAsn = 65001L;
        spec.localAsn = 4_200_000_000L;
        spec.localAddress = "192.0.2.10";
        spec.timers = new BgpPeerSpec.Timers();
        spec.timers.holdTimeSeconds = 90;
        var maxPrefix = new BgpPeerSpec.MaxPrefix();
        maxPrefix.family = AddressFamily.IPV4_UNICAST;
        maxPrefix.limit = 1000L;
        maxPrefix.warningPercent = 80;
        spec.maxPrefix.add(maxPrefix);
        spec.passwordSecretRef = new SecretKeyRef("peer-md5", "password");
        return spec;
    }

    @Test
    void acceptsAValidPeer() {
        assertThat(BgpPeerValidator.validate(valid()).messages()).isEmpty();
    }

    @Test
    void aRoleIsForEbgpAndStrictModeNeedsOne() {
        var ibgp = valid();
        ibgp.localAsn = ibgp.peerAsn;
        ibgp.localRole = SessionRole.CUSTOMER;
        assertThat(BgpPeerValidator.validate(ibgp).messages())
                .containsExactly("spec.localRole: is for eBGP sessions (RFC 9234), but peerAsn equals localAsn");

        var strict = valid();
        strict.strictRole = true;
        assertThat(BgpPeerValidator.validate(strict).messages()).containsExactly("spec.strictRole: needs a localRole");

        strict.localRole = SessionRole.CUSTOMER;
        assertThat(BgpPeerValidator.validate(strict).messages()).isEmpty();
    }

    @Test
    void theIpv6NextHopIsAGlobalIpv6AddressAndRfc8950NeedsIpv4() {
        var spec = valid();
        spec.ipv6NextHop = "2001:db8::1";
        spec.extendedNextHop = true;
        assertThat(BgpPeerValidator.validate(spec).messages()).isEmpty();

        spec.ipv6NextHop = "fe80::1";
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly("spec.ipv6NextHop: fe80::1 is not a global IPv6 address (without prefix length)");
        spec.ipv6NextHop = "192.0.2.1";
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly("spec.ipv6NextHop: 192.0.2.1 is not a global IPv6 address (without prefix length)");

        spec.ipv6NextHop = null;
        spec.families = List.of(AddressFamily.IPV6_UNICAST);
        spec.maxPrefix.clear();
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly("spec.extendedNextHop: carries IPv4 routes with IPv6 next hops (RFC 8950), but"
                        + " spec.families [ipv6-unicast] has no ipv4-unicast");
    }

    @Test
    void rejectsInvalidAsns() {
        var spec = valid();
        spec.peerAsn = 0L;
        spec.localAsn = 23456L;
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly(
                        "spec.peerAsn: 0 is not a valid ASN (1..4294967295)",
                        "spec.localAsn: 23456 is AS_TRANS (RFC 6793) and cannot be a peer's ASN");
    }

    @Test
    void rejectsHostNamesAndBadAddresses() {
        var spec = valid();
        spec.peerAddress = "router1.dc.example";
        spec.localAddress = "10.0.0.300";
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly(
                        "spec.peerAddress: 'router1.dc.example' is not an IPv4 or IPv6 address",
                        "spec.localAddress: '10.0.0.300' is not an IPv4 or IPv6 address");
    }

    @Test
    void holdTimeIsZeroOrThreeAndMore() {
        for (int ok : new int[] {0, 3, 90, 65535}) {
            var spec = valid();
            spec.timers.holdTimeSeconds = ok;
            assertThat(BgpPeerValidator.validate(spec).isValid())
                    .as("hold time %d", ok)
                    .isTrue();
        }
        var spec = valid();
        spec.timers.holdTimeSeconds = 2;
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly("spec.timers.holdTimeSeconds: 2 is not a valid hold time (0 or 3..65535 seconds)");
        spec.timers.holdTimeSeconds = 65536;
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly("spec.timers.holdTimeSeconds: 65536 is not a valid hold time (0 or 3..65535 seconds)");
    }

    @Test
    void maxPrefixWarningPercentIsOneToHundred() {
        var spec = valid();
        spec.maxPrefix.getFirst().warningPercent = 100;
        assertThat(BgpPeerValidator.validate(spec).isValid()).isTrue();
        spec.maxPrefix.getFirst().warningPercent = 0;
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly("spec.maxPrefix[0].warningPercent: 0 is not a valid percentage (1..100)");
        spec.maxPrefix.getFirst().warningPercent = 101;
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly("spec.maxPrefix[0].warningPercent: 101 is not a valid percentage (1..100)");
    }

    /** What the schema requires, checked again for files read without a schema in front (standalone mode). */
    @Test
    void fieldsTheSchemaRequiresOrBoundsAreCheckedToo() {
        var spec = valid();
        spec.maxPrefix.getFirst().family = null;
        spec.maxPrefix.getFirst().limit = null;
        spec.timers.keepaliveSeconds = -1;
        spec.timers.connectRetrySeconds = 0;
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly(
                        "spec.timers.keepaliveSeconds: -1 is below the minimum 0",
                        "spec.timers.connectRetrySeconds: 0 is below the minimum 1",
                        "spec.maxPrefix[0].family: is required",
                        "spec.maxPrefix[0].limit: is required");
    }

    @Test
    void theSourceAddressIsOfThePeersFamily() {
        var spec = valid();
        spec.localAddress = "2001:db8::10";
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly(
                        "spec.localAddress: 2001:db8::10 is not of the address family of peerAddress 192.0.2.1");
    }

    @Test
    void gtsmWithMultihopWithoutHopsIsRefusedWithAClearError() {
        var spec = valid();
        spec.gtsm = true;
        spec.multihop = new BgpPeerSpec.Multihop();
        spec.multihop.enabled = true;
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly("spec.multihop.ttl: is required with gtsm: the number of hops to the router, 1..254;"
                        + " GTSM (RFC 5082) sends with TTL 255 and accepts only packets that arrive with TTL 256 - ttl"
                        + " or more");
        spec.multihop.ttl = 255;
        assertThat(BgpPeerValidator.validate(spec).messages())
                .singleElement()
                .asString()
                .startsWith("spec.multihop.ttl: 255 is too many with gtsm");
        spec.multihop.ttl = 2;
        assertThat(BgpPeerValidator.validate(spec).messages()).isEmpty();
        spec.gtsm = false;
        spec.multihop.ttl = null;
        assertThat(BgpPeerValidator.validate(spec).messages())
                .as("multihop alone may cross any number of routers")
                .isEmpty();
        spec.multihop.ttl = 0;
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly("spec.multihop.ttl: 0 is not a valid TTL (1..255)");
    }

    @Test
    void aSendHoldTimeShorterThanTheHoldTimeIsRefused() {
        var spec = valid();
        spec.timers.sendHoldTimeSeconds = 90;
        assertThat(BgpPeerValidator.validate(spec).isValid()).isTrue();
        spec.timers.sendHoldTimeSeconds = 89;
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly("spec.timers.sendHoldTimeSeconds: 89 is below the hold time 90 s");
        spec.timers.holdTimeSeconds = 0;
        spec.timers.sendHoldTimeSeconds = 0;
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly("spec.timers.sendHoldTimeSeconds: 0 is outside 1..65535");
    }

    @Test
    void keepaliveIsAtMostAThirdOfTheHoldTimeAndNoneWithoutOne() {
        var spec = valid();
        spec.timers.keepaliveSeconds = 30;
        assertThat(BgpPeerValidator.validate(spec).isValid()).isTrue();
        spec.timers.keepaliveSeconds = 31;
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly("spec.timers.keepaliveSeconds: 31 is more than a third of the hold time 90 s");
        spec.timers.holdTimeSeconds = null;
        assertThat(BgpPeerValidator.validate(spec).messages())
                .as("the default hold time, 90 s, when unset")
                .containsExactly("spec.timers.keepaliveSeconds: 31 is more than a third of the hold time 90 s");
        spec.timers.holdTimeSeconds = 0;
        spec.timers.keepaliveSeconds = 10;
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly(
                        "spec.timers.keepaliveSeconds: 10 with holdTimeSeconds 0: no keepalives are sent without a"
                                + " hold time");
        spec.timers.keepaliveSeconds = 0;
        assertThat(BgpPeerValidator.validate(spec).isValid()).isTrue();
    }

    @Test
    void aPrefixLimitIsForANegotiatedFamilyAndOnlyOnce() {
        var spec = valid();
        var v6 = new BgpPeerSpec.MaxPrefix();
        v6.family = AddressFamily.IPV6_UNICAST;
        v6.limit = 10L;
        spec.maxPrefix.add(v6);
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly("spec.maxPrefix[1].family: ipv6-unicast is not one of spec.families [ipv4-unicast]");
        var again = new BgpPeerSpec.MaxPrefix();
        again.family = AddressFamily.IPV4_UNICAST;
        again.limit = 10L;
        spec.maxPrefix.set(1, again);
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly("spec.maxPrefix[1].family: a second limit for ipv4-unicast");
    }

    @Test
    void pathAttributeListsNameTypesOnceAndNeverOneRoutesNeed() {
        var spec = valid();
        spec.pathAttributes = new BgpPeerSpec.PathAttributes();
        spec.pathAttributes.relay = List.of(23, 40);
        spec.pathAttributes.discard = List.of(8, 40, 2);
        spec.pathAttributes.treatAsWithdraw = List.of(300);
        assertThat(BgpPeerValidator.validate(spec).messages())
                .containsExactly(
                        "spec.pathAttributes.discard[1]: attribute type 40 is also listed under relay",
                        "spec.pathAttributes.discard[2]: attribute type 2 cannot be dropped: routes need ORIGIN,"
                                + " AS_PATH, NEXT_HOP and the MP_REACH/MP_UNREACH attributes (1, 2, 3, 14, 15)",
                        "spec.pathAttributes.treatAsWithdraw[0]: attribute type 300 is not 1..255");
        spec.pathAttributes.discard = List.of(8);
        spec.pathAttributes.treatAsWithdraw = List.of(28);
        assertThat(BgpPeerValidator.validate(spec).isValid()).isTrue();
    }

    @Test
    void theCrdRulesRefuseDroppingExactlyTheAttributesTheValidatorRefuses() throws Exception {
        String types = BgpPeerValidator.MANDATORY_ATTRIBUTES.stream()
                .sorted()
                .map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(", "));
        for (String field : List.of("discard", "treatAsWithdraw")) {
            var rule = BgpPeerSpec.PathAttributes.class
                    .getField(field)
                    .getAnnotation(io.fabric8.generator.annotation.ValidationRule.class);
            assertThat(rule).as(field).isNotNull();
            assertThat(rule.value()).as(field).contains("!(t in [" + types + "])");
            assertThat(rule.message()).as(field).contains("(" + types + ")");
        }
    }
}
