package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.Service;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.model.AddressPool;
import io.meshgw.operator.model.IpAddresses;
import io.meshgw.operator.port.Announcement;
import io.meshgw.operator.port.ExportedService;
import io.meshgw.operator.port.PortTranslation;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.operator.port.ServiceTranslation;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * MeshServiceExports to exports, ingress translations and VIP announcements. An export is applied only when it is
 * valid, its VIP is assigned, its Service and ports exist and it does not lose an MCS conflict; its VIP is announced
 * only while some cluster of the mesh has a ready backend.
 */
final class ExportPlanner {
    static final String POOL_KIND = "LegacyVipPool";

    private ExportPlanner() {}

    /** The VIP claims of the exports that want legacy exposure. */
    static List<AddressClaim> claims(Snapshot snapshot) {
        return live(snapshot).stream()
                .filter(e -> e.getSpec() != null && e.getSpec().legacy != null)
                .map(e -> new AddressClaim(
                        Metadata.ref(e),
                        Metadata.createdAt(e),
                        e.getSpec().legacy.poolRef,
                        e.getSpec().legacy.requestedVip,
                        true,
                        e.getStatus() == null ? null : e.getStatus().assignedVip))
                .toList();
    }

    static void plan(
            Snapshot snapshot, Map<ResourceRef, Allocation> vips, PoolPlanner.Plan pools, DesiredState.Builder out) {
        for (var export : live(snapshot)) {
            out.outcome(plan(export, snapshot, vips.get(Metadata.ref(export)), pools, out));
        }
    }

    private static ObjectOutcome plan(
            MeshServiceExport export,
            Snapshot snapshot,
            Allocation allocation,
            PoolPlanner.Plan pools,
            DesiredState.Builder out) {
        var outcome = new OutcomeBuilder(export);
        var spec = export.getSpec();
        if (spec == null) return outcome.invalid("spec: is required");
        var duplicates = duplicatePorts(spec.ports);
        if (!duplicates.isEmpty()) return outcome.invalid("spec.ports: listed more than once: " + duplicates);

        String vip = null;
        String vipPool = null;
        if (allocation instanceof Allocation.Rejected(String reason, String message, boolean conflict, String kept)) {
            return outcome.vip(kept).failed(reason, message, conflict);
        } else if (allocation instanceof Allocation.Assigned(String address, String pool)) {
            vip = address;
            vipPool = pool;
            outcome.vip(vip);
        }

        var service = service(snapshot, export);
        if (service.isEmpty()) {
            return outcome.failed("ServiceNotFound", "Service " + Metadata.key(export) + " does not exist", false);
        }
        if ("ExternalName".equals(service.get().getSpec().getType())) {
            return outcome.failed(
                    "UnsupportedServiceType", "an ExternalName Service has no endpoints to export", false);
        }
        var selection = ServiceBackends.select(service.get(), snapshot.endpointSlices(), spec.ports);
        if (!selection.missing().isEmpty()) {
            return outcome.failed("PortNotFound", "the Service has no port named " + selection.missing(), false);
        }
        var ports = selection.ports();
        var remotes = snapshot.remoteExports().stream()
                .filter(r -> r.service().equals(Metadata.key(export)))
                .toList();
        var lost = ExportConflicts.resolve(
                snapshot.localCluster(),
                Metadata.createdAt(export),
                ports.stream().map(PortTranslation::port).toList(),
                remotes);
        if (lost.isPresent()) return outcome.failed("PortConflict", lost.get().message(), true);

        var exported = new ExportedService(Metadata.key(export), Metadata.createdAt(export), ports, vip);
        out.export(exported);
        var readyBackends = new TreeMap<String, Integer>();
        readyBackends.put(snapshot.localCluster(), exported.readyBackends());
        remotes.forEach(r -> readyBackends.merge(r.cluster(), r.readyBackends(), Integer::sum));
        int meshReady =
                readyBackends.values().stream().mapToInt(Integer::intValue).sum();
        outcome.backends(readyBackends);

        boolean announced = false;
        if (vip != null) {
            out.translation(new ServiceTranslation(Metadata.key(export), vip, ports));
            var pool = pools.spec(AddressPool.Kind.LegacyVipPool, vipPool);
            if (meshReady > 0 && !Boolean.FALSE.equals(pool.announce)) {
                var address = IpAddresses.parse(vip).orElseThrow();
                out.announce(new Announcement(IpAddresses.hostPrefix(address), pool.communities, Metadata.ref(export)));
                announced = true;
            }
        }
        String exportedText =
                "exported " + ports.stream().map(p -> p.port().toString()).toList() + " to the mesh"
                        + (vip == null ? "" : "; legacy VIP " + vip + (announced ? " announced" : " not announced"));
        var degraded = meshReady == 0
                ? ConditionState.degraded(true, "NoReadyBackends", "no cluster of the mesh has a ready backend")
                : ConditionState.degraded(
                        false,
                        "ReadyBackends",
                        meshReady + " ready backends in "
                                + readyBackends.values().stream()
                                        .filter(n -> n > 0)
                                        .count() + " clusters");
        return outcome.applied(exportedText, degraded);
    }

    private static List<MeshServiceExport> live(Snapshot snapshot) {
        return snapshot.exports().stream()
                .filter(e -> !Metadata.deleting(e))
                .sorted(Metadata.BY_AGE)
                .toList();
    }

    private static Optional<Service> service(Snapshot snapshot, MeshServiceExport export) {
        return snapshot.services().stream()
                .filter(s -> Metadata.key(s).equals(Metadata.key(export)))
                .findFirst();
    }

    private static List<String> duplicatePorts(List<String> ports) {
        var seen = new HashSet<String>();
        return ports.stream().filter(p -> !seen.add(p)).distinct().collect(Collectors.toList());
    }

    /** Accumulates the status fields while the steps run, and builds the outcome of the step that ended them. */
    private static final class OutcomeBuilder {
        private final MeshServiceExport export;
        private String vip;
        private Map<String, Integer> backends = Map.of();

        OutcomeBuilder(MeshServiceExport export) {
            this.export = export;
        }

        OutcomeBuilder vip(String assigned) {
            this.vip = assigned;
            return this;
        }

        void backends(Map<String, Integer> readyBackends) {
            this.backends = readyBackends;
        }

        ObjectOutcome invalid(String message) {
            return build(
                    ConditionState.ready(false, "Invalid", message),
                    ConditionState.unknown(ConditionState.CONFLICT, "not evaluated: the export is invalid"),
                    ConditionState.unknown(ConditionState.DEGRADED, "not applied"));
        }

        ObjectOutcome failed(String reason, String message, boolean conflict) {
            return build(
                    ConditionState.ready(false, reason, message),
                    conflict
                            ? ConditionState.conflict(true, reason, message)
                            : ConditionState.conflict(false, "NoConflict", "no conflict found so far"),
                    ConditionState.unknown(ConditionState.DEGRADED, "not applied"));
        }

        ObjectOutcome applied(String message, ConditionState degraded) {
            return build(
                    ConditionState.ready(true, "Exported", message),
                    ConditionState.conflict(false, "NoConflict", "no conflicting export in the mesh"),
                    degraded);
        }

        private ObjectOutcome build(ConditionState... conditions) {
            return new ObjectOutcome(
                    Metadata.ref(export),
                    Metadata.generation(export),
                    List.of(conditions),
                    new StatusFields.Export(vip, backends));
        }
    }
}
