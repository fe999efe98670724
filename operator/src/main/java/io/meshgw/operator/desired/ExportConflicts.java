package io.meshgw.operator.desired;

import io.meshgw.operator.port.RemoteExport;
import io.meshgw.types.ClusterId;
import io.meshgw.types.ServicePort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * MCS conflict resolution (KEP-1645): when clusters export the same namespace/name with incompatible ports, the
 * oldest export's ports win; ties go to the lower cluster name so every cluster reaches the same verdict.
 */
final class ExportConflicts {
    private ExportConflicts() {}

    /** Why this cluster's export lost, naming the winner; empty when it wins or agrees with the winner. */
    record Lost(ClusterId winner, String message) {}

    private record Candidate(ClusterId cluster, Instant exportedAt, List<ServicePort> ports, boolean local) {}

    private static final Comparator<Candidate> OLDEST_FIRST = Comparator.comparing(Candidate::exportedAt)
            .thenComparing(c -> c.cluster().name());

    static Optional<Lost> resolve(
            ClusterId localCluster, Instant exportedAt, List<ServicePort> ports, List<RemoteExport> sameName) {
        var candidates = new ArrayList<Candidate>();
        candidates.add(new Candidate(localCluster, exportedAt, ports, true));
        sameName.forEach(r -> candidates.add(new Candidate(r.cluster(), r.exportedAt(), r.ports(), false)));
        var winner = candidates.stream().min(OLDEST_FIRST).orElseThrow();
        if (winner.local()) return Optional.empty();
        var problems = incompatibilities(ports, winner.ports());
        if (problems.isEmpty()) return Optional.empty();
        return Optional.of(new Lost(
                winner.cluster(),
                "ports conflict with the older export of cluster '"
                        + winner.cluster().name() + "', which wins: " + String.join("; ", problems)));
    }

    /** Ports of the same name must agree on number and protocol; other ports may differ (they merge). */
    static List<String> incompatibilities(List<ServicePort> ours, List<ServicePort> theirs) {
        var problems = new ArrayList<String>();
        for (var port : ours) {
            for (var other : theirs) {
                if (port.name().equals(other.name())
                        && (port.port() != other.port() || port.protocol() != other.protocol())) {
                    problems.add("port '" + port.name() + "' is " + port.port() + "/" + port.protocol() + " here but "
                            + other.port() + "/" + other.protocol() + " there");
                }
            }
        }
        return problems;
    }
}
