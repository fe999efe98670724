package io.meshgw.operator.reconcile;

import io.meshgw.operator.desired.LegacyServiceSelectors;
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.port.BgpTarget;
import io.meshgw.operator.port.DatapathTarget;
import io.meshgw.operator.port.MeshTarget;
import io.meshgw.operator.port.NamesTarget;

/**
 * The gateway's engines as the operator sees them: where each pass's plan goes, where its inputs come from, what
 * the engines can do, and who hears about each pass.
 */
public record GatewayPorts(
        BgpTarget bgp,
        DatapathTarget datapath,
        MeshTarget mesh,
        NamesTarget names,
        Capabilities capabilities,
        PassObserver passes) {

    /**
     * The snapshot of one pass: {@code objects} (the cluster's objects, from the informers or a file) with the
     * engines' read side added at this moment: sessions, the learned routes the LegacyServices among the objects
     * select (and only those), the other clusters' exports, and the capabilities. The Kubernetes operator and the
     * gateway's standalone mode both read a pass's inputs here, so both plan from the same kind of snapshot.
     *
     * @param objects filled with every object of the pass; this sets its read side and builds it
     */
    public Snapshot snapshot(Snapshot.Builder objects) {
        var selectors = LegacyServiceSelectors.of(objects.legacyServices());
        return objects.sessions(bgp.sessions())
                .learnedRoutes(bgp.learnedRoutes(selectors))
                .remoteExports(mesh.remoteExports())
                .capabilities(capabilities)
                .build();
    }
}
