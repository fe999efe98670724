package io.meshgw.gateway.datapath;

import io.meshgw.bpf.Attachment;
import io.meshgw.bpf.datapath.ApplyResult;
import io.meshgw.bpf.datapath.Backend;
import io.meshgw.bpf.datapath.ConntrackEntry;
import io.meshgw.bpf.datapath.ConntrackSweep;
import io.meshgw.bpf.datapath.Counter;
import io.meshgw.bpf.datapath.Datapath;
import io.meshgw.bpf.datapath.DatapathOptions;
import io.meshgw.bpf.datapath.MapFill;
import io.meshgw.bpf.datapath.MapRecords.CounterValue;
import io.meshgw.bpf.datapath.ServiceTranslation;
import io.meshgw.bpf.datapath.SteeringTable;
import io.meshgw.bpf.datapath.TableChange;
import io.meshgw.bpf.datapath.TranslationTable;
import io.meshgw.bpf.datapath.TunnelTable;
import io.meshgw.gateway.GatewayConfig;
import io.meshgw.gateway.api.v1.ConntrackView;
import io.meshgw.gateway.api.v1.CounterView;
import io.meshgw.gateway.api.v1.DatapathView;
import io.meshgw.gateway.api.v1.EgressView;
import io.meshgw.gateway.api.v1.TranslationView;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Owns the tc datapath for the gateway's lifetime: loads it at start (re-adopting what an earlier
 * run pinned, so forwarding never stopped), applies translation tables, and on shutdown either
 * leaves it attached for the next run (the default) or detaches it.
 */
@ApplicationScoped
public class DatapathService implements DatapathTables {

    private static final Logger LOG = Logger.getLogger(DatapathService.class);

    private final GatewayConfig config;
    private final ReleasePresence release;
    private Datapath datapath;
    /** The services last applied by key, and the rest of the table: a change costs its size, not the table's. */
    private final Map<String, ServiceTranslation> services = new LinkedHashMap<>();

    private TranslationTable others = TranslationTable.EMPTY;

    private TunnelTable tunnels = TunnelTable.NONE;

    DatapathService(GatewayConfig config, ReleasePresence release) {
        this.config = config;
        this.release = release;
    }

    void onStart(@Observes StartupEvent ev) {
        GatewayConfig.Datapath dc = config.datapath();
        if (!dc.enabled()) {
            LOG.info("datapath disabled (meshgw.datapath.enabled=false): no traffic is translated");
            return;
        }
        DatapathOptions options = options(dc);
        // A node that ran the node role before it became a gateway node: its programs would go on steering this
        // node's own pods by maps nobody writes any more.
        options.pinRoot().ifPresent(root -> {
            var left = io.meshgw.bpf.datapath.NodeRole.unpin(root);
            if (!left.isEmpty()) {
                LOG.infof(
                        "the node role ran on this node before its gateway: its programs are taken off (%d pin(s))",
                        left.size());
            }
        });
        datapath = Datapath.open(options);
        LOG.infof("datapath ready: %s", String.join(", ", datapath.attachments()));
    }

    /** A comma-separated list of interface names, blanks left out. */
    static String[] interfaces(String list) {
        return java.util.Arrays.stream(list.split(","))
                .map(String::strip)
                .filter(x -> !x.isEmpty())
                .toArray(String[]::new);
    }

    /** {@code meshgw.datapath.attach-mode}, the gateway's and the node role's, refused with the key when unknown. */
    static Attachment.Mode attachMode(GatewayConfig.Datapath dc) {
        try {
            return Attachment.Mode.valueOf(dc.attachMode().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "meshgw.datapath.attach-mode is '" + dc.attachMode() + "'; it must be auto, tcx or tc");
        }
    }

    /** Configuration to datapath options, with messages that name the key at fault. */
    static DatapathOptions options(GatewayConfig.Datapath dc) {
        DatapathOptions o = DatapathOptions.detached();
        if (!"none".equals(dc.pinRoot())) {
            o = o.withPinRoot(Path.of(dc.pinRoot()));
        }
        if (dc.legacyInterface().isPresent() != dc.clusterInterface().isPresent()) {
            throw new IllegalArgumentException("meshgw.datapath.legacy-interface and meshgw.datapath.cluster-interface"
                    + " must be set together (or neither, to load without attaching)");
        }
        if (dc.legacyInterface().isPresent()) {
            o = o.withInterfaces(
                    dc.legacyInterface().get(), interfaces(dc.clusterInterface().get()));
        }
        if (dc.tunnelDevice().isPresent()) {
            try {
                o = o.withTunnelDevice(dc.tunnelDevice().get());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("meshgw.datapath.tunnel-device: " + e.getMessage(), e);
            }
        }
        o = o.withMode(attachMode(dc));
        Map<String, Integer> sizes = new java.util.HashMap<>();
        conntrackSize("meshgw.datapath.conntrack-entries", dc.conntrackEntries())
                .ifPresent(n -> sizes.put("mgw_ct_" + Datapath.LAYOUT, n));
        conntrackSize("meshgw.datapath.conntrack6-entries", dc.conntrack6Entries())
                .ifPresent(n -> sizes.put("mgw_ct6_" + Datapath.LAYOUT, n));
        return sizes.isEmpty() ? o : o.withMaxEntries(sizes);
    }

    private static java.util.Optional<Integer> conntrackSize(String property, java.util.OptionalInt entries) {
        if (entries.isEmpty()) {
            return java.util.Optional.empty();
        }
        int n = entries.getAsInt();
        if (n < 1024) {
            throw new IllegalArgumentException(property + " is " + n + "; at least 1024");
        }
        return java.util.Optional.of(n);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (datapath == null) {
            return;
        }
        stop(datapath, config.datapath().keepOnShutdown(), release::verdict);
    }

    /**
     * Detaches when asked to ({@code keep} false) or when the release is being uninstalled, then also removes the pins:
     * nothing will start again to take them over. Otherwise leaves the datapath attached and pinned for the next start.
     */
    static void stop(Datapath dp, boolean keep, java.util.function.Supplier<ReleasePresence.Verdict> release) {
        if (!keep) {
            LOG.info("detaching the datapath (meshgw.datapath.keep-on-shutdown=false)");
            dp.detach();
        } else if (release.get() == ReleasePresence.Verdict.UNINSTALLING) {
            var removed = dp.detachAndUnpin();
            LOG.infof(
                    "the gateway's DaemonSet is gone or being deleted (an uninstall): datapath detached and %d pin(s)"
                            + " removed",
                    removed.size());
        } else {
            LOG.info("leaving the datapath attached and pinned for the next start");
        }
        dp.close();
    }

    public boolean running() {
        return datapath != null;
    }

    /** Makes the maps hold {@code table}; without a datapath the table is only remembered. */
    @Override
    public synchronized void apply(TranslationTable table) {
        if (datapath != null) {
            logged(datapath.apply(table));
        }
        services.clear();
        table.services().forEach(s -> services.put(s.key(), s));
        others = table.withServices(List.of());
    }

    /** Makes the maps hold the table last applied, changed; without a datapath the change is only remembered. */
    @Override
    public synchronized boolean apply(TableChange change) {
        if (datapath != null) {
            var result = datapath.apply(change);
            if (result.isEmpty()) {
                return false;
            }
            logged(result.get());
        }
        change.removed().forEach(s -> services.remove(s.key()));
        change.put().forEach(s -> services.put(s.key(), s));
        others = change.others();
        return true;
    }

    /** Makes the tunnel maps hold {@code tunnels}; without a datapath they are only remembered. */
    @Override
    public synchronized void apply(TunnelTable t) {
        if (datapath != null) {
            datapath.applyTunnels(t);
        }
        tunnels = t;
    }

    /** Makes the steering maps hold {@code s}; without a datapath there is nothing to steer. */
    @Override
    public synchronized void apply(SteeringTable s) {
        if (datapath != null) {
            datapath.applySteering(s);
        }
    }

    /** The tunnels last applied. */
    public synchronized TunnelTable tunnels() {
        return tunnels;
    }

    private static void logged(ApplyResult result) {
        if (result.changed()) {
            LOG.debugf(
                    "datapath: %s upserts, %s removals in %.1f ms; %s backend tuples behind two or more VIPs"
                            + " (their replies are translated only where conntrack holds the flow)",
                    result.upserts(), result.removals(), (Object) (result.nanos() / 1e6), result.ambiguousReplies());
        }
    }

    /** The table last applied. */
    public synchronized TranslationTable applied() {
        return others.withServices(List.copyOf(services.values()));
    }

    /** The conntrack expiry sweeper of the attached datapath; empty while the datapath is off or not attached. */
    public Optional<ConntrackSweep> conntrackSweep() {
        return datapath == null || datapath.attachments().isEmpty()
                ? Optional.empty()
                : Optional.of(datapath.conntrackSweep());
    }

    /** How full each datapath map is; none while the datapath is off. */
    public List<MapFill> mapFill() {
        return datapath == null ? List.of() : datapath.fill();
    }

    public Map<Counter, CounterValue> counters() {
        if (datapath == null) {
            Map<Counter, CounterValue> zero = new EnumMap<>(Counter.class);
            for (Counter c : Counter.values()) {
                zero.put(c, new CounterValue(0, 0));
            }
            return zero;
        }
        return datapath.counters();
    }

    public List<ConntrackEntry> conntrack(int limit) {
        return datapath == null ? List.of() : datapath.conntrack(limit);
    }

    public List<String> attachments() {
        return datapath == null ? List.of() : datapath.attachments();
    }

    /** What is loaded, as the admin API shows it. */
    public DatapathView statusView() {
        TranslationTable t = applied();
        return new DatapathView(
                running(), attachments(), t.services().size(), t.egress().size());
    }

    /** The VIP translations of the table last applied, as the admin API shows them. */
    public List<TranslationView> translationViews() {
        return applied().services().stream()
                .map(s -> new TranslationView(
                        s.vip().getHostAddress() + ":" + s.port(),
                        s.protocol().name(),
                        s.identity(),
                        s.backends().stream().map(Backend::toString).toList()))
                .toList();
    }

    /** The egress translations of the table last applied, as the admin API shows them. */
    public List<EgressView> egressViews() {
        return applied().egress().stream()
                .map(e -> new EgressView(
                        e.identity(),
                        e.sourceAddress().getHostAddress(),
                        e.portMin() + "-" + e.portMax(),
                        e.destinations().stream().map(Object::toString).toList()))
                .toList();
    }

    /** Every counter in the datapath's order, as the admin API shows them. */
    public List<CounterView> counterViews() {
        return counters().entrySet().stream()
                .map(e -> new CounterView(
                        e.getKey().name().toLowerCase(Locale.ROOT),
                        e.getKey().description(),
                        e.getValue().packets(),
                        e.getValue().bytes()))
                .toList();
    }

    /** At most {@code limit} conntrack entries, as the admin API shows them. */
    public List<ConntrackView> conntrackViews(int limit) {
        return conntrack(limit).stream()
                .map(c -> new ConntrackView(
                        c.kind().name(),
                        c.protocol().name(),
                        c.source(),
                        c.destination(),
                        c.translatedTo(),
                        c.backendId(),
                        c.identity(),
                        c.ageMillis(),
                        c.idleMillis(),
                        c.packets(),
                        c.bytes(),
                        c.closing()))
                .toList();
    }
}
