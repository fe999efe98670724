package io.meshgw.gateway.datapath;

import io.meshgw.bpf.datapath.EgressTranslation;
import io.meshgw.bpf.datapath.IdentityPrefix;
import io.meshgw.bpf.datapath.PolicyRule;
import io.meshgw.bpf.datapath.ServiceTranslation;
import io.meshgw.bpf.datapath.TranslationTable;
import io.meshgw.bpf.datapath.Verdict;
import io.meshgw.operator.plan.EgressRule;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.Translation;
import io.meshgw.operator.port.DatapathTarget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The tc datapath as a target of the plan. Each pass maps the plan's translations and egress rules to the
 * datapath's table, and the datapath writes its difference from what the kernel's maps hold: the one diff. The
 * mapping of a translation the planner handed over unchanged (the same instance) is reused, so a pass that changes
 * one service of many maps one.
 */
@ApplicationScoped
public class DatapathAdapter implements DatapathTarget {

    private final Consumer<TranslationTable> datapath;
    private Map<Translation, List<ServiceTranslation>> servicesOf = new IdentityHashMap<>();
    private Map<EgressRule, Egress> egressOf = new IdentityHashMap<>();

    @Inject
    DatapathAdapter(DatapathService datapath) {
        this(datapath::apply);
    }

    /** @param datapath where each pass's table goes: a datapath that writes its difference from the kernel's maps */
    public DatapathAdapter(Consumer<TranslationTable> datapath) {
        this.datapath = datapath;
    }

    private record Egress(EgressTranslation translation, List<IdentityPrefix> identities, List<PolicyRule> policies) {}

    @Override
    public synchronized void apply(Plan plan) {
        Map<Translation, List<ServiceTranslation>> nextServices =
                new IdentityHashMap<>(plan.translations().size());
        List<ServiceTranslation> services = new ArrayList<>();
        for (Translation t : plan.translations().values()) {
            List<ServiceTranslation> mapped = servicesOf.get(t);
            if (mapped == null) {
                mapped = TableMapping.services(t);
            }
            nextServices.put(t, mapped);
            services.addAll(mapped);
        }
        Map<EgressRule, Egress> nextEgress =
                new IdentityHashMap<>(plan.egressRules().size());
        List<EgressTranslation> egress = new ArrayList<>();
        List<IdentityPrefix> identities = new ArrayList<>();
        List<PolicyRule> policies = new ArrayList<>();
        for (EgressRule r : plan.egressRules().values()) {
            Egress mapped = egressOf.get(r);
            if (mapped == null) {
                mapped = new Egress(TableMapping.egress(r), TableMapping.identities(r), TableMapping.policies(r));
            }
            nextEgress.put(r, mapped);
            egress.add(mapped.translation());
            identities.addAll(mapped.identities());
            policies.addAll(mapped.policies());
        }
        datapath.accept(new TranslationTable(services, identities, egress, policies, Verdict.ALLOW, Verdict.ALLOW));
        servicesOf = nextServices;
        egressOf = nextEgress;
    }
}
