package io.meshgw.gateway.cli;

import static io.meshgw.gateway.cli.HumanFormat.count;
import static io.meshgw.gateway.cli.HumanFormat.yesNo;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshgw.gateway.cli.Table.Column;
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

    /** One element of GET /api/v1/services. */
    record Service(
            String namespace,
            String name,
            String vip,
            List<Port> ports,
            boolean announced,
            int localBackends,
            Map<String, Long> remoteBackends,
            boolean ready,
            String reason) {}

    record Port(String name, int port, String protocol) {}

    @ParentCommand
    Meshgw meshgw;

    @Override
    public Integer call() {
        JsonNode body = meshgw.get(PATH);
        if (meshgw.jsonOutput()) {
            meshgw.printJson(body);
        } else {
            meshgw.printTable(table(meshgw.list(body, Service.class, PATH)), "no services in the mesh");
        }
        return ExitCode.OK.code;
    }

    static Table table(List<Service> services) {
        Table t = new Table(
                Column.left("NAMESPACE", 30),
                Column.left("NAME", 40),
                Column.left("VIP"),
                Column.left("PORTS", 40),
                Column.left("ANNOUNCED"),
                Column.right("LOCAL"),
                Column.left("REMOTE", 40),
                Column.left("READY"),
                Column.left("REASON", 60));
        services.stream()
                .sorted(Comparator.comparing((Service s) -> String.valueOf(s.namespace()))
                        .thenComparing(s -> String.valueOf(s.name())))
                .forEach(s -> t.row(
                        s.namespace(),
                        s.name(),
                        s.vip(),
                        ports(s.ports()),
                        yesNo(s.announced()),
                        count(s.localBackends()),
                        remote(s.remoteBackends()),
                        yesNo(s.ready()),
                        s.reason()));
        return t;
    }

    /** "http:80/TCP,9090/UDP": like kubectl's PORT(S), with the port's name when it has one. */
    private static String ports(List<Port> ports) {
        if (ports == null) {
            return "";
        }
        return ports.stream()
                .map(p ->
                        (p.name() == null || p.name().isBlank() ? "" : p.name() + ":") + p.port() + "/" + p.protocol())
                .collect(Collectors.joining(","));
    }

    /** "east=2 west=1", clusters by name; clusters without backends are left out. */
    private static String remote(Map<String, Long> byCluster) {
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
