package io.meshgw.gateway.datapath;

import io.meshgw.bpf.datapath.Ipv4Prefix;
import io.meshgw.bpf.datapath.MapRecords.CounterValue;
import io.meshgw.bpf.datapath.NodeCounter;
import io.meshgw.bpf.datapath.NodeRole;
import io.meshgw.bpf.datapath.NodeRoleOptions;
import io.meshgw.bpf.datapath.NodeSteering;
import io.meshgw.gateway.GatewayConfig;
import io.meshgw.operator.plan.NodeEgress;
import io.meshgw.operator.port.NodeRoleTarget;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import io.meshgw.types.Ipv4Address;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The node role's datapath in node mode ({@code meshgw.mode=node}): loads and attaches {@link NodeRole} on the node's
 * uplinks and writes each pass's {@link NodeEgress} into its maps. Nothing runs here in the other modes.
 */
@ApplicationScoped
public class NodeRoleService implements NodeRoleTarget {
    private static final Logger LOG = Logger.getLogger(NodeRoleService.class);

    private final GatewayConfig config;
    private final ReleasePresence release;
    private NodeRole role;
    private Inet4Address self;
    private volatile NodeSteering applied = NodeSteering.NONE;
    private volatile boolean passed;
    /** Why what this node steers would not be accepted, when the last pass found a reason; empty otherwise. */
    private volatile Optional<String> problem = Optional.empty();

    NodeRoleService(GatewayConfig config, ReleasePresence release) {
        this.config = config;
        this.release = release;
    }

    /** Loads and attaches the node role (node mode only); refuses a configuration it cannot run with. */
    public synchronized void start() {
        self = address(config.nodeRole());
        role = NodeRole.open(options(config));
        LOG.infof("node role on %s ready", self.getHostAddress());
    }

    /** This node's address, from {@code meshgw.node-role.address}. */
    static Inet4Address address(GatewayConfig.NodeRole nr) {
        String text = nr.address()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .orElseThrow(() -> new IllegalArgumentException("meshgw.node-role.address is required when"
                        + " meshgw.mode=node: this node's IPv4 address, where the gateway node sends the replies"));
        return Tunnels.unicastAddress("meshgw.node-role.address", text, "the gateway nodes reach");
    }

    /** Configuration to node-role options, with messages that name the key at fault. */
    static NodeRoleOptions options(GatewayConfig config) {
        String[] uplinks =
                config.nodeRole().uplinks().map(DatapathService::interfaces).orElse(new String[0]);
        if (uplinks.length == 0) {
            throw new IllegalArgumentException("meshgw.node-role.uplinks is required when meshgw.mode=node: the"
                    + " interface(s) this node's routes toward the datacenter and the gateway nodes leave by,"
                    + " comma-separated");
        }
        NodeRoleOptions o = NodeRoleOptions.detached().withUplinks(uplinks);
        String pinRoot = config.datapath().pinRoot();
        if (!"none".equals(pinRoot)) {
            o = o.withPinRoot(Path.of(pinRoot));
        }
        return o.withMode(DatapathService.attachMode(config.datapath()));
    }

    /** Makes the node role's maps hold {@code egress}. */
    @Override
    public synchronized void apply(NodeEgress egress) {
        NodeSteering steering = steering(egress, self);
        if (role != null) {
            role.apply(steering);
        }
        applied = steering;
        passed = true;
        Optional<String> found = addressProblem(egress, self);
        if (found.isPresent() && !found.equals(problem)) {
            LOG.error(found.get());
        }
        problem = found;
    }

    /**
     * Whether the gateways would refuse what this node steers: they accept IPIP only from the Nodes' InternalIP
     * addresses, so {@code meshgw.node-role.address} must be one of this node's (when its Node names any).
     */
    static Optional<String> addressProblem(NodeEgress egress, Inet4Address self) {
        if (egress.nodeAddresses().isEmpty() || egress.nodeAddresses().contains(Ipv4Address.of(self))) {
            return Optional.empty();
        }
        return Optional.of("meshgw.node-role.address " + self.getHostAddress() + " is not an InternalIP of this node's"
                + " Node ("
                + egress.nodeAddresses().stream()
                        .map(Object::toString)
                        .collect(java.util.stream.Collectors.joining(", "))
                + "): the gateways accept steered packets only from those, so this node's pods' egress would be"
                + " dropped there");
    }

    /** Why the gateways would refuse what this node steers, as the last pass found; empty when nothing is wrong. */
    public Optional<String> problem() {
        return problem;
    }

    /**
     * What the maps hold for {@code egress} on the node at {@code self}: its IPv4 pods and destinations (identities are
     * IPv4: the datapath SNATs to IPv4 egress addresses only). An owner that is this node itself (the node role started
     * on the gateway node that serves egress, which it must not be) steers nowhere: those pods' packets toward the
     * destinations are dropped, not sent on with their own addresses. The gateways' IPIP is decapsulated toward the
     * node's IPv4 pods, from every gateway node of the cluster but this node itself.
     */
    static NodeSteering steering(NodeEgress egress, Inet4Address self) {
        Map<Inet4Address, NodeSteering.Pod> pods = new HashMap<>();
        egress.pods().forEach((address, pod) -> {
            if (address instanceof Ipv4Address v4) {
                Optional<Inet4Address> owner =
                        pod.owner().flatMap(DatapathAdapter::ipv4).filter(o -> !o.equals(self));
                pods.put(v4.toInetAddress(), new NodeSteering.Pod(pod.identity(), owner));
            }
        });
        List<Ipv4Prefix> destinations = egress.destinations().stream()
                .filter(p -> p.address() instanceof Ipv4Address)
                .map(NodeRoleService::prefix)
                .toList();
        return new NodeSteering(
                Optional.of(self),
                pods,
                destinations,
                ipv4(egress.gateways()).filter(g -> !g.equals(self)).collect(Collectors.toSet()),
                ipv4(egress.localPods()).collect(Collectors.toSet()));
    }

    private static java.util.stream.Stream<Inet4Address> ipv4(List<IpAddress> addresses) {
        return addresses.stream().map(DatapathAdapter::ipv4).flatMap(Optional::stream);
    }

    private static Ipv4Prefix prefix(IpPrefix p) {
        return Ipv4Prefix.of(((Ipv4Address) p.address()).toInetAddress(), p.length());
    }

    /** Whether a pass has been applied since the start. */
    public boolean passed() {
        return passed;
    }

    /** What the maps were last told. */
    public NodeSteering applied() {
        return applied;
    }

    /**
     * Where this node steers its pods' egress: the owner's endpoint, "dropped" while there is none to steer to, "none"
     * with no pod to steer.
     */
    public String steeredTo() {
        return applied.pods().values().stream()
                .findFirst()
                .map(p -> p.owner().map(Inet4Address::getHostAddress).orElse("dropped"))
                .orElse("none");
    }

    /** The counters, summed over the CPUs; zero before the start. */
    public synchronized Map<NodeCounter, CounterValue> counters() {
        if (role != null) return role.counters();
        Map<NodeCounter, CounterValue> zero = new EnumMap<>(NodeCounter.class);
        for (NodeCounter c : NodeCounter.values()) zero.put(c, new CounterValue(0, 0));
        return zero;
    }

    void onStop(@Observes ShutdownEvent ev) {
        NodeRole running;
        synchronized (this) {
            running = role;
            role = null;
        }
        if (running == null) return;
        if (release.verdict() == ReleasePresence.Verdict.UNINSTALLING) {
            var removed = running.detachAndUnpin();
            LOG.infof(
                    "the node role's DaemonSet is gone or being deleted (an uninstall): detached and %d pin(s) removed",
                    removed.size());
        } else {
            LOG.info("leaving the node role attached and pinned for the next start");
        }
        running.close();
    }
}
