package io.meshgw.testkit.routers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FrrRouterTest {

    private static final RouterSpec SPEC =
            RouterSpec.of("dc2", "192.0.2.2", 65001, List.of(BgpNeighbor.of("172.16.1.2", 65000)), List.of());

    @Test
    void everyFileOfADaemonIsInItsDirectory() {
        assertThat(FrrRouter.daemonCommand("zebra", SPEC, "/tmp/meshgw-frr-abc"))
                .containsExactly(
                        "/usr/lib/frr/zebra",
                        "-d",
                        "-N",
                        "dc2",
                        "-f",
                        "/tmp/meshgw-frr-abc/zebra.conf",
                        "-i",
                        "/tmp/meshgw-frr-abc/zebra.pid",
                        "-z",
                        "/tmp/meshgw-frr-abc/zserv.api",
                        "--vty_socket",
                        "/tmp/meshgw-frr-abc",
                        "--log",
                        "file:/tmp/meshgw-frr-abc/zebra.log");
    }

    @Test
    void bgpdInstallsRoutesOnlyForAForwardingRouter() {
        assertThat(FrrRouter.daemonCommand("bgpd", SPEC, "/d")).endsWith("--no_kernel");
        assertThat(FrrRouter.daemonCommand("bgpd", SPEC.withKernelRoutes(), "/d"))
                .doesNotContain("--no_kernel");
    }

    @Test
    void theConfigNamesEveryNeighborInItsFamily() {
        assertThat(FrrRouter.config(SPEC))
                .contains("router bgp 65001\n bgp router-id 192.0.2.2\n")
                .contains(" neighbor 172.16.1.2 remote-as 65000\n")
                .contains(" address-family ipv4 unicast\n  neighbor 172.16.1.2 activate\n");
    }

    @Test
    void aNeighborsRoleIsItsLocalRoleWithStrictModeWhenAsked() {
        var spec = RouterSpec.of(
                "dc2",
                "192.0.2.2",
                65001,
                List.of(
                        BgpNeighbor.of("172.16.1.2", 65000).withRole("provider", false),
                        BgpNeighbor.of("172.16.1.6", 65002).withRole("rs-server", true)),
                List.of());
        assertThat(FrrRouter.config(spec))
                .contains(" neighbor 172.16.1.2 local-role provider\n")
                .contains(" neighbor 172.16.1.6 local-role rs-server strict-mode\n");
    }
}
