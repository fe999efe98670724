package io.meshgw.bpf.datapath;

import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.SvcKey;
import io.meshgw.bpf.datapath.MapRecords.SvcValue;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Stable numeric ids for services and backends. A VIP keeps its service id and an endpoint its
 * backend id for as long as they exist, so conntrack entries that name them stay valid across
 * updates; after a restart the ids are re-adopted from the pinned maps.
 */
final class IdAllocator {

    private final Map<SvcKey, Integer> services = new HashMap<>();
    private final Map<Long, Integer> backends = new HashMap<>();
    private final Set<Integer> usedServiceIds = new HashSet<>();
    private final Set<Integer> usedBackendIds = new HashSet<>();
    private final int backendLimit;
    private int nextService = 1;
    private int nextBackend = 1;

    /** @param backendLimit backend ids index an array map: they stay below its size */
    IdAllocator(int backendLimit) {
        this.backendLimit = backendLimit;
    }

    IdAllocator() {
        this(Integer.MAX_VALUE);
    }

    private static long endpoint(int addr, int port) {
        return (Integer.toUnsignedLong(addr) << 16) | port;
    }

    int service(SvcKey key) {
        return services.computeIfAbsent(key, k -> nextId(usedServiceIds, true));
    }

    int backend(int addr, int port) {
        return backends.computeIfAbsent(endpoint(addr, port), k -> nextId(usedBackendIds, false));
    }

    private int nextId(Set<Integer> used, boolean service) {
        int limit = service ? Integer.MAX_VALUE : backendLimit;
        if (used.size() >= limit - 1) {
            throw new IllegalStateException(
                    "all " + (limit - 1) + " " + (service ? "service" : "backend") + " ids are in use");
        }
        int id = service ? nextService : nextBackend;
        // Freed ids are reused after a wrap: a flow still naming one is caught by the program,
        // which checks the backend's address and port, not just its id.
        while (id <= 0 || id >= limit || used.contains(id)) {
            id = id <= 0 || id >= limit ? 1 : id + 1;
        }
        used.add(id);
        if (service) {
            nextService = id + 1;
        } else {
            nextBackend = id + 1;
        }
        return id;
    }

    /** Takes over the ids found in maps an earlier run left pinned. */
    void adopt(Map<SvcKey, SvcValue> svc, Map<Integer, BackendValue> be) {
        svc.forEach((k, v) -> {
            services.put(k, v.svcId());
            usedServiceIds.add(v.svcId());
            nextService = Math.max(nextService, v.svcId() + 1);
        });
        be.forEach((id, v) -> {
            backends.put(endpoint(v.addr(), v.port()), id);
            usedBackendIds.add(id);
            nextBackend = Math.max(nextBackend, id + 1);
        });
    }

    /** Frees the ids of these services and backends, which the last applied image no longer has. */
    void release(Collection<SvcKey> deadServices, Collection<BackendValue> deadBackends) {
        for (SvcKey k : deadServices) {
            Integer id = services.remove(k);
            if (id != null) {
                usedServiceIds.remove(id);
            }
        }
        for (BackendValue b : deadBackends) {
            Integer id = backends.remove(endpoint(b.addr(), b.port()));
            if (id != null) {
                usedBackendIds.remove(id);
            }
        }
    }

    /** Frees the ids of services and backends the last applied image no longer has. */
    void retain(Set<SvcKey> liveServices, Set<Integer> liveBackendIds) {
        services.entrySet().removeIf(e -> {
            boolean dead = !liveServices.contains(e.getKey());
            if (dead) {
                usedServiceIds.remove(e.getValue());
            }
            return dead;
        });
        backends.entrySet().removeIf(e -> {
            boolean dead = !liveBackendIds.contains(e.getValue());
            if (dead) {
                usedBackendIds.remove(e.getValue());
            }
            return dead;
        });
    }
}
