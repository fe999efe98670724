package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.meshgw.operator.plan.Backend;
import io.meshgw.operator.plan.ExportedService;
import io.meshgw.operator.plan.Translation;
import io.meshgw.types.IpAddress;
import io.meshgw.types.Ipv4Address;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Which local backends the gateways send their flows to in IPIP, and where: those running on an ordinary node whose
 * node role is ready, so that node role returns their replies to the gateway that translated the flow (bpf-tc/DESIGN.md,
 * "The node role's return half").
 */
public final class BackendNodes {

    private BackendNodes() {}

    /**
     * @param slices the cluster's EndpointSlices: each endpoint's {@code nodeName} says where its addresses run
     * @param translations the plan's translations: their local IPv4 backends are looked up
     * @param exports what the plan publishes to the mesh: their local IPv4 backends are looked up too, as another
     *     cluster's gateway tunnels their flows here, a mesh-only export's included (no VIP here translates it)
     * @param nodeRoles the ready node roles' addresses by node name ({@link NodeRolePods#ready})
     * @param gatewayNodes the gateway nodes' names: they run the gateway, not the node role, so their backends are
     *     routed plainly whatever a stray Pod there claims
     * @return node role address by backend address, sorted. An address that endpoints place on two nodes is left out:
     *     which node holds it is not known, and it stays routed plainly
     */
    public static Map<IpAddress, IpAddress> of(
            List<EndpointSlice> slices,
            Collection<Translation> translations,
            Collection<ExportedService> exports,
            Map<String, IpAddress> nodeRoles,
            Set<String> gatewayNodes) {
        Set<IpAddress> local = new HashSet<>();
        Stream.concat(
                        translations.stream().flatMap(t -> t.ports().stream()),
                        exports.stream().flatMap(e -> e.ports().stream()))
                .flatMap(p -> p.backends().stream())
                .filter(Backend::local)
                .map(Backend::address)
                .filter(Ipv4Address.class::isInstance)
                .forEach(local::add);
        if (local.isEmpty() || nodeRoles.isEmpty()) return Map.of();
        Map<IpAddress, String> nodeOf = new HashMap<>();
        Set<IpAddress> placedTwice = new HashSet<>();
        for (EndpointSlice slice : slices) {
            if (slice.getEndpoints() == null) continue;
            for (var endpoint : slice.getEndpoints()) {
                String node = endpoint.getNodeName();
                if (node == null || endpoint.getAddresses() == null) continue;
                for (String text : endpoint.getAddresses()) {
                    IpAddress.tryParse(text).filter(local::contains).ifPresent(a -> {
                        String before = nodeOf.putIfAbsent(a, node);
                        if (before != null && !before.equals(node)) placedTwice.add(a);
                    });
                }
            }
        }
        Map<IpAddress, IpAddress> out = new TreeMap<>();
        nodeOf.forEach((address, node) -> {
            IpAddress role = nodeRoles.get(node);
            if (role != null && !placedTwice.contains(address) && !gatewayNodes.contains(node)) out.put(address, role);
        });
        return out;
    }
}
