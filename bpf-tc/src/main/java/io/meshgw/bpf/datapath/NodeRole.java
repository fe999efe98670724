package io.meshgw.bpf.datapath;

import io.meshgw.bpf.Attachment;
import io.meshgw.bpf.LoadedObject;
import io.meshgw.bpf.ObjectSpec;
import io.meshgw.bpf.datapath.MapRecords.CounterValue;
import io.meshgw.bpf.datapath.MapRecords.IdentKey;
import io.meshgw.bpf.datapath.NodeMaps.PodValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node role's datapath (mgw_node.c) on a node that is no gateway: its pods with an EgressIdentity reach the legacy
 * prefixes through the gateway node that owns their identity's egress address. Loads (re-adopting pinned maps and
 * links), applies a desired {@link NodeSteering} as a diff, reads the counters. Closing releases this process's hold;
 * pinned maps and links keep steering.
 */
public final class NodeRole implements AutoCloseable {

    public static final String OBJECT = "mgw_node";
    /** tc egress of the uplink: pods' packets toward legacy prefixes, encapsulated to the owner. */
    public static final String NODE_OUT = "mgw_node_out";
    /** tc ingress of the uplink: the owner's replies, decapsulated. */
    public static final String NODE_IN = "mgw_node_in";

    private static final Logger LOG = LoggerFactory.getLogger(NodeRole.class);

    private final LoadedObject object;
    private final NodeMaps maps;
    private final List<Attachment> attachments;
    private final Optional<Path> pinDir;
    private Map<Integer, PodValue> pods;
    private Map<IdentKey, Integer> destinations;
    private Map<Integer, Integer> gateways;
    private Map<Integer, Integer> local;
    private Optional<Integer> self;

    private NodeRole(LoadedObject object, List<Attachment> attachments, Optional<Path> pinDir) {
        this.object = object;
        this.pinDir = pinDir;
        this.maps = NodeMaps.of(object);
        this.attachments = attachments;
        read();
    }

    /** Loads the node role; with a pin root, maps and links an earlier run pinned are taken over. */
    public static NodeRole open(NodeRoleOptions options) {
        Optional<Path> dir = options.pinRoot().map(r -> r.resolve(Datapath.LAYOUT));
        LoadedObject object;
        try (ObjectSpec spec = ObjectSpec.bundled(OBJECT)) {
            dir.ifPresent(d -> {
                Datapath.createDirectories(d.resolve("links"));
                spec.pinMapsUnder(d);
            });
            object = spec.load();
        }
        List<Attachment> attachments = new ArrayList<>();
        try {
            for (String uplink : options.uplinks()) {
                attachments.add(
                        Datapath.attach(object, NODE_OUT, uplink, Attachment.Direction.EGRESS, options.mode(), dir));
                attachments.add(
                        Datapath.attach(object, NODE_IN, uplink, Attachment.Direction.INGRESS, options.mode(), dir));
            }
            NodeRole role = new NodeRole(object, attachments, dir);
            LOG.info(
                    "node role {} loaded{}; {} pod(s) adopted; {}",
                    Datapath.LAYOUT,
                    dir.map(d -> ", maps pinned under " + d).orElse(""),
                    role.pods.size(),
                    Datapath.describe(attachments));
            return role;
        } catch (RuntimeException e) {
            attachments.forEach(Attachment::close);
            object.close();
            throw e;
        }
    }

    private void read() {
        pods = maps.pods().entries();
        destinations = maps.destinations().entries();
        gateways = maps.gateways().entries();
        local = maps.local().entries();
        self = maps.config().get(0).filter(a -> a != 0);
    }

    /**
     * Makes the maps hold {@code steering}, writing the difference in an order the program never trips over: replies
     * are accepted from a gateway before pods are steered to it, destinations are added last and removed first, a
     * gateway is no longer accepted only once no pod is steered to it, and a pod of this node is accepted as an inner
     * destination before it is steered. When a write fails, the maps are read back so
     * the next call starts from them.
     */
    public synchronized void apply(NodeSteering steering) {
        Optional<Integer> newSelf = steering.self().map(Ipv4::toInt);
        MapDiff<Integer, Integer> gws = MapDiff.of(gateways, steering.gatewayEntries());
        MapDiff<Integer, PodValue> podDiff = MapDiff.of(pods, steering.podEntries());
        MapDiff<IdentKey, Integer> dsts = MapDiff.of(destinations, steering.destinationEntries());
        MapDiff<Integer, Integer> locals = MapDiff.of(local, steering.localEntries());
        try {
            maps.destinations().deleteAll(dsts.removals());
            if (!newSelf.equals(self)) {
                maps.config().put(0, newSelf.orElse(0));
            }
            maps.gateways().putAll(gws.upserts());
            maps.local().putAll(locals.upserts());
            maps.pods().putAll(podDiff.upserts());
            maps.pods().deleteAll(podDiff.removals());
            maps.local().deleteAll(locals.removals());
            maps.gateways().deleteAll(gws.removals());
            maps.destinations().putAll(dsts.upserts());
        } catch (RuntimeException e) {
            read();
            throw e;
        }
        if (!newSelf.equals(self)
                || !podDiff.upserts().isEmpty()
                || !podDiff.removals().isEmpty()) {
            LOG.info(
                    "node role: this node {}, {} pod(s) steered to {} gateway(s), {} legacy prefix(es)",
                    steering.self().map(java.net.Inet4Address::getHostAddress).orElse("without an address"),
                    steering.pods().size(),
                    steering.gatewayEntries().size(),
                    steering.destinations().size());
        }
        pods = steering.podEntries();
        destinations = steering.destinationEntries();
        gateways = steering.gatewayEntries();
        local = steering.localEntries();
        self = newSelf;
    }

    /** The loaded programs and maps (tests and benchmarks run the programs with BPF_PROG_TEST_RUN). */
    public LoadedObject object() {
        return object;
    }

    /** The counters, summed over the CPUs. */
    public Map<NodeCounter, CounterValue> counters() {
        Map<NodeCounter, CounterValue> out = new EnumMap<>(NodeCounter.class);
        for (NodeCounter c : NodeCounter.values()) {
            CounterValue sum = new CounterValue(0, 0);
            for (CounterValue v : maps.counters().get(c.ordinal())) {
                sum = sum.plus(v);
            }
            out.put(c, sum);
        }
        return out;
    }

    /** Detaches the programs (their pinned links go too); the maps stay pinned. */
    public void detach() {
        attachments.forEach(Attachment::detach);
    }

    /**
     * Detaches, then removes the node role's pinned maps (its links' pins go with the detach), so nothing of it stays in
     * the kernel once the process closes its descriptors: for an uninstall, never a restart. Anything else under the
     * layout's directory (a gateway's pins, should both ever share it) is left alone; the directory goes when empty.
     *
     * @return the pins removed after the detach
     */
    public List<Path> detachAndUnpin() {
        detach();
        return pinDir.map(d -> unpin(d.getParent())).orElse(List.of());
    }

    /**
     * Removes whatever a node role left pinned under {@code pinRoot}, without loading it: its links' pins (which takes
     * its programs off the uplinks, once no process holds them) and its maps'. A gateway starting on a node that ran the
     * node role before it became a gateway node calls this, so the node's own packets are not steered by maps nobody
     * updates any more. Other objects' pins are left alone; emptied directories go.
     *
     * @return the pins removed
     */
    public static List<Path> unpin(Path pinRoot) {
        Path dir = pinRoot.resolve(Datapath.LAYOUT);
        Path links = dir.resolve("links");
        List<Path> removed = new ArrayList<>();
        try {
            removed.addAll(
                    deleteMatching(links, name -> name.endsWith("-" + NODE_OUT) || name.endsWith("-" + NODE_IN)));
            removed.addAll(deleteMatching(dir, name -> name.startsWith(OBJECT + "_")));
            for (Path empty : List.of(links, dir)) {
                try {
                    java.nio.file.Files.deleteIfExists(empty);
                } catch (java.nio.file.DirectoryNotEmptyException e) {
                    // another object's pins are there
                }
            }
        } catch (java.io.IOException e) {
            throw new io.meshgw.bpf.BpfException("cannot remove the node role's pins under " + dir + ": " + e);
        }
        return removed;
    }

    private static List<Path> deleteMatching(Path dir, java.util.function.Predicate<String> name)
            throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(dir)) return List.of();
        List<Path> removed = new ArrayList<>();
        try (var entries = java.nio.file.Files.list(dir)) {
            for (Path p : entries.filter(p -> !java.nio.file.Files.isDirectory(p)
                            && name.test(p.getFileName().toString()))
                    .toList()) {
                if (java.nio.file.Files.deleteIfExists(p)) removed.add(p);
            }
        }
        return removed;
    }

    @Override
    public void close() {
        attachments.forEach(Attachment::close);
        object.close();
    }
}
