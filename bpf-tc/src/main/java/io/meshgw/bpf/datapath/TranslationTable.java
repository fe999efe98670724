package io.meshgw.bpf.datapath;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the datapath should translate: the gateway's desired state for bpf-tc. Immutable
 * and validated as a whole, so a table that is accepted can be applied without surprises.
 */
public record TranslationTable(
        List<ServiceTranslation> services,
        List<IdentityPrefix> identities,
        List<EgressTranslation> egress,
        List<PolicyRule> policies,
        Verdict defaultIngress,
        Verdict defaultEgress) {

    public static final TranslationTable EMPTY =
            new TranslationTable(List.of(), List.of(), List.of(), List.of(), Verdict.ALLOW, Verdict.ALLOW);

    public TranslationTable {
        services = List.copyOf(services);
        identities = List.copyOf(identities);
        egress = List.copyOf(egress);
        policies = List.copyOf(policies);
        Objects.requireNonNull(defaultIngress, "default ingress verdict");
        Objects.requireNonNull(defaultEgress, "default egress verdict");
        Set<MapRecords.ServiceKey> vips = HashSet.newHashSet(services.size());
        for (ServiceTranslation s : services) {
            if (!vips.add(ServicePiece.keyOf(s))) {
                throw new IllegalArgumentException("VIP " + s.key() + " appears twice in the translation table");
            }
        }
        Map<Ipv4Prefix, Integer> byPrefix = new HashMap<>();
        for (IdentityPrefix p : identities) {
            Integer other = byPrefix.put(p.prefix(), p.identity());
            if (other != null && other != p.identity()) {
                throw new IllegalArgumentException(
                        "prefix " + p.prefix() + " is claimed by identities " + other + " and " + p.identity());
            }
        }
        Set<Integer> egressIds = new HashSet<>();
        for (EgressTranslation e : egress) {
            if (!egressIds.add(e.identity())) {
                throw new IllegalArgumentException("identity " + e.identity() + " has two egress translations");
            }
        }
        Set<String> rules = new HashSet<>();
        for (PolicyRule r : policies) {
            if (!rules.add(r.identity() + "/" + r.protocol() + "/" + r.direction() + "/" + r.port())) {
                throw new IllegalArgumentException("policy for identity " + r.identity() + " " + r.direction() + " "
                        + r.protocol() + "/" + r.port() + " appears twice");
            }
        }
    }

    public TranslationTable withServices(List<ServiceTranslation> s) {
        return new TranslationTable(s, identities, egress, policies, defaultIngress, defaultEgress);
    }

    public TranslationTable withIdentities(List<IdentityPrefix> i) {
        return new TranslationTable(services, i, egress, policies, defaultIngress, defaultEgress);
    }

    public TranslationTable withEgress(List<EgressTranslation> e) {
        return new TranslationTable(services, identities, e, policies, defaultIngress, defaultEgress);
    }

    public TranslationTable withPolicies(List<PolicyRule> p, Verdict ingress, Verdict egressDefault) {
        return new TranslationTable(services, identities, egress, p, ingress, egressDefault);
    }
}
