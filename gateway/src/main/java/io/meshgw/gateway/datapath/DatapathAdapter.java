package io.meshgw.gateway.datapath;

import io.meshgw.bpf.datapath.EgressTranslation;
import io.meshgw.bpf.datapath.IdentityPrefix;
import io.meshgw.bpf.datapath.PolicyRule;
import io.meshgw.bpf.datapath.ServiceTranslation;
import io.meshgw.bpf.datapath.SteeringTable;
import io.meshgw.bpf.datapath.TableChange;
import io.meshgw.bpf.datapath.TranslationTable;
import io.meshgw.bpf.datapath.TunnelTable;
import io.meshgw.bpf.datapath.Verdict;
import io.meshgw.gateway.GatewayConfig;
import io.meshgw.gateway.mesh.MeshService;
import io.meshgw.operator.plan.ChunkedMap;
import io.meshgw.operator.plan.EgressRule;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.Translation;
import io.meshgw.operator.port.DatapathTarget;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpFamily;
import io.meshgw.types.Ipv4Address;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The tc datapath as a target of the plan. Each pass maps the plan's translations and egress rules to the
 * datapath's vocabulary, and the datapath writes its difference from what the kernel's maps hold: the one diff.
 *
 * <p>After a pass it applied, the adapter hands over only what the next plan changed: the two plans' translation maps
 * share every chunk that did not change ({@link ChunkedMap}), so finding the change costs its size, and the datapath
 * computes its writes from the change alone ({@link TableChange}). The whole table goes instead on the first pass,
 * after a failed one, and whenever the datapath asks for it (see {@link io.meshgw.bpf.datapath.Datapath}).
 *
 * <p>Each pass also hands over the tunnels ({@link Tunnels}): this gateway's endpoint and the ones the other clusters
 * publish, read from the mesh view the pass's remote backends come from, before the translations that may use them.
 */
@ApplicationScoped
public class DatapathAdapter implements DatapathTarget {

    private static final Logger LOG = Logger.getLogger(DatapathAdapter.class);

    /**
     * The families whose VIPs the tc programs translate (DNAT with conntrack, reverse NAT, ICMP errors): both. The
     * capability the control plane plans with ({@link io.meshgw.operator.plan.Capabilities}) comes from here alone.
     */
    static final Set<IpFamily> TRANSLATED_FAMILIES = Set.of(IpFamily.IPV4, IpFamily.IPV6);

    /**
     * The families of egress addresses the tc programs SNAT to: IPv4 only (identities are IPv4 prefixes). An IPv6
     * egress address is planned SourceNotTranslated and never announced, since the routers would send its replies to
     * a gateway that cannot translate them.
     */
    static final Set<IpFamily> EGRESS_FAMILIES = Set.of(IpFamily.IPV4);

    private final DatapathTables datapath;
    private final Supplier<Tunnels.Planned> tunnels;
    /** The tunnels last applied; null when unknown. */
    private TunnelTable appliedTunnels;
    /** The backends marked as reached through their node in the translations last applied. */
    private Set<Inet4Address> appliedViaNode = Set.of();

    /** The steering last applied; null when unknown. */
    private SteeringTable appliedSteering;

    private List<String> tunnelWarnings = List.of();
    /** The translations of the last plan applied, and their mapping; null when unknown (then the whole table goes). */
    private Map<ObjectKey, Translation> applied;

    private final Map<ObjectKey, List<ServiceTranslation>> servicesOf = new HashMap<>();
    private Map<EgressRule, Egress> egressOf = new IdentityHashMap<>();

    @Inject
    DatapathAdapter(DatapathService datapath, MeshService mesh, GatewayConfig config) {
        this(datapath, tunnelsFrom(mesh, Tunnels.endpoint(config.datapath().tunnelEndpoint())));
    }

    /** @param datapath where each pass's table or change goes; no tunnels */
    public DatapathAdapter(DatapathTables datapath) {
        this(datapath, () -> new Tunnels.Planned(TunnelTable.NONE, List.of()));
    }

    DatapathAdapter(DatapathTables datapath, Supplier<Tunnels.Planned> tunnels) {
        this.datapath = datapath;
        this.tunnels = tunnels;
    }

    private static Supplier<Tunnels.Planned> tunnelsFrom(
            MeshService mesh, java.util.Optional<java.net.Inet4Address> local) {
        return () -> Tunnels.plan(local, mesh.tunnelEndpoints());
    }

    /** The address families whose VIPs the datapath translates; see {@link #TRANSLATED_FAMILIES}. */
    public Set<IpFamily> translatedFamilies() {
        return TRANSLATED_FAMILIES;
    }

    /** The address families of egress addresses the datapath SNATs to; see {@link #EGRESS_FAMILIES}. */
    public Set<IpFamily> egressFamilies() {
        return EGRESS_FAMILIES;
    }

    private record Egress(EgressTranslation translation, List<IdentityPrefix> identities, List<PolicyRule> policies) {}

    @Override
    public synchronized void apply(Plan plan) {
        Optional<Inet4Address> local = applyTunnels();
        TranslationTable others = others(plan);
        SteeringTable steering = steering(plan, local);
        // An identity served elsewhere is steered before its rule is written, and translated here again only after:
        // no moment in which this node translates an address it does not serve, or lets its pods' packets through.
        // A backend's node is written (and accepted) before the backend is marked to look it up, and the mark
        // taken off before the node goes: a marked backend without a node is routed plainly, never dropped.
        applySteering(withOwnersOf(steering, appliedSteering));
        applyTranslations(plan, others, steering.backendNodes().keySet());
        applySteering(steering);
    }

    private void applyTranslations(Plan plan, TranslationTable others, Set<Inet4Address> viaNode) {
        // A backend whose mark changes changes every service of its: those are mapped again, the others stay.
        Set<ObjectKey> remarked = remarked(viaNode);
        Map<ObjectKey, Translation> before = applied;
        applied = null; // unknown until this pass is applied
        appliedViaNode = viaNode;
        if (before != null && applyChange(before, plan.translations(), others, viaNode, remarked)) {
            applied = plan.translations();
            return;
        }
        Map<ObjectKey, List<ServiceTranslation>> mapped = new HashMap<>();
        List<ServiceTranslation> services = new ArrayList<>();
        plan.translations().forEach((key, t) -> {
            List<ServiceTranslation> m = servicesOf.get(key);
            if (m == null || before == null || before.get(key) != t || remarked.contains(key)) {
                m = TableMapping.services(t, viaNode);
            }
            mapped.put(key, m);
            services.addAll(m);
        });
        datapath.apply(others.withServices(services));
        servicesOf.clear();
        servicesOf.putAll(mapped);
        applied = plan.translations();
    }

    /** The services mapped last with a local backend whose mark {@code viaNode} changes. */
    private Set<ObjectKey> remarked(Set<Inet4Address> viaNode) {
        if (viaNode.equals(appliedViaNode)) {
            return Set.of();
        }
        Set<ObjectKey> keys = new HashSet<>();
        servicesOf.forEach((key, mapped) -> {
            for (ServiceTranslation svc : mapped) {
                if (svc.backends().stream()
                        .anyMatch(b -> b.local()
                                && b.address() instanceof Inet4Address v4
                                && viaNode.contains(v4) != appliedViaNode.contains(v4))) {
                    keys.add(key);
                    return;
                }
            }
        });
        return keys;
    }

    /**
     * The steering between this cluster's nodes, from the gateways' tunnel endpoints and the Nodes' addresses ({@link
     * Plan#gateways}): every other gateway node's endpoint, and every other Node's InternalIP (where the node role on an
     * ordinary node steers from), is accepted as the source of steered packets (the Lease holder's from the nodes that
     * do not serve egress, a node's from the holder's replies). Where the plan does not {@link Plan#servesEgress
     * serve egress}, every identity is steered to the holder's endpoint, or, while it is unknown (or this node has no
     * endpoint to steer from), its pods' packets are dropped rather than sent with the pods' own addresses. The
     * flows of a backend on an ordinary node whose node role is ready go to that node in IPIP ({@link
     * io.meshgw.operator.plan.GatewayNodes#backendNodes}), which needs this node's endpoint as their outer source.
     */
    public static SteeringTable steering(Plan plan, Optional<Inet4Address> local) {
        Set<Inet4Address> nodes = new HashSet<>();
        local.ifPresent(self -> java.util.stream.Stream.concat(
                        plan.gateways().endpoints().values().stream(), plan.gateways().nodeAddresses().stream())
                .map(DatapathAdapter::ipv4)
                .flatMap(Optional::stream)
                .filter(a -> !a.equals(self))
                .forEach(nodes::add));
        Map<Inet4Address, Inet4Address> backends = new HashMap<>();
        local.ifPresent(self -> plan.gateways()
                .backendNodes()
                .forEach((backend, node) -> ipv4(backend)
                        .ifPresent(b -> ipv4(node).filter(n -> !n.equals(self)).ifPresent(n -> backends.put(b, n)))));
        if (plan.servesEgress() || plan.egressRules().isEmpty()) {
            return nodes.isEmpty() && backends.isEmpty()
                    ? SteeringTable.NONE
                    : new SteeringTable(nodes, Map.of(), backends);
        }
        // An owner at this node's own endpoint is the Lease seen before this replica knows it leads: not steered
        // to itself, dropped for the moment. Without an endpoint of its own the node cannot steer at all.
        Optional<Inet4Address> owner = local.flatMap(self ->
                plan.gateways().egressOwner().flatMap(DatapathAdapter::ipv4).filter(a -> !a.equals(self)));
        Map<Integer, Optional<Inet4Address>> elsewhere = new HashMap<>();
        plan.egressRules().values().forEach(r -> elsewhere.put(r.identity(), owner));
        return new SteeringTable(nodes, elsewhere, backends);
    }

    /** The address as the datapath takes it; empty for IPv6. */
    static Optional<Inet4Address> ipv4(IpAddress a) {
        return a instanceof Ipv4Address v4 ? Optional.of(v4.toInetAddress()) : Optional.empty();
    }

    /** {@code next} with the identities {@code last} steered and {@code next} does not, still steered as before. */
    private static SteeringTable withOwnersOf(SteeringTable next, SteeringTable last) {
        if (last == null
                || next.ownedElsewhere()
                        .keySet()
                        .containsAll(last.ownedElsewhere().keySet())) {
            return next;
        }
        Map<Integer, Optional<Inet4Address>> both = new HashMap<>(last.ownedElsewhere());
        both.putAll(next.ownedElsewhere());
        return new SteeringTable(next.nodes(), both, next.backendNodes());
    }

    private void applySteering(SteeringTable steering) {
        if (steering.equals(appliedSteering)) {
            return;
        }
        appliedSteering = null; // unknown until applied
        datapath.apply(steering);
        appliedSteering = steering;
    }

    /** Tunnels first: a remote cluster's backends the plan adds are tunnelled from their first packet. */
    private Optional<Inet4Address> applyTunnels() {
        Tunnels.Planned planned = tunnels.get();
        if (!planned.warnings().equals(tunnelWarnings)) {
            planned.warnings().forEach(LOG::warn);
            tunnelWarnings = planned.warnings();
        }
        if (!planned.table().equals(appliedTunnels)) {
            appliedTunnels = null; // unknown until applied
            datapath.apply(planned.table());
            appliedTunnels = planned.table();
        }
        return planned.table().local();
    }

    /** Hands over what changed since {@code before}; false when the datapath needs the whole table instead. */
    private boolean applyChange(
            Map<ObjectKey, Translation> before,
            Map<ObjectKey, Translation> next,
            TranslationTable others,
            Set<Inet4Address> viaNode,
            Set<ObjectKey> remarked) {
        List<ServiceTranslation> removed = new ArrayList<>();
        List<ServiceTranslation> put = new ArrayList<>();
        Map<ObjectKey, List<ServiceTranslation>> changed = new HashMap<>();
        ChunkedMap.diff(before, next, (key, was, now) -> {
            if (was != null) {
                removed.addAll(servicesOf.getOrDefault(key, List.of()));
            }
            List<ServiceTranslation> m = now == null ? null : TableMapping.services(now, viaNode);
            if (m != null) {
                put.addAll(m);
            }
            changed.put(key, m);
        });
        for (ObjectKey key : remarked) {
            Translation now = next.get(key);
            if (now != null && !changed.containsKey(key)) {
                List<ServiceTranslation> m = TableMapping.services(now, viaNode);
                removed.addAll(servicesOf.getOrDefault(key, List.of()));
                put.addAll(m);
                changed.put(key, m);
            }
        }
        if (!datapath.apply(new TableChange(removed, put, others))) {
            return false;
        }
        changed.forEach((key, m) -> {
            if (m == null) {
                servicesOf.remove(key);
            } else {
                servicesOf.put(key, m);
            }
        });
        return true;
    }

    /** Everything but the services: the egress rules' identities, translations and policies. */
    private TranslationTable others(Plan plan) {
        Map<EgressRule, Egress> nextEgress =
                new IdentityHashMap<>(plan.egressRules().size());
        List<EgressTranslation> egress = new ArrayList<>();
        List<IdentityPrefix> identities = new ArrayList<>();
        List<PolicyRule> policies = new ArrayList<>();
        for (EgressRule r : plan.egressRules().values()) {
            Egress mapped = egressOf.get(r);
            if (mapped == null) {
                mapped = new Egress(TableMapping.egress(r), TableMapping.identities(r), TableMapping.policies(r));
            }
            nextEgress.put(r, mapped);
            egress.add(mapped.translation());
            identities.addAll(mapped.identities());
            policies.addAll(mapped.policies());
        }
        egressOf = nextEgress;
        return new TranslationTable(List.of(), identities, egress, policies, Verdict.ALLOW, Verdict.ALLOW);
    }
}
