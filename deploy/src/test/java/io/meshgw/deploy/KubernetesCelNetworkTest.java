package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Kubernetes IP and CIDR functions behave as the API server's (Go netip parsing, Kubernetes' refusals). */
class KubernetesCelNetworkTest {

    @ParameterizedTest(name = "isIP(''{0}'') == {1}")
    @CsvSource({
        "192.0.2.1, true",
        "0.0.0.0, true",
        "255.255.255.255, true",
        "192.0.2.01, false", // leading zero: netip refuses it
        "192.0.2.256, false",
        "192.0.2, false",
        "192.0.2.1.5, false",
        "192.0.2.1/32, false",
        "2001:db8::1, true",
        "2001:DB8:0:0:0:0:0:1, true",
        "::, true",
        "::1, true",
        "1::, true",
        "::1.2.3.4, true",
        "64:ff9b::192.0.2.1, true",
        "::ffff:192.0.2.1, false", // IPv4-mapped: Kubernetes refuses it
        "fe80::1%eth0, false", // zone: Kubernetes refuses it
        "1:2:3:4:5:6:7:8, true",
        "1:2:3:4:5:6:7:8:9, false",
        "1:2:3:4:5:6:7::8, false", // :: standing for no field
        "1::2::3, false",
        "12345::1, false",
        "1:2:3:4:5:6:1.2.3.4, true",
        "1:2:3:4:5:1.2.3.4, false",
        "'', false",
        "example.com, false",
    })
    void isIp(String text, boolean valid) throws Exception {
        assertThat(eval("isIP(s)", text)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "isCIDR(''{0}'') == {1}")
    @CsvSource({
        "10.0.0.0/8, true",
        "10.0.0.1/8, true", // host bits may be set; rules compare with masked()
        "0.0.0.0/0, true",
        "10.0.0.0/33, false",
        "10.0.0.0/08, false",
        "10.0.0.0/+8, false",
        "10.0.0.0/, false",
        "10.0.0.0, false",
        "2001:db8::/32, true",
        "2001:db8::/129, false",
        "::ffff:10.0.0.0/104, false",
    })
    void isCidr(String text, boolean valid) throws Exception {
        assertThat(eval("isCIDR(s)", text)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "cidr('10.1.0.0/16').containsIP('10.1.255.255') | true",
                "cidr('10.1.0.0/16').containsIP(ip('10.2.0.0')) | false",
                "cidr('10.1.0.1/16').containsIP('10.1.9.9') | true",
                "cidr('::/0').containsIP('10.1.9.9') | false",
                "cidr('10.1.0.1/16').masked() == cidr('10.1.0.0/16') | true",
                "cidr('10.1.0.1/16') == cidr('10.1.0.1/16').masked() | false",
                "cidr('2001:db8::/32').prefixLength() == 32 | true",
                "cidr('2001:db8::/32').ip().family() == 6 | true",
                "ip('2001:db8::1') == ip('2001:DB8:0::1') | true",
                "ip('192.0.2.1').family() == 4 | true",
            })
    void functions(String expression, boolean expected) throws Exception {
        assertThat(eval(expression, "")).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"ip(s), 10.0.0.1/8", "cidr(s), 10.0.0.1"})
    void conversionOfBadTextIsAnError(String expression, String text) {
        assertThatThrownBy(() -> eval(expression, text))
                .isInstanceOf(CelEvaluationException.class)
                .hasMessageContaining(text);
    }

    private static Object eval(String expression, String s) throws Exception {
        var ast = CelCompilerFactory.standardCelCompilerBuilder()
                .addVar("s", SimpleType.STRING)
                .addFunctionDeclarations(KubernetesCelNetwork.declarations())
                .build()
                .compile(expression)
                .getAst();
        return CelRuntimeFactory.standardCelRuntimeBuilder()
                .addFunctionBindings(KubernetesCelNetwork.bindings())
                .build()
                .createProgram(ast)
                .eval(Map.of("s", s));
    }
}
