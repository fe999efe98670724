package io.meshgw.operator.port;

import io.meshgw.operator.plan.ExportedService;
import io.meshgw.types.ClusterId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The operator's fake mesh keeps the contract the gateway's mesh service keeps. */
class FakeMeshContractTest extends MeshTargetContract {
    private final FakeMesh mesh = new FakeMesh(new CallLog());
    private final Map<ClusterId, List<ExportedService>> available = new LinkedHashMap<>();

    @Override
    protected MeshTarget target() {
        return mesh;
    }

    @Override
    protected Map<ObjectKey, Published> published() {
        Map<ObjectKey, Published> out = new LinkedHashMap<>();
        mesh.published().forEach((key, e) -> out.put(key, Published.of(e)));
        return out;
    }

    @Override
    protected long writes() {
        return mesh.calls().size();
    }

    /** The fake stands for the topic as well, which outlives the gateway. */
    @Override
    protected void restart() {}

    @Override
    protected void clusterPublishes(ClusterId cluster, List<ExportedService> exports) {
        available.put(cluster, exports);
        tellMesh();
    }

    @Override
    protected void clusterFallsSilent(ClusterId cluster) {
        available.remove(cluster);
        tellMesh();
    }

    private void tellMesh() {
        mesh.remote(available.entrySet().stream()
                .flatMap(c -> c.getValue().stream().map(e -> remoteExport(c.getKey(), e)))
                .toList());
    }
}
