package io.meshgw.gateway.cli;

import static io.meshgw.gateway.cli.HumanFormat.count;
import static io.meshgw.gateway.cli.HumanFormat.yesNo;

import io.meshgw.gateway.api.v1.MeshClusterView;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code meshgw clusters}: the mesh as this gateway reads it from Kafka. */
@Command(
        name = "clusters",
        description = "Mesh clusters: synced, available, last heartbeat, lag, records applied and rejected.")
final class ClustersCommand implements Callable<Integer> {

    static final String PATH = "/api/v1/mesh/clusters";

    static final Listing<MeshClusterView> LISTING = Listing.of(
                    PATH,
                    MeshClusterView.class,
                    "no clusters in the mesh yet",
                    new TableLayout<MeshClusterView>()
                            .right("ID", c -> Integer.toString(c.clusterId()))
                            .left("NAME", 32, MeshClusterView::name)
                            .left("SYNCED", c -> yesNo(c.synced()))
                            .left("AVAILABLE", c -> yesNo(c.available()))
                            .right("HEARTBEAT", ClustersCommand::heartbeat)
                            .right("LAG", c -> count(c.lag()))
                            .right("APPLIED", c -> count(c.recordsApplied()))
                            .right("REJECTED", c -> count(c.recordsRejected()))
                            .right("SERVICES", c -> count(c.services()))
                            .right("ENDPOINTS", c -> count(c.endpoints())))
            .sortedBy(Comparator.comparingInt(MeshClusterView::clusterId));

    @ParentCommand
    Meshgw meshgw;

    @Override
    public Integer call() {
        meshgw.show(LISTING, "");
        return ExitCode.OK.code;
    }

    private static String heartbeat(MeshClusterView c) {
        return c.lastHeartbeatAgeMs() == null ? "never" : HumanFormat.durationMillis(c.lastHeartbeatAgeMs()) + " ago";
    }
}
