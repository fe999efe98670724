package io.meshgw.mesh.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.types.ClusterId;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StateKeyTest {

    @Test
    void everyKindFormatsAndParsesBack() {
        for (StateKey key : new StateKey[] {
            new ServiceKey("default", "web"),
            new EndpointSliceKey("default", "web", "web-abc12.x"),
            new GatewayKey("node-1.example"),
            MetaKey.HEARTBEAT,
            MetaKey.SYNCED
        }) {
            assertThat(StateKey.parse(key.format())).isEqualTo(new ParsedKey.Valid(key));
        }
        assertThat(new EndpointSliceKey("a", "b", "c").format()).isEqualTo("eps/a/b/c");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|key is empty",
                "svc/default|needs 3 '/'-separated parts (svc/<namespace>/<name>), has 2",
                "svc/default/web/x|needs 3 '/'-separated parts",
                "eps/default/web|needs 4 '/'-separated parts (eps/<namespace>/<service>/<slice>)",
                "gw/|node name is empty",
                "legacy/mainframe|has unknown kind 'legacy'; expected one of svc, eps, gw, meta",
                "svc/Default/web|namespace 'Default' is not a DNS-1123 label",
                "svc/default/-web|service name '-web' is not a DNS-1123 label",
                "eps/a/b/c..d|slice name 'c..d' is not a DNS-1123 subdomain",
                "meta/whatever|is not a known meta key; expected meta/heartbeat or meta/synced",
                "pods/a/b|has unknown kind 'pods'; expected one of svc, eps, gw, meta",
            })
    void badKeysSayWhatIsWrong(String text, String reason) {
        ParsedKey parsed = StateKey.parse(text);
        assertThat(parsed).isInstanceOf(ParsedKey.Invalid.class);
        assertThat(((ParsedKey.Invalid) parsed).reason()).contains(reason);
    }

    @Test
    void overlongNamesAndControlCharactersAreRejectedOnOneLine() {
        ParsedKey p = StateKey.parse("svc/" + "a".repeat(64) + "/web");
        assertThat(((ParsedKey.Invalid) p).reason()).contains("64 characters; at most 63");
        ParsedKey ctl = StateKey.parse("svc/de\nfault/web");
        assertThat(((ParsedKey.Invalid) ctl).reason()).doesNotContain("\n").contains("de?fault");
        ParsedKey huge = StateKey.parse("x".repeat(10_000));
        assertThat(((ParsedKey.Invalid) huge).reason()).contains("at most 600").hasSizeLessThan(200);
    }

    @Test
    void ofThrowsWithTheReason() {
        assertThatThrownBy(() -> StateKey.of("svc/x")).hasMessageContaining("needs 3");
        assertThat(StateKey.of("gw/n1")).isEqualTo(new GatewayKey("n1"));
    }

    /** Property: parse never throws, and whatever parses formats back to the same text. */
    @Test
    void randomTextNeverThrowsAndValidKeysRoundTrip() {
        Random random = new Random(42);
        String alphabet = "svcepgwlamt/-.a0Z \u00e9\u0000";
        int valid = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder(
                    switch (random.nextInt(5)) {
                        case 0 -> "svc/";
                        case 1 -> "eps/";
                        case 2 -> "gw/";
                        case 3 -> "meta/";
                        default -> "";
                    });
            for (int n = random.nextInt(14); n > 0; n--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = b.toString();
            if (StateKey.parse(text) instanceof ParsedKey.Valid v) {
                valid++;
                assertThat(v.key().format()).isEqualTo(text);
            }
        }
        assertThat(valid).as("the generator reaches valid keys too").isPositive();
    }

    @Test
    void clusterIdsAreBoundedAndNamed() {
        assertThat(new ClusterId(4095, "eu-1")).hasToString("eu-1(4095)");
        assertThat(ClusterId.unnamed(7).name()).isEqualTo("cluster-7");
        assertThatThrownBy(() -> new ClusterId(0, "a")).hasMessageContaining("outside 1..4095");
        assertThatThrownBy(() -> new ClusterId(4096, "a")).hasMessageContaining("outside 1..4095");
        assertThatThrownBy(() -> new ClusterId(1, "EU")).hasMessageContaining("not a DNS-1123 label");
    }

    @Test
    void valuesCheckTheirOwnInvariants() {
        assertThatThrownBy(() -> new ServicePort("", Protocol.TCP, 0)).hasMessageContaining("outside 1..65535");
        assertThatThrownBy(() -> new SyncedMarker(0, 0)).hasMessageContaining("epoch >= 1");
    }
}
