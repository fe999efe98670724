package io.meshgw.gateway.cli;

import static io.meshgw.gateway.cli.HumanFormat.count;
import static io.meshgw.gateway.cli.HumanFormat.yesNo;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshgw.gateway.cli.Table.Column;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code meshgw clusters}: the mesh as this gateway reads it from Kafka. */
@Command(
        name = "clusters",
        description = "Mesh clusters: synced, available, last heartbeat, lag, records applied and rejected.")
final class ClustersCommand implements Callable<Integer> {

    static final String PATH = "/api/v1/mesh/clusters";

    /** One element of GET /api/v1/mesh/clusters. */
    record Cluster(
            int id,
            String name,
            boolean synced,
            boolean available,
            Long lastHeartbeatAgeMs,
            long lag,
            long recordsApplied,
            long recordsRejected,
            int services,
            int endpoints) {}

    @ParentCommand
    Meshgw meshgw;

    @Override
    public Integer call() {
        JsonNode body = meshgw.get(PATH);
        if (meshgw.jsonOutput()) {
            meshgw.printJson(body);
        } else {
            meshgw.printTable(table(meshgw.list(body, Cluster.class, PATH)), "no clusters in the mesh yet");
        }
        return ExitCode.OK.code;
    }

    static Table table(List<Cluster> clusters) {
        Table t = new Table(
                Column.right("ID"),
                Column.left("NAME", 32),
                Column.left("SYNCED"),
                Column.left("AVAILABLE"),
                Column.right("HEARTBEAT"),
                Column.right("LAG"),
                Column.right("APPLIED"),
                Column.right("REJECTED"),
                Column.right("SERVICES"),
                Column.right("ENDPOINTS"));
        clusters.stream()
                .sorted(Comparator.comparingInt(Cluster::id))
                .forEach(c -> t.row(
                        Integer.toString(c.id()),
                        c.name(),
                        yesNo(c.synced()),
                        yesNo(c.available()),
                        c.lastHeartbeatAgeMs() == null
                                ? "never"
                                : HumanFormat.durationMillis(c.lastHeartbeatAgeMs()) + " ago",
                        count(c.lag()),
                        count(c.recordsApplied()),
                        count(c.recordsRejected()),
                        count(c.services()),
                        count(c.endpoints())));
        return t;
    }
}
