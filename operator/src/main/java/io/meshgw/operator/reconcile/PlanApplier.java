package io.meshgw.operator.reconcile;

import io.meshgw.operator.plan.Plan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands one pass's plan to every engine, in the one order that keeps traffic safe: routes are withdrawn before the
 * state behind them goes, and that state exists before its routes are announced, so the routers never send traffic
 * the datapath would drop. Each engine diffs the plan once against what it holds. A failed step stops the pass with
 * an exception naming the step; nothing is rolled back, and the next pass diffs again.
 */
public final class PlanApplier {
    private static final Logger LOG = LoggerFactory.getLogger(PlanApplier.class);

    private final GatewayPorts ports;

    public PlanApplier(GatewayPorts ports) {
        this.ports = ports;
    }

    /** A pass of the replica that publishes this cluster's state: its node's engines, then the mesh. */
    public void apply(Plan plan) {
        applyToNode(plan);
        publish(plan);
    }

    /**
     * What every gateway replica does with a plan, leader or not: its node's routes, datapath, sessions and names.
     * Each replica announces the VIPs its own datapath translates, so the routers spread traffic over all of them.
     */
    public void applyToNode(Plan plan) {
        var bgp = step("diff BGP announcements and sessions", () -> ports.bgp().changesFor(plan));
        step("withdraw routes the plan no longer has", bgp::withdraw);
        step("write the datapath's maps", () -> ports.datapath().apply(plan));
        step("announce the plan's routes", bgp::announce);
        // Sessions after the announcements: a new session gets the whole table and then End-of-RIB at once, so on a
        // restarted gateway's first pass a graceful-restart helper sees our routes before End-of-RIB and does not
        // sweep them as stale (RFC 4724 §4.2).
        step("apply BGP sessions", bgp::applyPeers);
        step("serve LegacyService names", () -> ports.names().apply(plan));
    }

    /**
     * What one replica per cluster does, after its node holds the plan: this cluster's exports to the mesh. Two
     * publishers of one cluster would fence each other.
     */
    public void publish(Plan plan) {
        step("publish this cluster's exports to the mesh", () -> ports.mesh().apply(plan));
    }

    private static void step(String what, Runnable step) {
        step(what, () -> {
            step.run();
            return null;
        });
    }

    private static <T> T step(String what, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            LOG.warn("pass stopped: {} failed: {}", what, e.toString());
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        }
    }
}
