package io.meshgw.testkit.routers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenbgpdRouterTest {

    private static final Path DIR = Path.of("/tmp/meshgw-obgp");
    private static final RouterSpec SPEC =
            RouterSpec.of("dc4", "192.0.2.4", 65004, List.of(BgpNeighbor.of("172.16.1.2", 65000)), List.of());

    @Test
    void theInstanceHasItsOwnControlSocketAndLeavesTheKernelAlone() {
        assertThat(OpenbgpdRouter.config(SPEC, DIR))
                .startsWith("AS 65004\nrouter-id 192.0.2.4\n")
                .contains("socket \"/tmp/meshgw-obgp/bgpd.sock\"\n")
                .contains("fib-update no\n")
                .contains("neighbor 172.16.1.2 {\n\tremote-as 65000\n}\n");
    }

    @Test
    void everyRouteIsAllowedBothWaysBecauseOpenbgpdDeniesByDefault() {
        assertThat(OpenbgpdRouter.config(SPEC, DIR)).endsWith("allow from any\nallow to any\n");
    }

    @Test
    void originatedPrefixesCarryTheirTags() {
        var spec = RouterSpec.of("dc4", "192.0.2.4", 65004, SPEC.neighbors(), List.of("10.78.1.0/24", "2001:db8::/48"))
                .withTags(new RouterSpec.RouteTags(List.of("65004:1"), List.of("65004:1:2"), 7));
        assertThat(OpenbgpdRouter.config(spec, DIR))
                .contains("network 10.78.1.0/24 set { community 65004:1 large-community 65004:1:2 med 7 }\n")
                .contains("network 2001:db8::/48 set {");
    }

    @Test
    void aRouteServerRoleIsSpelledRsAndStrictModeIsEnforce() {
        var spec = RouterSpec.of(
                "dc4",
                "192.0.2.4",
                65004,
                List.of(
                        BgpNeighbor.of("172.16.1.2", 65000).withRole("provider", false),
                        BgpNeighbor.of("172.16.1.6", 65002).withRole("rs-server", true),
                        BgpNeighbor.of("172.16.1.10", 65003).withPassword("s3cret")),
                List.of());
        assertThat(OpenbgpdRouter.config(spec, DIR))
                .contains("\tannounce policy provider\n")
                .contains("\tannounce policy rs enforce\n")
                .contains("\ttcp md5sig password \"s3cret\"\n");
    }

    @Test
    void aForwardingRouterIsRefusedBecausePortableOpenbgpdCannotInstallRoutes() {
        assertThatThrownBy(() -> OpenbgpdRouter.config(SPEC.withKernelRoutes(), DIR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot install routes");
    }
}
