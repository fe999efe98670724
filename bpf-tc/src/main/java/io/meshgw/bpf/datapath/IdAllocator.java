package io.meshgw.bpf.datapath;

import io.meshgw.bpf.datapath.MapRecords.Backend6Value;
import io.meshgw.bpf.datapath.MapRecords.BackendEntry;
import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.ServiceKey;
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

    private final IdSpace<ServiceKey> services = new IdSpace<>("service", Integer.MAX_VALUE);
    /**
     * Keyed by endpoint: address and port (a {@code Long} for IPv4, the entry without its cluster for IPv6). One space
     * for both families: the slot and Maglev maps name either.
     */
    private final IdSpace<Object> backends;

    /** @param backendLimit backend ids index an array map: they stay below its size */
    IdAllocator(int backendLimit) {
        this.backends = new IdSpace<>("backend", backendLimit);
    }

    IdAllocator() {
        this(Integer.MAX_VALUE);
    }

    private static Object endpoint(BackendEntry b) {
        return switch (b) {
            case BackendValue v -> (Integer.toUnsignedLong(v.addr()) << 16) | v.port();
            case Backend6Value v -> new Backend6Value(v.addr(), v.port(), 0);
        };
    }

    int service(ServiceKey key) {
        return services.idOf(key);
    }

    int backend(BackendEntry b) {
        return backends.idOf(endpoint(b));
    }

    /** An IPv4 backend's id. */
    int backend(int addr, int port) {
        return backend(new BackendValue(addr, port, 0));
    }

    /** Takes over the ids found in maps an earlier run left pinned. */
    void adopt(Map<? extends ServiceKey, SvcValue> svc, Map<Integer, ? extends BackendEntry> be) {
        svc.forEach((k, v) -> services.adopt(k, v.svcId()));
        be.forEach((id, v) -> backends.adopt(endpoint(v), id));
    }

    /** Frees the ids of these services and backends, which the last applied image no longer has. */
    void release(Collection<? extends ServiceKey> deadServices, Collection<? extends BackendEntry> deadBackends) {
        deadServices.forEach(services::release);
        deadBackends.forEach(b -> backends.release(endpoint(b)));
    }

    /** Frees the ids of services and backends the last applied image no longer has. */
    void retain(Set<? extends ServiceKey> liveServices, Set<Integer> liveBackendIds) {
        services.retain((key, id) -> liveServices.contains(key));
        backends.retain((endpoint, id) -> liveBackendIds.contains(id));
    }
}
