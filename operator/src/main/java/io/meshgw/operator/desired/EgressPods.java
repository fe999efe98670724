package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.IpAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which pods each EgressIdentity selects. A pod leaves with one source address only, so a pod selected by several
 * identities belongs to the oldest of them ({@link Metadata#BY_AGE}). Only identities that can apply take part (the
 * planner leaves out invalid ones and ones without an address): one that cannot SNAT must not keep pods from one
 * that can. When a waiting older identity gets its address, the shared pods move to it.
 */
final class EgressPods {
    /** Kubernetes' name for the service account of a pod that names none. */
    private static final String DEFAULT_SERVICE_ACCOUNT = "default";

    /**
     * @param addresses IPv4 and IPv6 addresses of the pods this identity keeps, IPv4 first, each family ascending
     * @param lost pods it selects that an older identity keeps, by pod key, with that identity
     */
    record Selection(List<IpAddress> addresses, Map<ObjectKey, ResourceRef> lost) {
        static final Selection NONE = new Selection(List.of(), Map.of());

        Selection {
            addresses = List.copyOf(addresses);
            lost = Collections.unmodifiableMap(new TreeMap<>(lost));
        }
    }

    private EgressPods() {}

    /** @param identities the live identities that can apply (valid, with an address), oldest first */
    static Map<ResourceRef, Selection> assign(List<EgressIdentity> identities, List<Pod> pods) {
        var byNamespace = new HashMap<String, List<Pod>>();
        pods.stream()
                .filter(EgressPods::eligible)
                .sorted(Comparator.comparing(Metadata::key))
                .forEach(p -> byNamespace
                        .computeIfAbsent(p.getMetadata().getNamespace(), ns -> new ArrayList<>())
                        .add(p));
        var owners = new HashMap<ObjectKey, ResourceRef>();
        var out = new HashMap<ResourceRef, Selection>();
        for (var identity : identities) {
            var ref = Metadata.ref(identity);
            var spec = identity.getSpec();
            if (spec == null || spec.selector == null) continue;
            var addresses = new TreeSet<IpAddress>();
            var lost = new TreeMap<ObjectKey, ResourceRef>();
            for (var pod : byNamespace.getOrDefault(namespace(identity), List.of())) {
                if (!selects(identity, pod)) continue;
                var key = Metadata.key(pod);
                var owner = owners.putIfAbsent(key, ref);
                if (owner == null) {
                    addresses.addAll(addresses(pod));
                } else {
                    lost.put(key, owner);
                }
            }
            out.put(ref, new Selection(List.copyOf(addresses), lost));
        }
        return out;
    }

    /**
     * The namespace an identity selects pods in: its own, always. A selector naming another namespace is invalid
     * ({@link EgressPlanner#validate}): whoever may write an EgressIdentity in one namespace must not re-source,
     * restrict or drop another namespace's traffic.
     */
    static String namespace(EgressIdentity identity) {
        return identity.getMetadata().getNamespace();
    }

    /**
     * Running and not terminating. Pods on the host network are left out: their address is the node's, and
     * translating it would take every other pod on that network (and the node itself) along.
     */
    static boolean eligible(Pod pod) {
        return pod.getMetadata() != null
                && pod.getMetadata().getNamespace() != null
                && !Metadata.deleting(pod)
                && pod.getStatus() != null
                && "Running".equals(pod.getStatus().getPhase())
                && (pod.getSpec() == null || !Boolean.TRUE.equals(pod.getSpec().getHostNetwork()));
    }

    private static boolean selects(EgressIdentity identity, Pod pod) {
        var selector = identity.getSpec().selector;
        if (selector.serviceAccount != null
                && !selector.serviceAccount.isEmpty()
                && !selector.serviceAccount.equals(serviceAccount(pod))) {
            return false;
        }
        if (selector.podLabels == null || selector.podLabels.isEmpty()) return true;
        var labels = pod.getMetadata().getLabels();
        return labels != null
                && selector.podLabels.entrySet().stream()
                        .allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
    }

    private static String serviceAccount(Pod pod) {
        var spec = pod.getSpec();
        if (spec == null) return DEFAULT_SERVICE_ACCOUNT;
        if (spec.getServiceAccountName() != null) return spec.getServiceAccountName();
        // The deprecated alias, still filled in by some tools.
        return spec.getServiceAccount() != null ? spec.getServiceAccount() : DEFAULT_SERVICE_ACCOUNT;
    }

    /** status.podIPs (one per family), or status.podIP where a pod reports only that. */
    static List<IpAddress> addresses(Pod pod) {
        var status = pod.getStatus();
        var listed = status.getPodIPs() == null || status.getPodIPs().isEmpty()
                ? Stream.ofNullable(status.getPodIP())
                : status.getPodIPs().stream().map(PodIP::getIp);
        return listed.map(IpAddress::tryParse).flatMap(Optional::stream).toList();
    }
}
