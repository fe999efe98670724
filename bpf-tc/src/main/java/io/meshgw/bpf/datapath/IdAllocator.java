package io.meshgw.bpf.datapath;

import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.SvcKey;
import io.meshgw.bpf.datapath.MapRecords.SvcValue;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Stable numeric ids for services and backends. A VIP keeps its service id and an endpoint its
 * backend id for as long as they exist, so conntrack entries that name them stay valid across
 * updates; after a restart the ids are re-adopted from the pinned maps.
 */
final class IdAllocator {

    private final IdSpace<SvcKey> services = new IdSpace<>("service", Integer.MAX_VALUE);
    /** Keyed by endpoint: address and port. */
    private final IdSpace<Long> backends;

    /** @param backendLimit backend ids index an array map: they stay below its size */
    IdAllocator(int backendLimit) {
        this.backends = new IdSpace<>("backend", backendLimit);
    }

    IdAllocator() {
        this(Integer.MAX_VALUE);
    }

    private static long endpoint(int addr, int port) {
        return (Integer.toUnsignedLong(addr) << 16) | port;
    }

    int service(SvcKey key) {
        return services.idOf(key);
    }

    int backend(int addr, int port) {
        return backends.idOf(endpoint(addr, port));
    }

    /** Takes over the ids found in maps an earlier run left pinned. */
    void adopt(Map<SvcKey, SvcValue> svc, Map<Integer, BackendValue> be) {
        svc.forEach((k, v) -> services.adopt(k, v.svcId()));
        be.forEach((id, v) -> backends.adopt(endpoint(v.addr(), v.port()), id));
    }

    /** Frees the ids of these services and backends, which the last applied image no longer has. */
    void release(Collection<SvcKey> deadServices, Collection<BackendValue> deadBackends) {
        deadServices.forEach(services::release);
        deadBackends.forEach(b -> backends.release(endpoint(b.addr(), b.port())));
    }

    /** Frees the ids of services and backends the last applied image no longer has. */
    void retain(Set<SvcKey> liveServices, Set<Integer> liveBackendIds) {
        services.retain((key, id) -> liveServices.contains(key));
        backends.retain((endpoint, id) -> liveBackendIds.contains(id));
    }
}
