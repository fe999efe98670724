package io.meshgw.gateway.metrics;

import io.meshgw.bgp.speaker.PeerStatus;
import io.meshgw.bpf.datapath.Counter;
import io.meshgw.bpf.datapath.MapFill;
import io.meshgw.gateway.bgp.BgpAdapter;
import io.meshgw.gateway.bgp.BgpService;
import io.meshgw.gateway.control.AppliedPlan;
import io.meshgw.gateway.control.ControlPlane;
import io.meshgw.gateway.datapath.DatapathService;
import io.meshgw.gateway.mesh.MeshService;
import io.meshgw.operator.port.PeerSession;
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
    private final io.meshgw.gateway.datapath.NodeRoleService nodeRole;
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
    private MultiGauge clusterSynced;
    private MultiGauge addressesRejected;
    private MultiGauge keysOverLimit;
    private MultiGauge sessionState;
    private MultiGauge prefixes;
    private MultiGauge refreshRequests;
    private MultiGauge refreshWalks;
    private MultiGauge flaps;
    private MultiGauge droppedAttributes;
    private MultiGauge routeLeaks;
    private MultiGauge mapEntries;
    private MultiGauge mapMaxEntries;

    GatewayMetrics(
            MeterRegistry registry,
            BgpService bgp,
            DatapathService datapath,
            MeshService mesh,
            ControlPlane controlPlane,
            AppliedPlan applied,
            io.meshgw.gateway.datapath.NodeRoleService nodeRole) {
        this.registry = registry;
        this.nodeRole = nodeRole;
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
        droppedAttributes = MultiGauge.builder("meshgw_bgp_path_attributes_dropped")
                .description("Received path attributes dropped per peer, attribute type, action (discard,"
                        + " treat-as-withdraw) and cause (malformed, screened)")
                .register(registry);
        routeLeaks = MultiGauge.builder("meshgw_bgp_route_leaks")
                .description("Routes from the peer that RFC 9234 Only-to-Customer identified as leaks and that were not"
                        + " used, since the peer was configured")
                .register(registry);
        refreshRequests = MultiGauge.builder("meshgw_bgp_route_refresh_requests")
                .description("ROUTE-REFRESH requests (RFC 2918) the peer sent, since it was configured")
                .register(registry);
        refreshWalks = MultiGauge.builder("meshgw_bgp_route_refresh_walks")
                .description("Walks of the table that served the peer's ROUTE-REFRESH requests: fewer than the requests"
                        + " when they come faster than one a second or while the peer does not read (they coalesce)")
                .register(registry);
        FunctionCounter.builder("meshgw_bgp_connections_refused", bgp, b -> (double) b.connectionsRefused())
                .description("TCP connections to the BGP port from addresses that are not configured peers, reset"
                        + " before a byte was read")
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
        clusterSynced = MultiGauge.builder("meshgw_mesh_cluster_synced")
                .description("1 while the reader keeps a remote cluster current (read to its end); 0 while it re-reads"
                        + " it or cannot read it (see the mesh readiness check for why)")
                .register(registry);
        addressesRejected = MultiGauge.builder("meshgw_mesh_addresses_rejected")
                .description("Endpoint and gateway addresses a remote cluster published that are never used here, by"
                        + " kind: loopback, link-local, multicast, broadcast, unspecified, local-vip")
                .register(registry);
        keysOverLimit = MultiGauge.builder("meshgw_mesh_keys_over_limit")
                .description("New keys of a remote cluster not taken because it holds its limit of keys")
                .register(registry);
        Gauge.builder(
                        "meshgw_mesh_reader_up",
                        mesh,
                        m -> m.readerHealth().map(h -> h.up() ? 1 : 0).orElse(1))
                .description("1 while the mesh reader reads; 0 while it starts, restarts after a failure, or cannot"
                        + " list the topics")
                .register(registry);
        FunctionCounter.builder(
                        "meshgw_mesh_reader_restarts",
                        mesh,
                        m -> m.readerHealth().map(h -> (double) h.restarts()).orElse(0.0))
                .description("Times the mesh reader's consumer failed (timeout, authorisation, corrupt record) and was"
                        + " started again")
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
        byOutcome("meshgw_datapath", "datapath outcome", datapath, DatapathService::counters, Counter.values());
        // The node role's, in node mode; zero elsewhere, so every mode exports the same series.
        Gauge.builder("meshgw_node_role_pods", nodeRole, n -> n.applied().pods().size())
                .description("Pods of this node the node role steers to the gateway node that serves their egress"
                        + " address (node mode)")
                .register(registry);
        byOutcome(
                "meshgw_node_role",
                "node-role outcome (node mode)",
                nodeRole,
                io.meshgw.gateway.datapath.NodeRoleService::counters,
                io.meshgw.bpf.datapath.NodeCounter.values());
        refresh();
    }

    /**
     * {@code <family>_packets} and {@code <family>_bytes}, one series per outcome (its lower-case name), read from
     * {@code state}'s counters at each scrape. Micrometer holds {@code state} weakly: it must be a bean that lives as
     * long as the registry.
     */
    private <S, E extends Enum<E>> void byOutcome(
            String family,
            String what,
            S state,
            java.util.function.Function<S, java.util.Map<E, io.meshgw.bpf.datapath.MapRecords.CounterValue>> counters,
            E[] outcomes) {
        for (E c : outcomes) {
            String name = c.name().toLowerCase(Locale.ROOT);
            FunctionCounter.builder(
                            family + "_packets",
                            state,
                            s -> counters.apply(s).get(c).packets())
                    // One HELP line per family, so no outcome's own description: the first would speak for all.
                    .description("Packets by " + what)
                    .tags(Tags.of("outcome", name))
                    .register(registry);
            FunctionCounter.builder(
                            family + "_bytes",
                            state,
                            s -> counters.apply(s).get(c).bytes())
                    .description("Bytes by " + what)
                    .tags(Tags.of("outcome", name))
                    .register(registry);
        }
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
        List<MultiGauge.Row<?>> dropped = new ArrayList<>();
        List<MultiGauge.Row<?>> leaks = new ArrayList<>();
        List<MultiGauge.Row<?>> refreshes = new ArrayList<>();
        List<MultiGauge.Row<?>> walks = new ArrayList<>();
        for (PeerStatus p : bgp.peers()) {
            Tags t = Tags.of("peer", p.name(), "address", p.address());
            up.add(MultiGauge.Row.of(t, p.state().ordinal() == 5 ? 1 : 0));
            state.add(MultiGauge.Row.of(t, p.state().ordinal()));
            pfx.add(MultiGauge.Row.of(t.and("kind", "received"), p.prefixesReceived()));
            pfx.add(MultiGauge.Row.of(t.and("kind", "accepted"), p.prefixesAccepted()));
            pfx.add(MultiGauge.Row.of(t.and("kind", "advertised"), p.prefixesAdvertised()));
            fl.add(MultiGauge.Row.of(t, p.flaps()));
            for (PeerSession.DroppedAttribute d : BgpAdapter.droppedAttributes(p)) {
                dropped.add(MultiGauge.Row.of(
                        t.and("type", d.name(), "action", d.action(), "cause", d.cause()), d.count()));
            }
            leaks.add(MultiGauge.Row.of(t, p.routeLeaks()));
            refreshes.add(MultiGauge.Row.of(t, p.refreshRequests()));
            walks.add(MultiGauge.Row.of(t, p.refreshWalks()));
        }
        List<MultiGauge.Row<?>> avail = new ArrayList<>();
        List<MultiGauge.Row<?>> lag = new ArrayList<>();
        List<MultiGauge.Row<?>> age = new ArrayList<>();
        List<MultiGauge.Row<?>> synced = new ArrayList<>();
        List<MultiGauge.Row<?>> badAddresses = new ArrayList<>();
        List<MultiGauge.Row<?>> overLimit = new ArrayList<>();
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
                    synced.add(MultiGauge.Row.of(t, c.synced() ? 1 : 0));
                    overLimit.add(MultiGauge.Row.of(t, c.overKeyLimit()));
                    c.addressesRejected()
                            .forEach((kind, n) -> badAddresses.add(MultiGauge.Row.of(t.and("kind", kind.label()), n)));
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
        clusterSynced.register(synced, true);
        addressesRejected.register(badAddresses, true);
        keysOverLimit.register(overLimit, true);
        sessionUp.register(up, true);
        sessionState.register(state, true);
        prefixes.register(pfx, true);
        flaps.register(fl, true);
        droppedAttributes.register(dropped, true);
        routeLeaks.register(leaks, true);
        refreshRequests.register(refreshes, true);
        refreshWalks.register(walks, true);
    }
}
