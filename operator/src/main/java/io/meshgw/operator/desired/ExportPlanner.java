package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.Service;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.model.AddressPool;
import io.meshgw.operator.plan.Announcement;
import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.ExportedService;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.PortTranslation;
import io.meshgw.operator.plan.StatusFields;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.ClusterId;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpFamily;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * MeshServiceExports to mesh exports, ingress translations and VIP announcements. An export is published only when
 * it is valid, its VIP (if it wants one) is assigned, its Service and ports exist and it does not lose an MCS
 * conflict. Its VIP is translated only where the datapath can translate it, to the local and remote backends of the
 * VIP's family ({@link TranslationBackends}), and announced only while that translation has a backend. What the
 * engines cannot do is said in status: a VIP that is not translated is not Ready.
 */
final class ExportPlanner {
    static final String POOL_KIND = "LegacyVipPool";

    private ExportPlanner() {}

    /** The VIP claims of the exports that want legacy exposure. */
    static List<AddressClaim> claims(ExportInputs inputs) {
        var out = new ArrayList<AddressClaim>();
        for (var e : inputs.live()) {
            claim(e, inputs).ifPresent(out::add);
        }
        return out;
    }

    /** The VIP claim of one live export; empty when it does not want legacy exposure. */
    static Optional<AddressClaim> claim(MeshServiceExport e, ExportInputs inputs) {
        return claim(e, inputs.createdAt(e), families(inputs.service(Metadata.key(e))));
    }

    /**
     * The VIP claim of an export created at {@code createdAt} of a Service of {@code families}; empty when it does not
     * want legacy exposure.
     */
    static Optional<AddressClaim> claim(MeshServiceExport e, Instant createdAt, List<IpFamily> families) {
        if (e.getSpec() == null || e.getSpec().legacy == null) return Optional.empty();
        return Optional.of(new AddressClaim(
                Metadata.ref(e),
                createdAt,
                Optional.ofNullable(e.getSpec().legacy.poolRef),
                Optional.ofNullable(e.getSpec().legacy.requestedVip),
                true,
                e.getStatus() == null ? Optional.empty() : IpAddress.tryParse(e.getStatus().assignedVip),
                families));
    }

    /**
     * The families of a Service's cluster IPs ({@code spec.ipFamilies}, primary first), which its VIP is preferably
     * of: its backends are of those. Empty when the Service or the field is missing.
     */
    static List<IpFamily> families(Optional<Service> service) {
        return service
                .map(Service::getSpec)
                .map(io.fabric8.kubernetes.api.model.ServiceSpec::getIpFamilies)
                .orElse(List.of())
                .stream()
                .map(f -> switch (f) {
                    case "IPv4" -> Optional.of(IpFamily.IPV4);
                    case "IPv6" -> Optional.of(IpFamily.IPV6);
                    default -> Optional.<IpFamily>empty();
                })
                .flatMap(Optional::stream)
                .distinct()
                .toList();
    }

    /**
     * Plans the exports of these Services again (those whose inputs may have changed), and the rest keep what the
     * last pass decided: an export that reads the same objects as then is not planned again.
     */
    static void plan(
            Snapshot snapshot,
            ExportInputs inputs,
            Collection<ObjectKey> keys,
            Map<ResourceRef, Allocation> vips,
            PoolPlanner.Pools pools,
            ExportResults.Pass pass) {
        for (var key : keys) {
            var live = inputs.live(key);
            if (live.isEmpty()) {
                pass.gone(key);
                continue;
            }
            var export = live.get();
            var allocation = vips.get(Metadata.ref(export));
            var read = new ExportResults.Inputs(
                    export,
                    inputs.service(key).orElse(null),
                    inputs.slices(key),
                    inputs.remotes(key),
                    allocation,
                    allocation instanceof Allocation.Assigned(var address, var pool)
                            ? pools.announcing(AddressPool.Kind.LegacyVipPool, pool)
                            : null,
                    snapshot.capabilities(),
                    snapshot.localCluster());
            if (pass.unchanged(key, read)) {
                continue;
            }
            var recording = new ExportResults.Recording();
            pass.decided(key, read, recording.decision(plan(export, snapshot, inputs, allocation, pools, recording)));
        }
    }

    private static ObjectOutcome plan(
            MeshServiceExport export,
            Snapshot snapshot,
            ExportInputs inputs,
            Allocation allocation,
            PoolPlanner.Pools pools,
            ExportSink out) {
        var outcome = new ExportOutcome(export);
        var spec = export.getSpec();
        if (spec == null) return outcome.invalid("spec: is required");
        var duplicates = duplicatePorts(spec.ports);
        if (!duplicates.isEmpty()) return outcome.invalid("spec.ports: listed more than once: " + duplicates);

        Optional<IpAddress> vip = Optional.empty();
        String vipPool = null;
        if (allocation instanceof Allocation.Rejected(var reason, var message, var conflict, var kept)) {
            return outcome.vip(kept).notApplied(reason, message, conflict);
        } else if (allocation instanceof Allocation.Assigned(var address, var pool)) {
            vip = Optional.of(address);
            vipPool = pool;
            outcome.vip(vip);
        }

        var key = Metadata.key(export);
        var service = inputs.service(key);
        if (service.isEmpty()) {
            return outcome.notApplied("ServiceNotFound", "Service " + key + " does not exist", false);
        }
        if ("ExternalName".equals(service.get().getSpec().getType())) {
            return outcome.notApplied(
                    "UnsupportedServiceType", "an ExternalName Service has no endpoints to export", false);
        }
        var selection = ServiceBackends.select(service.get(), inputs.slices(key), spec.ports, snapshot.localCluster());
        if (!selection.missing().isEmpty()) {
            return outcome.notApplied("PortNotFound", "the Service has no port named " + selection.missing(), false);
        }
        if (!selection.invalid().isEmpty()) {
            return outcome.notApplied("InvalidServicePort", String.join("; ", selection.invalid()), false);
        }

        // mesh-sync's records carry only some protocols: a port it cannot carry is not published at all.
        var capabilities = snapshot.capabilities();
        var published = carried(selection.ports(), capabilities.publishedProtocols());
        var notPublished = notCarried(selection.ports(), capabilities.publishedProtocols());
        if (published.isEmpty()) {
            return outcome.notApplied(
                    "ProtocolNotSupported",
                    "no port can be exported: " + notPublished + " " + (notPublished.size() == 1 ? "is" : "are")
                            + " not carried by the mesh, which carries " + names(capabilities.publishedProtocols())
                            + " only",
                    false);
        }
        var remotes = inputs.remotes(key);
        var lost = ExportConflicts.resolve(
                snapshot.localCluster(),
                inputs.createdAt(export),
                published.stream().map(PortTranslation::port).toList(),
                remotes);
        if (lost.isPresent())
            return outcome.notApplied("PortConflict", lost.get().message(), true);

        // Other clusters see the VIP only where it is served: one the datapath cannot translate reaches no backend.
        var servedVip = vip.filter(a -> capabilities.translatedFamilies().contains(a.family())
                && !carried(published, capabilities.translatedProtocols()).isEmpty());
        var exported = new ExportedService(key, inputs.createdAt(export), published, servedVip);
        out.export(exported);
        outcome.backends(snapshot.localCluster(), exported.readyBackends(), remotes);
        var health = new Health(outcome.meshReady(), outcome.readyClusters());
        if (!notPublished.isEmpty()) {
            health.note(
                    "PortsNotExported",
                    notPublished + " left out: the mesh carries " + names(capabilities.publishedProtocols()) + " only");
        }
        var exportedText = "exported " + ports(published) + " to the mesh";
        if (vip.isEmpty()) return outcome.applied(exportedText, health);

        var address = vip.get();
        if (!capabilities.translatedFamilies().contains(address.family())) {
            return outcome.notTranslated(
                    "VipNotTranslated",
                    "VIP " + address + " is " + address.family() + " and the datapath translates "
                            + families(capabilities) + " only, so the VIP is neither translated nor announced; "
                            + exportedText + " all the same",
                    health);
        }
        var translatable = carried(published, capabilities.translatedProtocols());
        var untranslatable = notCarried(published, capabilities.translatedProtocols());
        if (translatable.isEmpty()) {
            return outcome.notTranslated(
                    "ProtocolNotSupported",
                    "no port of VIP " + address + " can be translated: the datapath translates "
                            + names(capabilities.translatedProtocols()) + " only; " + exportedText + " all the same",
                    health);
        }
        if (!untranslatable.isEmpty()) {
            health.note(
                    "PortsNotTranslated",
                    untranslatable + " not translated: the datapath translates "
                            + names(capabilities.translatedProtocols()) + " only");
        }
        var backends =
                TranslationBackends.of(translatable, remotes, address.family(), capabilities.maxBackendsPerPort());
        out.translation(new PlanBuilder.TranslationDraft(key, address, List.copyOf(backends.ports())));
        for (var capped : backends.capped()) {
            health.note(
                    "BackendsCapped",
                    "port " + capped.port() + " has " + capped.ready() + " ready backends and the datapath holds "
                            + capped.kept() + " per port: the first " + capped.kept() + " are used, local ones first");
        }
        var announcing = pools.announcing(AddressPool.Kind.LegacyVipPool, vipPool);
        boolean announced = backends.anyBackend() && announcing.announce();
        if (announced) {
            out.announce(new Announcement(address.hostPrefix(), announcing.communities(), Metadata.ref(export)));
        }
        if (outcome.meshReady() > 0 && !backends.anyBackend()) {
            health.withdrawn(
                    "NoBackendOfVipFamily",
                    "no ready backend has an " + address.family() + " address like VIP " + address
                            + ", so the VIP is not announced");
        }
        return outcome.applied(
                exportedText + "; legacy VIP " + address + (announced ? " announced" : " not announced"), health);
    }

    private static List<PortTranslation> carried(List<PortTranslation> ports, Set<Protocol> protocols) {
        return ports.stream()
                .filter(p -> protocols.contains(p.port().protocol()))
                .toList();
    }

    private static List<ServicePort> notCarried(List<PortTranslation> ports, Set<Protocol> protocols) {
        return ports.stream()
                .map(PortTranslation::port)
                .filter(p -> !protocols.contains(p.protocol()))
                .toList();
    }

    private static List<ServicePort> ports(List<PortTranslation> ports) {
        return ports.stream().map(PortTranslation::port).toList();
    }

    /** {@code TCP, UDP}: in enum order, so a message does not change from pass to pass. */
    private static String names(Set<Protocol> protocols) {
        return protocols.stream().sorted().map(Protocol::name).collect(Collectors.joining(", "));
    }

    private static String families(Capabilities capabilities) {
        return capabilities.translatedFamilies().stream()
                .sorted()
                .map(Object::toString)
                .collect(Collectors.joining(", "));
    }

    private static List<String> duplicatePorts(List<String> ports) {
        var seen = new HashSet<String>();
        return ports.stream().filter(p -> !seen.add(p)).distinct().toList();
    }

    /**
     * The Degraded condition of a published export: not degraded while every port is carried and backed; otherwise
     * the first problem's reason, with every problem in the message. A problem that keeps the VIP from being
     * announced comes first, since it is the one that matters to the datacenter.
     */
    static final class Health {
        private final int meshReady;
        private final long readyClusters;
        private final List<ConditionState> notAnnounced = new ArrayList<>();
        private final List<ConditionState> partial = new ArrayList<>();

        Health(int meshReady, long readyClusters) {
            this.meshReady = meshReady;
            this.readyClusters = readyClusters;
            if (meshReady == 0) {
                notAnnounced.add(
                        ConditionState.degraded(true, "NoReadyBackends", "no cluster of the mesh has a ready backend"));
            }
        }

        /** A problem that keeps the VIP from being announced. */
        void withdrawn(String reason, String message) {
            notAnnounced.add(ConditionState.degraded(true, reason, message));
        }

        /** A problem of some ports or backends while the rest works. */
        void note(String reason, String message) {
            partial.add(ConditionState.degraded(true, reason, message));
        }

        ConditionState condition() {
            var problems = new ArrayList<>(notAnnounced);
            problems.addAll(partial);
            if (problems.isEmpty()) {
                return ConditionState.degraded(
                        false, "ReadyBackends", meshReady + " ready backends in " + readyClusters + " clusters");
            }
            return ConditionState.degraded(
                    true,
                    problems.getFirst().reason(),
                    problems.stream().map(ConditionState::message).collect(Collectors.joining("; ")));
        }
    }

    /** Accumulates the status fields while the steps run, and builds the outcome of the step that ended them. */
    private static final class ExportOutcome {
        private final MeshServiceExport export;
        private Optional<IpAddress> vip = Optional.empty();
        private Map<ClusterId, Integer> backends = Map.of();

        ExportOutcome(MeshServiceExport export) {
            this.export = export;
        }

        ExportOutcome vip(Optional<IpAddress> assigned) {
            this.vip = assigned;
            return this;
        }

        /** Ready backends by cluster: this cluster's and those of every remote export of the Service. */
        void backends(ClusterId local, int localReady, List<RemoteExport> remotes) {
            var ready = new TreeMap<ClusterId, Integer>((a, b) -> Integer.compare(a.id(), b.id()));
            ready.put(local, localReady);
            remotes.forEach(r -> ready.merge(r.cluster(), r.readyBackends(), Integer::sum));
            this.backends = ready;
        }

        int meshReady() {
            return backends.values().stream().mapToInt(Integer::intValue).sum();
        }

        long readyClusters() {
            return backends.values().stream().filter(n -> n > 0).count();
        }

        ObjectOutcome invalid(String message) {
            return build(ConditionState.invalid(message));
        }

        ObjectOutcome notApplied(String reason, String message, boolean conflict) {
            return build(ConditionState.notApplied(reason, message, conflict));
        }

        /** Published to the mesh, but its VIP is not translated: not Ready, and Degraded says how the export is. */
        ObjectOutcome notTranslated(String reason, String message, Health health) {
            return build(List.of(
                    ConditionState.ready(false, reason, message),
                    ConditionState.conflict(false, "NoConflict", "no conflicting export in the mesh"),
                    health.condition()));
        }

        ObjectOutcome applied(String message, Health health) {
            return build(List.of(
                    ConditionState.ready(true, "Exported", message),
                    ConditionState.conflict(false, "NoConflict", "no conflicting export in the mesh"),
                    health.condition()));
        }

        private ObjectOutcome build(List<ConditionState> conditions) {
            return new ObjectOutcome(
                    Metadata.ref(export),
                    Metadata.generation(export),
                    conditions,
                    new StatusFields.Export(vip, backends));
        }
    }
}
