package io.meshgw.operator.port;

import java.util.Map;

/** The tc/eBPF datapath's translation tables as the operator drives them. Calls are idempotent. */
public interface DatapathControl {
    /** Creates or replaces the ingress translation of one exported Service. */
    void applyTranslation(ServiceTranslation translation);

    void removeTranslation(ObjectKey service);

    Map<ObjectKey, ServiceTranslation> translations();

    /** Creates or replaces the egress SNAT rule of one EgressIdentity. */
    void applyEgress(EgressRule rule);

    void removeEgress(ObjectKey identity);

    Map<ObjectKey, EgressRule> egressRules();
}
