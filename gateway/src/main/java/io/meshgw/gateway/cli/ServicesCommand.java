package io.meshgw.gateway.cli;

import static io.meshgw.gateway.cli.HumanFormat.count;
import static io.meshgw.gateway.cli.HumanFormat.yesNo;

import io.meshgw.gateway.api.v1.PortView;
import io.meshgw.gateway.api.v1.ServiceView;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code meshgw services}: the exported services, their VIPs and where their backends are. */
@Command(
        name = "services",
        description = "Mesh services: VIP, ports, whether announced, local and remote backends, readiness.")
final class ServicesCommand implements Callable<Integer> {

    static final String PATH = "/api/v1/services";

    static final Listing<ServiceView> LISTING = Listing.of(
                    PATH,
                    ServiceView.class,
                    "no services in the mesh",
                    new TableLayout<ServiceView>()
                            .left("NAMESPACE", 30, ServiceView::namespace)
                            .left("NAME", 40, ServiceView::name)
                            .left("VIP", ServiceView::assignedVip)
                            .left("PORTS", 40, s -> ports(s.ports()))
                            .left("ANNOUNCED", s -> yesNo(s.announced()))
                            .right("LOCAL", s -> count(s.localBackends()))
                            .left("REMOTE", 40, s -> remote(s.remoteBackends()))
                            .left("READY", s -> yesNo(s.ready()))
                            .left("REASON", 60, ServiceView::reason))
            .sortedBy(Comparator.comparing((ServiceView s) -> String.valueOf(s.namespace()))
                    .thenComparing(s -> String.valueOf(s.name())));

    @ParentCommand
    Meshgw meshgw;

    @Override
    public Integer call() {
        meshgw.show(LISTING, "");
        return ExitCode.OK.code;
    }

    /** "http:80/TCP,9090/UDP": like kubectl's PORT(S), with the port's name when it has one. */
    private static String ports(List<PortView> ports) {
        if (ports == null) {
            return "";
        }
        return ports.stream()
                .map(p ->
                        (p.name() == null || p.name().isBlank() ? "" : p.name() + ":") + p.port() + "/" + p.protocol())
                .collect(Collectors.joining(","));
    }

    /** "east=2 west=1", clusters by name; clusters without backends are left out. */
    private static String remote(Map<String, Integer> byCluster) {
        if (byCluster == null) {
            return "";
        }
        return byCluster.entrySet().stream()
                .filter(e -> e.getValue() != null && e.getValue() > 0)
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + count(e.getValue()))
                .collect(Collectors.joining(" "));
    }
}
