package io.meshgw.operator.port;

import io.meshgw.operator.plan.EgressRule;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.Translation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * In-memory translation tables that diff each plan against what they hold and record every change; they keep
 * {@link DatapathTargetContract} as the gateway's adapter does.
 */
public final class FakeDatapath implements DatapathTarget {
    private final CallLog calls;
    private final Map<ObjectKey, Translation> translations = new TreeMap<>();
    private final Map<ObjectKey, EgressRule> egress = new TreeMap<>();
    private boolean servesEgress = true;
    private String refusal;

    public FakeDatapath(CallLog calls) {
        this.calls = calls;
    }

    @Override
    public synchronized void apply(Plan plan) {
        if (refusal != null) throw new IllegalStateException(refusal);
        for (var key : List.copyOf(translations.keySet())) {
            if (plan.translations().containsKey(key)) continue;
            calls.add("removeTranslation " + key);
            translations.remove(key);
        }
        for (var key : List.copyOf(egress.keySet())) {
            if (plan.egressRules().containsKey(key)) continue;
            calls.add("removeEgress " + key);
            egress.remove(key);
        }
        for (var t : plan.translations().values()) {
            if (Objects.equals(translations.get(t.service()), t)) continue;
            calls.add("applyTranslation " + t.service() + " " + t.vip());
            translations.put(t.service(), t);
        }
        for (var rule : plan.egressRules().values()) {
            if (Objects.equals(egress.get(rule.key()), rule)) continue;
            calls.add("applyEgress " + rule.key() + " " + rule.source());
            egress.put(rule.key(), rule);
        }
        servesEgress = plan.servesEgress();
    }

    /** Every later {@link #apply} fails with {@code message}, as a kernel refusing a map write would. */
    public synchronized void refuse(String message) {
        refusal = message;
    }

    /** Later {@link #apply}s write again. */
    public synchronized void acceptWrites() {
        refusal = null;
    }

    public synchronized Map<ObjectKey, Translation> translations() {
        return Map.copyOf(translations);
    }

    public synchronized Map<ObjectKey, EgressRule> egressRules() {
        return Map.copyOf(egress);
    }

    /** Whether the last plan applied had this node translate its egress rules ({@link Plan#servesEgress}). */
    public synchronized boolean servesEgress() {
        return servesEgress;
    }

    public List<String> calls() {
        return calls.all();
    }
}
