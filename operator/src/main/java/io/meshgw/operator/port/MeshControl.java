package io.meshgw.operator.port;

import java.util.List;
import java.util.Map;

/**
 * mesh-sync as the operator sees it: this cluster's exports go out, the other clusters' exports come in. The gateway
 * calls {@code MeshgwOperator.requestReconcile()} when the remote view changes.
 */
public interface MeshControl {
    /** Publishes (or replaces) this cluster's export of one Service. */
    void publish(ExportedService service);

    /** Publishes the tombstone of one export. */
    void unpublish(ObjectKey service);

    /** What this cluster has published, by Service key. */
    Map<ObjectKey, ExportedService> published();

    /** Exports by the other clusters, as last read. */
    List<RemoteExport> remoteExports();
}
