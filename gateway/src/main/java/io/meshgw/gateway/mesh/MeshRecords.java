package io.meshgw.gateway.mesh;

import io.meshgw.mesh.state.Endpoint;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.GatewayAddress;
import io.meshgw.mesh.state.LegacyVip;
import io.meshgw.mesh.state.ServiceExport;
import io.meshgw.mesh.state.StateKey;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.view.ClusterView;
import io.meshgw.mesh.view.MeshSnapshot;
import io.meshgw.operator.plan.Backend;
import io.meshgw.operator.plan.ExportedService;
import io.meshgw.operator.plan.GatewayNodes;
import io.meshgw.operator.plan.PortTranslation;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.types.IpAddress;
import io.meshgw.types.Ipv4Address;
import io.meshgw.types.ServicePort;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Between the plan and mesh-sync's records, both ways, as pure functions. One export becomes a ServiceExport and one
 * EndpointSlice per exported port (the slice carries the port's target port, as Kubernetes EndpointSlices do); the
 * other clusters' records become the typed {@link RemoteExport}s a pass takes as input.
 */
final class MeshRecords {

    private MeshRecords() {}

    /** Slice names: one per exported port, named after it. */
    static String sliceName(ServicePort port) {
        return "gw-" + (port.name().isEmpty() ? String.valueOf(port.port()) : port.name());
    }

    static List<StateValue> values(ExportedService e, int cluster) {
        List<StateValue> out = new ArrayList<>();
        List<ServicePort> ports = e.ports().stream().map(PortTranslation::port).toList();
        Optional<LegacyVip> vip = e.vip().isEmpty() || e.ports().isEmpty()
                ? Optional.empty()
                : Optional.of(new LegacyVip(
                        e.vip().get().toInetAddress(),
                        e.ports().getFirst().port().port()));
        out.add(new ServiceExport(e.service().namespace(), e.service().name(), ports, Map.of(), vip, e.exportedAt()));
        for (PortTranslation p : e.ports()) {
            Map<Integer, List<Endpoint>> byTarget = new LinkedHashMap<>();
            for (Backend b : p.backends()) {
                byTarget.computeIfAbsent(b.port(), k -> new ArrayList<>())
                        .add(Endpoint.ready(b.address().toInetAddress()));
            }
            // One slice per port; a port whose backends listen on different target ports (rare) is published with
            // the most common one only.
            int target = byTarget.entrySet().stream()
                    .max((a, b) ->
                            Integer.compare(a.getValue().size(), b.getValue().size()))
                    .map(Map.Entry::getKey)
                    .orElse(p.port().port());
            out.add(new EndpointSlice(
                    e.service().namespace(),
                    e.service().name(),
                    sliceName(p.port()),
                    cluster,
                    List.of(new ServicePort(p.port().name(), p.port().protocol(), target)),
                    byTarget.getOrDefault(target, List.of())));
        }
        return out;
    }

    /**
     * The exports of one available cluster, with the ready endpoints of each exported port. An
     * endpoint that is not ready (or serving but terminating) takes no new flows, so it is not here.
     */
    static List<RemoteExport> remoteExports(ClusterView c) {
        List<RemoteExport> out = new ArrayList<>();
        {
            Map<io.meshgw.mesh.state.ServiceKey, List<EndpointSlice>> slices = new LinkedHashMap<>();
            c.activeSlices()
                    .values()
                    .forEach(s -> slices.computeIfAbsent(
                                    new io.meshgw.mesh.state.ServiceKey(s.namespace(), s.service()),
                                    k -> new ArrayList<>())
                            .add(s));
            for (ServiceExport e : c.services().values()) {
                List<RemoteExport.RemoteEndpoints> endpoints = new ArrayList<>();
                for (EndpointSlice s : slices.getOrDefault(e.key(), List.of())) {
                    for (ServicePort sp : s.ports()) {
                        endpoints.add(new RemoteExport.RemoteEndpoints(
                                sp.name(), sp.protocol(), sp.port(), readyAddresses(s)));
                    }
                }
                out.add(new RemoteExport(
                        c.cluster(), new ObjectKey(e.namespace(), e.name()), e.exportedAt(), e.ports(), endpoints));
            }
        }
        return out;
    }

    /** This gateway's record: the node it runs on and its tunnel endpoint, which the other clusters tunnel to. */
    static GatewayAddress gateway(String node, Inet4Address tunnelEndpoint) {
        return new GatewayAddress(node, List.of(tunnelEndpoint));
    }

    /**
     * The gateway records the Lease holder publishes: its own ({@code own}, from its configuration, under its node's
     * name) and one for each other gateway node of the cluster that names a tunnel endpoint on its Node ({@code
     * nodes}) and is {@link GatewayNodes#publishedEndpoints published}, so the other clusters accept what any of them
     * tunnels, and tunnel to a live one: a node the node controller lost, or whose gateway's Pod no longer runs there,
     * is taken out of what they choose from.
     */
    static List<StateValue> gateways(List<StateValue> own, Optional<String> ownNode, GatewayNodes nodes) {
        List<StateValue> out = new ArrayList<>(own);
        nodes.publishedEndpoints().forEach((node, endpoint) -> {
            if (!ownNode.equals(Optional.of(node)) && endpoint instanceof Ipv4Address v4) {
                out.add(gateway(node, v4.toInetAddress()));
            }
        });
        return List.copyOf(out);
    }

    /** What a plan changed in the records: values to write and keys to delete. */
    record Records(List<StateValue> puts, List<StateKey> removes) {}

    /** The records to write and the keys to delete to go from {@code before} to {@code after}. */
    static Records change(List<StateValue> before, List<StateValue> after) {
        Map<StateKey, StateValue> old = new HashMap<>();
        before.forEach(v -> old.put(v.key(), v));
        List<StateValue> puts = new ArrayList<>();
        for (StateValue v : after) {
            if (!v.equals(old.remove(v.key()))) {
                puts.add(v);
            }
        }
        return new Records(puts, List.copyOf(old.keySet()));
    }

    /**
     * The tunnel endpoints of every other cluster the snapshot still holds, by cluster id, the one to send to first
     * (its gateway records in node name order): every one of them is accepted as the source of tunnelled packets,
     * since each of that cluster's gateway nodes tunnels the flows it translates. An unavailable cluster (its
     * heartbeats late) keeps its endpoints until its records are forgotten. Its gateway may well still forward (a
     * process killed or restarting leaves its pinned datapath translating), and the flows it tunnels here, and their
     * replies, must not be dropped for a silence the mesh has not given up on.
     */
    static Map<Integer, List<Inet4Address>> tunnelEndpoints(MeshSnapshot snapshot, int self) {
        Map<Integer, List<Inet4Address>> out = new HashMap<>();
        for (ClusterView c : snapshot.clusters().values()) {
            if (c.cluster().id() != self) {
                List<Inet4Address> endpoints = tunnelEndpoints(c);
                if (!endpoints.isEmpty()) {
                    out.put(c.cluster().id(), endpoints);
                }
            }
        }
        return out;
    }

    static List<Inet4Address> tunnelEndpoints(ClusterView c) {
        return c.gateways().values().stream()
                .sorted(Comparator.comparing(GatewayAddress::node))
                .flatMap(g -> g.addresses().stream())
                .filter(a -> a instanceof Inet4Address)
                .map(a -> (Inet4Address) a)
                .distinct()
                .toList();
    }

    private static List<IpAddress> readyAddresses(EndpointSlice slice) {
        Set<IpAddress> out = new LinkedHashSet<>();
        for (Endpoint ep : slice.endpoints()) {
            if (ep.ready()) {
                for (InetAddress a : ep.addresses()) {
                    out.add(IpAddress.of(a));
                }
            }
        }
        return List.copyOf(out);
    }
}
