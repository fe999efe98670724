package io.meshgw.bpf.datapath;

import io.meshgw.bpf.Attachment;
import io.meshgw.bpf.BpfException;
import io.meshgw.bpf.BpfMap;
import io.meshgw.bpf.LoadedObject;
import io.meshgw.bpf.ObjectSpec;
import io.meshgw.bpf.PerCpuArray;
import io.meshgw.bpf.datapath.MapRecords.Backend6Value;
import io.meshgw.bpf.datapath.MapRecords.BackendEntry;
import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.CachedFlow;
import io.meshgw.bpf.datapath.MapRecords.ConfigValue;
import io.meshgw.bpf.datapath.MapRecords.CounterValue;
import io.meshgw.bpf.datapath.MapRecords.Ct6Key;
import io.meshgw.bpf.datapath.MapRecords.Ct6Value;
import io.meshgw.bpf.datapath.MapRecords.CtKey;
import io.meshgw.bpf.datapath.MapRecords.CtValue;
import io.meshgw.bpf.datapath.MapRecords.EgressDstKey;
import io.meshgw.bpf.datapath.MapRecords.FlowCacheSlot;
import io.meshgw.bpf.datapath.MapRecords.FlowCacheSlot6;
import io.meshgw.bpf.datapath.MapRecords.IdentKey;
import io.meshgw.bpf.datapath.MapRecords.L3Entry;
import io.meshgw.bpf.datapath.MapRecords.MaglevValue;
import io.meshgw.bpf.datapath.MapRecords.PolicyKey;
import io.meshgw.bpf.datapath.MapRecords.ReplyKey;
import io.meshgw.bpf.datapath.MapRecords.ReplyValue;
import io.meshgw.bpf.datapath.MapRecords.Rev6Key;
import io.meshgw.bpf.datapath.MapRecords.Rev6Value;
import io.meshgw.bpf.datapath.MapRecords.RevKey;
import io.meshgw.bpf.datapath.MapRecords.RevValue;
import io.meshgw.bpf.datapath.MapRecords.ServiceKey;
import io.meshgw.bpf.datapath.MapRecords.SlotKey;
import io.meshgw.bpf.datapath.MapRecords.SnatValue;
import io.meshgw.bpf.datapath.MapRecords.Svc6Key;
import io.meshgw.bpf.datapath.MapRecords.SvcKey;
import io.meshgw.bpf.datapath.MapRecords.SvcValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The translation datapath as the gateway uses it: load (re-adopting pinned maps and links),
 * apply a desired {@link TranslationTable} as a diff of batched map writes, read counters and
 * conntrack. Closing releases this process's hold; pinned maps and links keep forwarding.
 */
public final class Datapath implements AutoCloseable {

    public static final String OBJECT = "mgw_tc";
    /** The map layout version: part of every map name and of the pin directory. */
    public static final String LAYOUT = "v1";

    public static final String FROM_LEGACY = "mgw_from_legacy";
    public static final String FROM_CLUSTER = "mgw_from_cluster";
    /** tc egress toward the datacenter: ICMP errors the gateway itself sends about translated flows. */
    public static final String TO_LEGACY = "mgw_to_legacy";
    /** On the L3 device the tunnel runs over (WireGuard's): hands the tunnel's packets to a cluster interface. */
    public static final String FROM_L3 = "mgw_from_l3";

    static final String L3_ENTRY_MAP = "mgw_l3in_" + LAYOUT;
    /**
     * The counters map carries its own layout version: v2 made room for counters added later
     * (v1 had exactly as many entries as counters).
     */
    static final String COUNTERS_MAP = "mgw_cnt_v2";
    /** How often an attached datapath deletes expired conntrack entries. */
    public static final Duration CONNTRACK_SWEEP = Duration.ofSeconds(10);
    /** Conntrack of inbound (DNAT) flows. */
    static final String CONNTRACK_MAP = "mgw_ct_" + LAYOUT;
    /** Conntrack of egress (SNAT) flows, apart so that an inbound flood cannot evict them. */
    public static final String EGRESS_CONNTRACK_MAP = "mgw_ct_snat_" + LAYOUT;
    /** Backend tuple -> (VIP, port), for replies of flows another gateway translated. */
    static final String REPLY_MAP = "mgw_rev_" + LAYOUT;
    /** Its IPv6 twin. */
    static final String REPLY6_MAP = "mgw_rev6_" + LAYOUT;

    static final String BACKEND_NODE_MAP = "mgw_bnode_" + LAYOUT;

    private static final Logger LOG = LoggerFactory.getLogger(Datapath.class);

    private final LoadedObject object;
    private final Maps maps;
    private final List<Attachment> attachments;
    private final IdAllocator ids;
    private Thread sweeper;
    private volatile boolean closing;
    private AppliedImage image;
    /** What mgw_tun_v1 (its non-zero slots) and mgw_peer_v1 hold. */
    private Map<Integer, Integer> tunnelSlots;

    private Map<Integer, Integer> tunnelPeers;
    /** What mgw_nodes_v1 and mgw_egown_v1 hold. */
    private Map<Integer, Integer> steeringNodes;

    private Map<Integer, Integer> steeringOwners;

    private Map<Integer, Integer> backendNodes;
    /** Conntrack entries (inbound, egress) the last expiry sweep left; -1 before the first. */
    private volatile long conntrackEntries = -1;

    private volatile long egressConntrackEntries = -1;

    private volatile long conntrack6Entries = -1;
    private final AtomicLong sweepPasses = new AtomicLong();
    private final AtomicLong sweepFailures = new AtomicLong();
    /** System.nanoTime() of the last completed sweep, or of the sweeper's start before the first. */
    private volatile long lastSweepNanos;

    /** The IPv6 twins (mgw_v6.h). */
    private final Ipv6Maps maps6;

    /** The legacy side's possible destinations; absent in builds of the programs from before it. */
    private final Optional<DestinationFilter> destinations;

    /** Backends reached through their node's node role (mgw_bnode_v1); absent in builds from before it. */
    private final Optional<BpfMap<Integer, Integer>> backendNodeMap;

    /** Reply adoption's backend tuples (mgw_rev_v1); absent in builds of the programs from before it. */
    private final Optional<BpfMap<RevKey, RevValue>> replies;
    /** Its IPv6 twin (mgw_rev6_v1); absent in builds of the programs from before it. */
    private final Optional<BpfMap<Rev6Key, Rev6Value>> replies6;

    /** The typed views of the configuration and state maps. */
    record Maps(
            BpfMap<SvcKey, SvcValue> services,
            BpfMap<SlotKey, Integer> slots,
            BpfMap<Integer, MaglevValue> maglev,
            BpfMap<Integer, BackendValue> backends,
            BpfMap<CtKey, CtValue> conntrack,
            BpfMap<CtKey, CtValue> egressConntrack,
            BpfMap<IdentKey, Integer> identities,
            BpfMap<Integer, SnatValue> snat,
            BpfMap<EgressDstKey, Integer> egressDestinations,
            BpfMap<PolicyKey, Integer> policies,
            BpfMap<Integer, ConfigValue> config,
            PerCpuArray<CounterValue> counters,
            PerCpuArray<FlowCacheSlot> flowCache,
            BpfMap<Integer, Integer> tunnels,
            BpfMap<Integer, Integer> peers,
            BpfMap<Integer, Integer> nodes,
            BpfMap<Integer, Integer> egressOwners) {

        static Maps of(LoadedObject o) {
            return new Maps(
                    o.map("mgw_svc_" + LAYOUT, MapCodecs.SVC_KEY, MapCodecs.SVC_VALUE),
                    o.map("mgw_slot_" + LAYOUT, MapCodecs.SLOT_KEY, MapCodecs.U32_VALUE),
                    o.map("mgw_maglev_" + LAYOUT, MapCodecs.U32_VALUE, MapCodecs.MAGLEV),
                    o.map("mgw_be_" + LAYOUT, MapCodecs.U32_VALUE, MapCodecs.BACKEND),
                    o.map(CONNTRACK_MAP, MapCodecs.CT_KEY, MapCodecs.CT_VALUE),
                    o.map(EGRESS_CONNTRACK_MAP, MapCodecs.CT_KEY, MapCodecs.CT_VALUE),
                    o.map("mgw_ident_" + LAYOUT, MapCodecs.IDENT_KEY, MapCodecs.U32_VALUE),
                    o.map("mgw_snat_" + LAYOUT, MapCodecs.U32_VALUE, MapCodecs.SNAT_VALUE),
                    o.map("mgw_egdst_" + LAYOUT, MapCodecs.EGRESS_DST_KEY, MapCodecs.U32_VALUE),
                    o.map("mgw_pol_" + LAYOUT, MapCodecs.POLICY_KEY, MapCodecs.U32_VALUE),
                    o.map("mgw_cfg_" + LAYOUT, MapCodecs.U32_VALUE, MapCodecs.CONFIG),
                    o.perCpuArray(COUNTERS_MAP, MapCodecs.COUNTER),
                    o.perCpuArray("mgw_ctcache_" + LAYOUT, MapCodecs.FLOW_CACHE_SLOT),
                    o.map("mgw_tun_" + LAYOUT, MapCodecs.U32_VALUE, MapCodecs.ADDRESS),
                    o.map("mgw_peer_" + LAYOUT, MapCodecs.ADDRESS, MapCodecs.U32_VALUE),
                    o.map("mgw_nodes_" + LAYOUT, MapCodecs.ADDRESS, MapCodecs.U32_VALUE),
                    o.map("mgw_egown_" + LAYOUT, MapCodecs.U32_VALUE, MapCodecs.ADDRESS));
        }

        List<BpfMap<CtKey, CtValue>> conntracks() {
            return List.of(conntrack, egressConntrack);
        }
    }

    /** Where this layout's maps and links are pinned; empty when nothing is pinned. */
    private Optional<Path> pinDir = Optional.empty();

    private Datapath(LoadedObject object, List<Attachment> attachments) {
        this.object = object;
        this.maps = Maps.of(object);
        this.maps6 = Ipv6Maps.of(object);
        this.attachments = attachments;
        this.ids = new IdAllocator(maps.backends().maxEntries());
        this.backendNodeMap = object.hasMap(BACKEND_NODE_MAP)
                ? Optional.of(object.map(BACKEND_NODE_MAP, MapCodecs.ADDRESS, MapCodecs.ADDRESS))
                : Optional.empty();
        this.replies = object.hasMap(REPLY_MAP)
                ? Optional.of(object.map(REPLY_MAP, MapCodecs.REV_KEY, MapCodecs.REV_VALUE))
                : Optional.empty();
        this.replies6 = object.hasMap(REPLY6_MAP)
                ? Optional.of(object.map(REPLY6_MAP, MapCodecs.REV6_KEY, MapCodecs.REV6_VALUE))
                : Optional.empty();
        MapImage pinned = readImage();
        this.destinations = DestinationFilter.of(object);
        // Programs of this build may already run on maps another process filled (a restart, or an upgrade from
        // programs without the filter): every destination they translate toward is marked before they see it.
        destinations.ifPresent(f -> f.marks()
                .services(pinned.services().keySet())
                .backends(pinned.backends().values())
                .egress(pinned.snat().values())
                .conntrack(maps.conntrack())
                .conntrack(maps.egressConntrack())
                .write());
        ids.adopt(pinned.services(), pinned.backends());
        this.image = AppliedImage.of(pinned);
        readTunnels();
    }

    private void readTunnels() {
        Map<Integer, Integer> slots = new java.util.HashMap<>();
        maps.tunnels().entries().forEach((slot, addr) -> {
            if (addr != 0) {
                slots.put(slot, addr);
            }
        });
        tunnelSlots = slots;
        tunnelPeers = maps.peers().entries();
        steeringNodes = maps.nodes().entries();
        steeringOwners = maps.egressOwners().entries();
        backendNodes = backendNodeMap.map(BpfMap::entries).orElse(Map.of());
    }

    /**
     * Makes the steering maps hold {@code steering}, writing the difference: nodes are accepted before identities or
     * backends' flows are sent to them, an identity this gateway comes to own is translated here (its entry removed)
     * only after the rest is written, and a node is no longer accepted only once no flow is sent to it. When a write fails, the maps are read back so the next call starts from them.
     */
    public synchronized void applySteering(SteeringTable steering) {
        MapDiff<Integer, Integer> nodes = MapDiff.of(steeringNodes, steering.nodeEntries());
        MapDiff<Integer, Integer> owners = MapDiff.of(steeringOwners, steering.ownerEntries());
        MapDiff<Integer, Integer> backends = MapDiff.of(backendNodes, steering.backendNodeEntries());
        if (backendNodeMap.isEmpty() && !steering.backendNodes().isEmpty()) {
            throw new BpfException(
                    "these programs have no " + BACKEND_NODE_MAP + ": they cannot send a backend's flows to its node");
        }
        try {
            maps.nodes().putAll(nodes.upserts());
            backendNodeMap.ifPresent(m -> m.putAll(backends.upserts()));
            maps.egressOwners().putAll(owners.upserts());
            maps.egressOwners().deleteAll(owners.removals());
            backendNodeMap.ifPresent(m -> m.deleteAll(backends.removals()));
            maps.nodes().deleteAll(nodes.removals());
        } catch (RuntimeException e) {
            readTunnels();
            throw e;
        }
        if (!owners.upserts().isEmpty() || !owners.removals().isEmpty()) {
            LOG.info(
                    "egress steering: {} node(s) accepted; identities owned elsewhere {}",
                    steering.nodes().size(),
                    steering.ownedElsewhere());
        }
        if (!backends.upserts().isEmpty() || !backends.removals().isEmpty()) {
            LOG.info(
                    "{} backend(s) reached through their node's node role",
                    steering.backendNodes().size());
        }
        steeringNodes = steering.nodeEntries();
        steeringOwners = steering.ownerEntries();
        backendNodes = steering.backendNodeEntries();
    }

    /**
     * Makes the tunnel maps hold {@code tunnels}, writing the difference: peers are accepted before anything is sent
     * to them, and an endpoint is no longer used before it is no longer accepted. When a write fails, the maps are
     * read back so the next call starts from them.
     */
    public synchronized void applyTunnels(TunnelTable tunnels) {
        MapDiff<Integer, Integer> peers = MapDiff.of(tunnelPeers, tunnels.peers());
        MapDiff<Integer, Integer> slots = MapDiff.of(tunnelSlots, tunnels.slots());
        try {
            maps.peers().putAll(peers.upserts());
            maps.tunnels().putAll(slots.upserts());
            Map<Integer, Integer> zero = new java.util.HashMap<>();
            slots.removals().forEach(slot -> zero.put(slot, 0));
            maps.tunnels().putAll(zero);
            maps.peers().deleteAll(peers.removals());
        } catch (RuntimeException e) {
            readTunnels();
            throw e;
        }
        if (!peers.upserts().isEmpty()
                || !peers.removals().isEmpty()
                || !slots.upserts().isEmpty()
                || !slots.removals().isEmpty()) {
            LOG.info(
                    "tunnels: this gateway's endpoint {}, peers {}",
                    tunnels.local().map(java.net.Inet4Address::getHostAddress).orElse("none"),
                    tunnels.local().isEmpty() ? "none" : tunnels.remotes());
        }
        tunnelSlots = tunnels.slots();
        tunnelPeers = tunnels.peers();
    }

    /** Loads the datapath; with a pin root, maps and links an earlier run pinned are taken over. */
    public static Datapath open(DatapathOptions options) {
        return open(options, OBJECT);
    }

    /** With another build of the programs (tests: the checksum-helper build). */
    static Datapath open(DatapathOptions options, String objectName) {
        return open(options, ObjectSpec.bundled(objectName));
    }

    /**
     * With a build of the programs from elsewhere, which must have this layout's maps: benchmarks run an earlier
     * revision's object beside this one in the same process.
     */
    public static Datapath open(DatapathOptions options, String objectName, byte[] elf) {
        return open(options, ObjectSpec.of(objectName, elf));
    }

    private static Datapath open(DatapathOptions options, ObjectSpec objectSpec) {
        Optional<Path> dir = options.pinRoot().map(r -> r.resolve(LAYOUT));
        LoadedObject object;
        try (ObjectSpec spec = objectSpec) {
            options.maxEntries().forEach(spec::maxEntries);
            dir.ifPresent(d -> {
                createDirectories(d.resolve("links"));
                spec.pinMapsUnder(d);
            });
            // Conntrack of another size (meshgw.datapath.conntrack-entries changed) is replaced, not a crash loop
            // while the old programs keep forwarding: its flows are lost (see DESIGN.md), configuration never is.
            spec.replaceIncompatiblePins(Set.of(CONNTRACK_MAP, EGRESS_CONNTRACK_MAP, Ipv6Maps.CONNTRACK_MAP));
            LoadedObject loaded = spec.load();
            object = loaded;
            spec.replacedPins()
                    .forEach((map, old) -> LOG.warn(
                            "conntrack map {} was pinned with max_entries {} (now {}): replaced by a new, empty one;"
                                    + " the programs are swapped to it as they are attached, and the flows it held"
                                    + " start again (inbound ones on the same backend, egress ones claim a port again)",
                            map,
                            old.maxEntries(),
                            map.equals(Ipv6Maps.CONNTRACK_MAP)
                                    ? loaded.map(map, MapCodecs.CT6_KEY, MapCodecs.CT6_VALUE)
                                            .maxEntries()
                                    : loaded.map(map, MapCodecs.CT_KEY, MapCodecs.CT_VALUE)
                                            .maxEntries()));
        }
        List<Attachment> attachments = new ArrayList<>();
        try {
            if (options.legacyInterface().isPresent()) {
                String legacy = options.legacyInterface().get();
                attachments.add(attach(object, FROM_LEGACY, legacy, Attachment.Direction.INGRESS, options.mode(), dir));
                attachments.add(attach(object, TO_LEGACY, legacy, Attachment.Direction.EGRESS, options.mode(), dir));
                for (String cluster : options.clusterInterfaces()) {
                    attachments.add(
                            attach(object, FROM_CLUSTER, cluster, Attachment.Direction.INGRESS, options.mode(), dir));
                }
            }
            handTunnelTo(object, options);
            if (options.tunnelDevice().isPresent()) {
                attachments.add(attach(
                        object,
                        FROM_L3,
                        options.tunnelDevice().get(),
                        Attachment.Direction.INGRESS,
                        options.mode(),
                        dir));
            }
            Datapath dp = new Datapath(object, attachments);
            dp.pinDir = dir;
            if (!attachments.isEmpty()) {
                dp.startSweeper(CONNTRACK_SWEEP, dp::expireConntrack);
            }
            LOG.info(
                    "datapath {} loaded{}; {} entries adopted; {}",
                    LAYOUT,
                    dir.map(d -> ", maps pinned under " + d).orElse(""),
                    dp.image.image().entryCount() - 1,
                    describe(attachments));
            return dp;
        } catch (RuntimeException e) {
            attachments.forEach(Attachment::close);
            object.close();
            throw e;
        }
    }

    /**
     * Writes where mgw_from_l3 hands the tunnel's packets: the first cluster interface (its index and MAC address),
     * or nobody when there is no tunnel device, so a program a previous run left on a device passes everything.
     */
    private static void handTunnelTo(LoadedObject object, DatapathOptions options) {
        if (!object.hasMap(L3_ENTRY_MAP)) {
            if (options.tunnelDevice().isPresent()) {
                throw new IllegalStateException(
                        "these programs have no " + FROM_L3 + ": they cannot take the tunnel from a device");
            }
            return;
        }
        L3Entry entry = new L3Entry(0, new byte[6]);
        if (options.tunnelDevice().isPresent()) {
            String cluster = options.clusterInterfaces().getFirst();
            try {
                java.net.NetworkInterface nic = java.net.NetworkInterface.getByName(cluster);
                byte[] mac = nic == null ? null : nic.getHardwareAddress();
                if (mac == null || mac.length != 6) {
                    throw new IllegalArgumentException("the cluster interface " + cluster
                            + (nic == null ? " does not exist" : " has no Ethernet address")
                            + ": the tunnel device " + options.tunnelDevice().get()
                            + " hands its packets to it");
                }
                entry = new L3Entry(nic.getIndex(), mac);
            } catch (java.net.SocketException e) {
                throw new UncheckedIOException("cannot read the cluster interface " + cluster, e);
            }
        }
        object.map(L3_ENTRY_MAP, MapCodecs.U32_VALUE, MapCodecs.L3_ENTRY).put(0, entry);
    }

    /** Where {@code attachments} are, for a log line: "not attached" when none. */
    static String describe(List<Attachment> attachments) {
        return attachments.isEmpty()
                ? "not attached"
                : String.join(
                        ", ", attachments.stream().map(Attachment::describe).toList());
    }

    /** Attaches {@code program} to {@code ifName}, its link pinned under {@code dir}'s {@code links} when there is one. */
    static Attachment attach(
            LoadedObject object,
            String program,
            String ifName,
            Attachment.Direction direction,
            Attachment.Mode mode,
            Optional<Path> dir) {
        Attachment.Options o = Attachment.Options.of(ifName, direction).withMode(mode);
        if (dir.isPresent()) {
            o = o.withPin(dir.get().resolve("links").resolve(ifName + "-" + program));
        }
        return Attachment.attach(object.programFd(program), program, o);
    }

    static void createDirectories(Path d) {
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the pin directory " + d + " (is bpffs mounted?)", e);
        }
    }

    /** What the maps hold now. */
    MapImage readImage() {
        Map<SlotKey, Integer> slots = maps.slots().entries();
        // The backend array has an entry at every index; only the ids the slots name are live.
        Map<Integer, BackendEntry> backends = new java.util.HashMap<>();
        for (int id : new java.util.HashSet<>(slots.values())) {
            maps.backends().get(id).filter(b -> b.addr() != 0).ifPresent(b -> backends.put(id, b));
            if (!backends.containsKey(id)) {
                maps6.backends().get(id).filter(b -> b.port() != 0).ifPresent(b -> backends.put(id, b));
            }
        }
        Map<ServiceKey, SvcValue> services =
                new java.util.HashMap<>(maps.services().entries());
        services.putAll(maps6.services().entries());
        return new MapImage(
                services,
                slots,
                maps.maglev().entries(),
                backends,
                maps.identities().entries(),
                maps.snat().entries(),
                maps.egressDestinations().entries(),
                maps.policies().entries(),
                maps.config().get(0).orElse(MapImage.EMPTY.config()),
                replyEntries());
    }

    /**
     * Makes the maps hold exactly {@code table}, writing only the difference, in an order that
     * never lets the program see a service whose slots or backends are missing. Only what changed
     * since the last apply is computed: services {@code equals} to the ones applied before are
     * not looked at again (the first apply, and the first after a failed one, recompute the
     * whole image). When a write fails, the maps are re-read so the next apply starts from the
     * truth.
     */
    public synchronized ApplyResult apply(TranslationTable table) {
        return apply(table, false);
    }

    /**
     * Makes the maps hold the table last applied changed by {@code change}, computing only what the change touches,
     * with the same writes and order as {@link #apply(TranslationTable)}. Empty, with nothing written, when the
     * datapath needs the whole table instead: nothing applied since {@link #open}, the last apply failed, a backend is
     * named with two cluster ids (the whole table decides which one the map holds), or the change is most of the
     * table.
     */
    public synchronized Optional<ApplyResult> apply(TableChange change) {
        long start = System.nanoTime();
        Optional<AppliedImage.Change> computed;
        try {
            computed = image.changeBy(change, ids);
            if (computed.isPresent()) {
                checkCapacity(image.image(), computed.get().diff());
            }
        } catch (RuntimeException e) {
            image.forgetPieces();
            throw e;
        }
        return computed.map(c -> write(c, start));
    }

    /**
     * As {@link #apply}, but recomputing the whole image from {@code table} and diffing it map
     * by map, as the first apply does: the baseline the incremental path is measured against.
     */
    public synchronized ApplyResult applyRecomputed(TranslationTable table) {
        return apply(table, true);
    }

    private ApplyResult apply(TranslationTable table, boolean recompute) {
        long start = System.nanoTime();
        AppliedImage.Change change;
        try {
            change = recompute ? image.recomputed(table, ids) : image.changeTo(table, ids);
            checkCapacity(image.image(), change.diff());
        } catch (RuntimeException e) {
            image.forgetPieces(); // ids may have been taken for what is not written; a recompute frees them
            throw e;
        }
        return write(change, start);
    }

    /** Writes a computed change; when a write fails, the maps are read back so the next apply starts from them. */
    private ApplyResult write(AppliedImage.Change change, long start) {
        long computed = System.nanoTime();
        try {
            write(change.diff());
        } catch (RuntimeException e) {
            image = AppliedImage.of(readImage());
            throw e;
        }
        long written = System.nanoTime();
        image.commit(change, ids);
        ImageDiff diff = change.diff();
        return new ApplyResult(
                diff.upserts(),
                diff.removals(),
                computed - start + System.nanoTime() - written,
                written - computed,
                change.ambiguousReplies());
    }

    /** What both reply maps hold, as one image map. */
    private Map<ReplyKey, ReplyValue> replyEntries() {
        Map<ReplyKey, ReplyValue> out = new java.util.HashMap<>();
        replies.ifPresent(m -> out.putAll(m.entries()));
        replies6.ifPresent(m -> out.putAll(m.entries()));
        return out;
    }

    /** Adds and changes first, referenced before referencing; then removals, referencing first. */
    private void write(ImageDiff d) {
        // Before anything the programs would translate toward them.
        destinations.ifPresent(f -> f.marks()
                .services(d.services().upserts().keySet())
                .backends(d.backends().upserts().values())
                .egress(d.snat().upserts().values())
                .write());
        maps.backends()
                .putAll(Ipv6Maps.onlyValues(BackendValue.class, d.backends().upserts()));
        maps6.backends()
                .putAll(Ipv6Maps.onlyValues(Backend6Value.class, d.backends().upserts()));
        maps.slots().putAll(d.slots().upserts());
        maps.maglev().putAll(d.maglev().upserts());
        maps.policies().putAll(d.policies().upserts());
        if (d.config().isPresent()) {
            maps.config().put(0, d.config().get());
        }
        maps.services().putAll(Ipv6Maps.only(SvcKey.class, d.services().upserts()));
        maps6.services().putAll(Ipv6Maps.only(Svc6Key.class, d.services().upserts()));
        maps.identities().putAll(d.identities().upserts());
        maps.snat().putAll(d.snat().upserts());
        maps.egressDestinations().putAll(d.egressDestinations().upserts());
        replies.ifPresent(m -> {
            m.putAll(Ipv6Maps.only(RevKey.class, RevValue.class, d.replies().upserts()));
            m.deleteAll(Ipv6Maps.only(RevKey.class, d.replies().removals()));
        });
        replies6.ifPresent(m -> {
            m.putAll(Ipv6Maps.only(Rev6Key.class, Rev6Value.class, d.replies().upserts()));
            m.deleteAll(Ipv6Maps.only(Rev6Key.class, d.replies().removals()));
        });
        maps.services().deleteAll(Ipv6Maps.only(SvcKey.class, d.services().removals()));
        maps6.services().deleteAll(Ipv6Maps.only(Svc6Key.class, d.services().removals()));
        maps.slots().deleteAll(d.slots().removals());
        maps.maglev().deleteAll(d.maglev().removals());
        maps.backends().putAll(Ipv6Maps.zeroedV4(d.backends().removals()));
        maps6.backends().putAll(Ipv6Maps.zeroedV6(d.backends().removals()));
        maps.egressDestinations().deleteAll(d.egressDestinations().removals());
        maps.snat().deleteAll(d.snat().removals());
        maps.identities().deleteAll(d.identities().removals());
        maps.policies().deleteAll(d.policies().removals());
    }

    private void checkCapacity(MapImage current, ImageDiff d) {
        int vips = d.services().sizeAfter(current.services());
        if (vips > Math.min(maps.services().maxEntries(), maps6.services().maxEntries())) {
            int v6 = Ipv6Maps.ipv6ServicesAfter(current.services(), d.services());
            fits(maps.services(), vips - v6, "IPv4 VIPs");
            fits(maps6.services(), v6, "IPv6 VIPs");
        }
        fits(maps.slots(), d.slots().sizeAfter(current.slots()), "backend slots");
        fits(
                maps.maglev(),
                d.maglev().sizeAfter(current.maglev()),
                "Maglev tables (services with two or more backends)");
        fits(maps.backends(), d.backends().sizeAfter(current.backends()), "distinct backends");
        fits(maps.identities(), d.identities().sizeAfter(current.identities()), "identity prefixes");
        fits(maps.snat(), d.snat().sizeAfter(current.snat()), "egress identities");
        fits(
                maps.egressDestinations(),
                d.egressDestinations().sizeAfter(current.egressDestinations()),
                "egress destinations");
        fits(maps.policies(), d.policies().sizeAfter(current.policies()), "policy rules");
        int tuples = d.replies().sizeAfter(current.replies());
        int room = Math.min(
                replies.map(BpfMap::maxEntries).orElse(Integer.MAX_VALUE),
                replies6.map(BpfMap::maxEntries).orElse(Integer.MAX_VALUE));
        if (tuples > room) { // each family counted only when the two together might not fit
            int v6 = Ipv6Maps.only(
                            Rev6Key.class,
                            d.replies().applyTo(current.replies()).keySet())
                    .size();
            replies.ifPresent(m -> fits(m, tuples - v6, "IPv4 backend reply tuples"));
            replies6.ifPresent(m -> fits(m, v6, "IPv6 backend reply tuples"));
        }
    }

    private static void fits(BpfMap<?, ?> map, int wanted, String what) {
        if (wanted > map.maxEntries()) {
            throw new BpfException("the translation table has " + wanted + " " + what + " but map " + map.name()
                    + " holds " + map.maxEntries() + "; nothing was applied (raise its size in the datapath options)");
        }
    }

    /** Counters summed over all CPUs. */
    public Map<Counter, CounterValue> counters() {
        Map<Counter, CounterValue> out = new EnumMap<>(Counter.class);
        for (Counter c : Counter.values()) {
            CounterValue sum = new CounterValue(0, 0);
            for (CounterValue v : maps.counters().get(c.ordinal())) {
                sum = sum.plus(v);
            }
            out.put(c, sum);
        }
        return out;
    }

    /**
     * Up to {@code limit} conntrack entries. Their packet and byte counts include what the
     * per-CPU flow caches counted and have not yet added to the entries.
     */
    public List<ConntrackEntry> conntrack(int limit) {
        long now = System.nanoTime(); // CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns
        Map<CtKey, CounterValue> pending = pendingFlowCounts(maps.flowCache());
        Map<CtKey, CtValue> entries =
                new java.util.LinkedHashMap<>(maps.conntrack().entries(limit));
        if (entries.size() < limit) {
            entries.putAll(maps.egressConntrack().entries(limit - entries.size()));
        }
        List<ConntrackEntry> out = new ArrayList<>(entries.size());
        entries.forEach((k, v) -> out.add(ConntrackEntry.of(k, withPending(v, pending.get(k)), now)));
        if (out.size() < limit) {
            Map<Ct6Key, CounterValue> pending6 =
                    maps6.flowCache().map(Datapath::pendingFlowCounts).orElse(Map.of());
            maps6.conntrack()
                    .entries(limit - out.size())
                    .forEach((k, v) -> out.add(ConntrackEntry.of(
                            k, new Ct6Value(withPending(v.ct(), pending6.get(k)), v.natAddr()), now)));
        }
        return out;
    }

    private static CtValue withPending(CtValue v, CounterValue pending) {
        return pending == null ? v : v.withCounts(v.packets() + pending.packets(), v.bytes() + pending.bytes());
    }

    /** What the slots of a flow cache counted and have not yet added to their entries, by entry. */
    private static <K, S extends CachedFlow<K>> Map<K, CounterValue> pendingFlowCounts(PerCpuArray<S> cache) {
        Map<K, CounterValue> out = new java.util.HashMap<>();
        for (int i = 0; i < cache.size(); i++) {
            for (S slot : cache.get(i)) {
                if (slot.dir() != 0 && slot.packets() != 0) {
                    out.merge(slot.key(), new CounterValue(slot.packets(), slot.bytes()), CounterValue::plus);
                }
            }
        }
        return out;
    }

    /**
     * How full each map that can fill up is: the configuration maps as last applied, conntrack as the last expiry sweep
     * counted it (every {@link #CONNTRACK_SWEEP} while attached; absent before the first).
     */
    public synchronized List<MapFill> fill() {
        MapImage held = image.image();
        long vips6 = held.services().keySet().stream()
                .filter(Svc6Key.class::isInstance)
                .count();
        List<MapFill> out = new java.util.ArrayList<>(List.of(
                fill(maps.services(), "VIPs", held.services().size() - vips6),
                fill(maps6.services(), "IPv6 VIPs", vips6),
                fill(maps.slots(), "backend slots", held.slots().size()),
                fill(maps.maglev(), "Maglev tables", held.maglev().size()),
                fill(maps.backends(), "distinct backends", held.backends().size()),
                fill(maps.identities(), "identity prefixes", held.identities().size()),
                fill(maps.snat(), "egress identities", held.snat().size()),
                fill(
                        maps.egressDestinations(),
                        "egress destinations",
                        held.egressDestinations().size()),
                fill(maps.policies(), "policy rules", held.policies().size())));
        int replyTuples6 = Ipv6Maps.only(Rev6Key.class, held.replies().keySet()).size();
        replies.ifPresent(
                m -> out.add(fill(m, "backend reply tuples", held.replies().size() - replyTuples6)));
        replies6.ifPresent(m -> out.add(fill(m, "IPv6 backend reply tuples", replyTuples6)));
        long flows = conntrackEntries;
        if (flows >= 0) {
            out.add(fill(maps.conntrack(), "conntrack entries", flows));
            out.add(fill(maps.egressConntrack(), "egress conntrack entries", egressConntrackEntries));
            out.add(fill(maps6.conntrack(), "IPv6 conntrack entries", conntrack6Entries));
        }
        return out;
    }

    private static MapFill fill(BpfMap<?, ?> map, String holds, long entries) {
        return new MapFill(map.name(), holds, entries, map.maxEntries());
    }

    /**
     * Deletes the conntrack entries that have expired ({@link ConntrackExpiry}: a closed TCP flow
     * 10 s after its last packet, an open one after 6 h, UDP after 5 min); the programs already
     * ignore them, and deleting them frees an SNAT flow's port for another flow. While the
     * datapath is attached this runs every {@link #CONNTRACK_SWEEP} on its own thread.
     *
     * <p>The tables are read a batch of 4,096 entries at a time and each batch's expired entries
     * are deleted before the next is read, so a sweep holds one batch in memory whatever the
     * table's size.
     *
     * @return how many entries were deleted
     */
    public int expireConntrack() {
        long[] deleted = {0};
        long inbound = sweep(maps.conntrack(), deleted);
        long egress = sweep(maps.egressConntrack(), deleted);
        conntrack6Entries = sweep(maps6.conntrack(), ConntrackExpiry::expired, deleted);
        conntrackEntries = inbound;
        egressConntrackEntries = egress;
        return (int) deleted[0];
    }

    /** One table's sweep; returns the entries it left. */
    private static long sweep(BpfMap<CtKey, CtValue> table, long[] deleted) {
        return sweep(table, ConntrackExpiry::expired, deleted);
    }

    /** {@code expired}: the rule of {@link ConntrackExpiry} for the table's key and value types. */
    interface Expiry<K, V> {
        boolean expired(K key, V value, long nowNanos);
    }

    private static <K, V> long sweep(BpfMap<K, V> table, Expiry<K, V> expiry, long[] deleted) {
        long now = System.nanoTime();
        long before = deleted[0];
        long seen = table.forEachBatch(batch -> {
            for (Map.Entry<K, V> e : batch.entrySet()) {
                if (!expiry.expired(e.getKey(), e.getValue(), now)) {
                    continue;
                }
                // The batch was read a moment ago: a key found expired may carry a new flow by now
                // (a new connection on the tuple, a port claimed again). Each is read once more just
                // before it goes; what stays in the window between that read and the delete is microseconds.
                K k = e.getKey();
                var current = table.get(k);
                if (current.isPresent() && expiry.expired(k, current.get(), System.nanoTime()) && table.delete(k)) {
                    deleted[0]++;
                }
            }
        });
        return seen - (deleted[0] - before);
    }

    /**
     * The expiry sweeper: whether it runs, its passes and failures, and how long ago a pass last completed. A
     * datapath that is not attached has none.
     */
    public ConntrackSweep conntrackSweep() {
        Thread t = sweeper;
        if (t == null) {
            return new ConntrackSweep(false, sweepPasses.get(), sweepFailures.get(), Optional.empty());
        }
        return new ConntrackSweep(
                t.isAlive(),
                sweepPasses.get(),
                sweepFailures.get(),
                Optional.of(Duration.ofNanos(System.nanoTime() - lastSweepNanos)));
    }

    /** Empties every CPU's flow-cache slots, both families' (see mgw_maps.h, mgw_v6.h). */
    void clearFlowCache() {
        clear(maps.flowCache(), FlowCacheSlot.EMPTY);
        maps6.flowCache().ifPresent(cache -> clear(cache, FlowCacheSlot6.EMPTY));
    }

    private static <S> void clear(PerCpuArray<S> cache, S empty) {
        for (int i = 0; i < cache.size(); i++) {
            cache.putOnEveryCpu(i, empty);
        }
    }

    /**
     * Forgets every flow: the conntrack entries and the per-CPU flow caches in front of them,
     * which would otherwise keep translating a forgotten flow for up to 100 jiffies (0.1-1 s).
     */
    void clearConntrack() {
        // entries first: a packet between the two steps would otherwise refill a slot from an entry
        maps.conntracks().forEach(BpfMap::clear);
        maps6.conntrack().clear();
        clearFlowCache();
    }

    /** The loaded object, for BPF_PROG_TEST_RUN. */
    public LoadedObject object() {
        return object;
    }

    Maps maps() {
        return maps;
    }

    Ipv6Maps maps6() {
        return maps6;
    }

    public List<String> attachments() {
        return attachments.stream().map(Attachment::describe).toList();
    }

    /** Runs {@code pass} every {@code period} on the sweeper thread until closed (tests: a shorter period). */
    void startSweeper(Duration period, IntSupplier pass) {
        lastSweepNanos = System.nanoTime();
        sweeper = Thread.ofPlatform()
                .daemon()
                .name("meshgw-conntrack-expiry")
                .start(() -> sweepUntilClosed(period, pass));
    }

    /**
     * A pass that throws anything, an {@link Error} included, is counted and logged and the next pass runs as usual:
     * a sweeper that died silently would leave every closed SNAT flow holding its port. What still ends the thread
     * shows in {@link #conntrackSweep()}.
     */
    private void sweepUntilClosed(Duration period, IntSupplier pass) {
        while (!closing) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            sweepOnce(pass);
        }
    }

    private void sweepOnce(IntSupplier pass) {
        try {
            int n = pass.getAsInt();
            sweepPasses.incrementAndGet();
            lastSweepNanos = System.nanoTime();
            if (n > 0) {
                LOG.debug("conntrack: {} expired entries deleted", n);
            }
        } catch (Throwable t) {
            long failures = sweepFailures.incrementAndGet();
            LOG.error(
                    "conntrack expiry sweep failed ({} failures so far); trying again in {}",
                    failures,
                    CONNTRACK_SWEEP,
                    t);
        }
    }

    /** Takes the programs off the interfaces (pins of links removed; pinned maps stay). */
    public void detach() {
        attachments.forEach(Attachment::detach);
    }

    /**
     * Detaches, then removes every pin of this layout (maps and links) and its directory, so nothing of meshgw stays
     * in the kernel once the process closes its descriptors: for an uninstall, never a restart (the next start would
     * begin with empty tables). Other layouts' directories and anything else under the pin root are left alone.
     *
     * @return the pins removed after the detach (the maps'; the links' pins go with the detach)
     */
    public List<Path> detachAndUnpin() {
        detach();
        if (pinDir.isEmpty()) return List.of();
        Path dir = pinDir.get();
        List<Path> removed = new ArrayList<>();
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                boolean pin = !Files.isDirectory(p);
                Files.deleteIfExists(p);
                if (pin) removed.add(p);
            }
        } catch (NoSuchFileException e) {
            return removed;
        } catch (IOException e) {
            throw new BpfException("cannot remove the pins under " + dir + ": " + e.getMessage());
        }
        return removed;
    }

    @Override
    public void close() {
        closing = true;
        if (sweeper != null) {
            sweeper.interrupt();
            try {
                sweeper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        attachments.forEach(Attachment::close);
        object.close();
    }
}
