package io.meshgw.gateway.metrics;

import io.meshgw.bgp.speaker.PeerStatus;
import io.meshgw.bpf.datapath.Counter;
import io.meshgw.bpf.datapath.MapFill;
import io.meshgw.gateway.bgp.BgpService;
import io.meshgw.gateway.control.AppliedPlan;
import io.meshgw.gateway.control.ControlPlane;
import io.meshgw.gateway.datapath.DatapathService;
import io.meshgw.gateway.mesh.MeshService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The gateway's Prometheus metrics (/q/metrics): BGP sessions and prefix counts per peer, the
 * datapath's counters, the backends of each VIP port, the Lease. Per-peer and per-VIP series follow
 * the configured peers and the applied plan (refreshed every few seconds), so a removed peer's or
 * VIP's series disappear instead of freezing.
 */
@ApplicationScoped
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final BgpService bgp;
    private final DatapathService datapath;
    private final MeshService mesh;
    private final ControlPlane controlPlane;
    private final AppliedPlan applied;
    private MultiGauge sessionUp;
    private MultiGauge vipBackends;
    private MultiGauge clusterAvailable;
    private MultiGauge clusterLag;
    private MultiGauge heartbeatAge;
    private MultiGauge sessionState;
    private MultiGauge prefixes;
    private MultiGauge flaps;
    private MultiGauge mapEntries;
    private MultiGauge mapMaxEntries;

    GatewayMetrics(
            MeterRegistry registry,
            BgpService bgp,
            DatapathService datapath,
            MeshService mesh,
            ControlPlane controlPlane,
            AppliedPlan applied) {
        this.registry = registry;
        this.bgp = bgp;
        this.datapath = datapath;
        this.mesh = mesh;
        this.controlPlane = controlPlane;
        this.applied = applied;
    }

    void onStart(@Observes StartupEvent ev) {
        sessionUp = MultiGauge.builder("meshgw_bgp_session_up")
                .description("1 while the BGP session is Established")
                .register(registry);
        sessionState = MultiGauge.builder("meshgw_bgp_session_state")
                .description(
                        "RFC 4271 FSM state: 0 Idle, 1 Connect, 2 Active, 3 OpenSent, 4 OpenConfirm, 5 Established")
                .register(registry);
        prefixes = MultiGauge.builder("meshgw_bgp_prefixes")
                .description("Prefixes per peer by kind: received, accepted (post import policy), advertised")
                .register(registry);
        flaps = MultiGauge.builder("meshgw_bgp_session_flaps")
                .description("Times the session left Established")
                .register(registry);
        clusterAvailable = MultiGauge.builder("meshgw_mesh_cluster_available")
                .description("1 while a remote cluster is synced and its heartbeat recent (its endpoints are used)")
                .register(registry);
        clusterLag = MultiGauge.builder("meshgw_mesh_cluster_lag_records")
                .description("Records between this reader and the end of the cluster's state topic")
                .register(registry);
        heartbeatAge = MultiGauge.builder("meshgw_mesh_heartbeat_age_seconds")
                .description("Seconds since the cluster's last heartbeat")
                .register(registry);
        Gauge.builder("meshgw_leader", controlPlane, c -> c.leading() ? 1 : 0)
                .description("1 while this replica holds the Lease: it writes status and LegacyServices, publishes this"
                        + " cluster's mesh state and serves the egress addresses")
                .register(registry);
        vipBackends = MultiGauge.builder("meshgw_vip_backends")
                .description("Backends a VIP's port is translated to, local and remote; at 0 new connections to it"
                        + " are dropped")
                .register(registry);
        mapEntries = MultiGauge.builder("meshgw_datapath_map_entries")
                .description("Entries a datapath map holds (conntrack: as of the last expiry sweep); a full"
                        + " configuration map refuses the next change, a full conntrack evicts live flows")
                .register(registry);
        mapMaxEntries = MultiGauge.builder("meshgw_datapath_map_max_entries")
                .description("Entries a datapath map can hold")
                .register(registry);
        FunctionCounter.builder(
                        "meshgw_mesh_records_applied",
                        mesh,
                        m -> m.metrics().map(x -> (double) x.applied()).orElse(0.0))
                .description("mesh-sync records applied")
                .register(registry);
        FunctionCounter.builder(
                        "meshgw_mesh_records_rejected",
                        mesh,
                        m -> m.metrics().map(x -> (double) x.rejected()).orElse(0.0))
                .description("mesh-sync records that failed validation and were skipped")
                .register(registry);
        FunctionCounter.builder(
                        "meshgw_datapath_conntrack_sweep_failures",
                        datapath,
                        d -> d.conntrackSweep().map(s -> (double) s.failures()).orElse(0.0))
                .description("Conntrack expiry sweeps that failed (logged); while they fail, closed egress flows keep"
                        + " their SNAT ports, and after a minute without a completed sweep liveness fails")
                .register(registry);
        for (Counter c : Counter.values()) {
            String name = c.name().toLowerCase(Locale.ROOT);
            FunctionCounter.builder(
                            "meshgw_datapath_packets",
                            datapath,
                            d -> d.counters().get(c).packets())
                    // One HELP line per family, so no outcome's own description: the first would speak for all.
                    .description("Packets by datapath outcome")
                    .tags(Tags.of("outcome", name))
                    .register(registry);
            FunctionCounter.builder(
                            "meshgw_datapath_bytes",
                            datapath,
                            d -> d.counters().get(c).bytes())
                    .description("Bytes by datapath outcome")
                    .tags(Tags.of("outcome", name))
                    .register(registry);
        }
        refresh();
    }

    @Scheduled(every = "5s", delayed = "1s")
    void refresh() {
        if (sessionUp == null) {
            return;
        }
        List<MultiGauge.Row<?>> up = new ArrayList<>();
        List<MultiGauge.Row<?>> state = new ArrayList<>();
        List<MultiGauge.Row<?>> pfx = new ArrayList<>();
        List<MultiGauge.Row<?>> fl = new ArrayList<>();
        for (PeerStatus p : bgp.peers()) {
            Tags t = Tags.of("peer", p.name(), "address", p.address());
            up.add(MultiGauge.Row.of(t, p.state().ordinal() == 5 ? 1 : 0));
            state.add(MultiGauge.Row.of(t, p.state().ordinal()));
            pfx.add(MultiGauge.Row.of(t.and("kind", "received"), p.prefixesReceived()));
            pfx.add(MultiGauge.Row.of(t.and("kind", "accepted"), p.prefixesAccepted()));
            pfx.add(MultiGauge.Row.of(t.and("kind", "advertised"), p.prefixesAdvertised()));
            fl.add(MultiGauge.Row.of(t, p.flaps()));
        }
        List<MultiGauge.Row<?>> avail = new ArrayList<>();
        List<MultiGauge.Row<?>> lag = new ArrayList<>();
        List<MultiGauge.Row<?>> age = new ArrayList<>();
        mesh.metrics()
                .ifPresent(m -> m.clusters().values().forEach(c -> {
                    Tags t = Tags.of(
                            "cluster",
                            c.cluster().name(),
                            "cluster_id",
                            String.valueOf(c.cluster().id()));
                    avail.add(MultiGauge.Row.of(t, c.available() ? 1 : 0));
                    lag.add(MultiGauge.Row.of(t, c.lag()));
                    c.lastHeartbeatAge().ifPresent(a -> age.add(MultiGauge.Row.of(t, a.toMillis() / 1000.0)));
                }));
        // Not namespace and service: the Prometheus Operator gives every series those target labels.
        List<MultiGauge.Row<?>> vips = new ArrayList<>();
        applied.get()
                .translations()
                .values()
                .forEach(t -> t.ports()
                        .forEach(p -> vips.add(MultiGauge.Row.of(
                                Tags.of(
                                        "service_namespace", t.service().namespace(),
                                        "service_name", t.service().name(),
                                        "vip", t.vip().toString(),
                                        "port", String.valueOf(p.port().port()),
                                        "protocol", p.port().protocol().name().toLowerCase(Locale.ROOT)),
                                p.backends().size()))));
        List<MultiGauge.Row<?>> entries = new ArrayList<>();
        List<MultiGauge.Row<?>> sizes = new ArrayList<>();
        for (MapFill f : datapath.mapFill()) {
            Tags t = Tags.of("map", f.map());
            entries.add(MultiGauge.Row.of(t, f.entries()));
            sizes.add(MultiGauge.Row.of(t, f.maxEntries()));
        }
        mapEntries.register(entries, true);
        mapMaxEntries.register(sizes, true);
        vipBackends.register(vips, true);
        clusterAvailable.register(avail, true);
        clusterLag.register(lag, true);
        heartbeatAge.register(age, true);
        sessionUp.register(up, true);
        sessionState.register(state, true);
        prefixes.register(pfx, true);
        flaps.register(fl, true);
    }
}
