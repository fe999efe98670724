package io.meshgw.operator.port;

import io.meshgw.operator.plan.Plan;
import java.util.List;

/** mesh-sync: this cluster's exports go out, the other clusters' exports come in as the input of a pass. */
public interface MeshTarget {

    /** Makes this cluster's topic hold the plan's exports. */
    void apply(Plan plan);

    /**
     * Another replica publishes this cluster's exports now: stop writing to the topic (what it holds stays) and keep
     * reading the other clusters. The next {@link #apply} publishes again.
     */
    void standBy();

    /** The other clusters' exports, as last read, from available clusters only. */
    List<RemoteExport> remoteExports();

    /** No mesh: nothing is published and no other cluster is known. */
    MeshTarget NONE = new MeshTarget() {
        @Override
        public void apply(Plan plan) {}

        @Override
        public void standBy() {}

        @Override
        public List<RemoteExport> remoteExports() {
            return List.of();
        }
    };
}
