package io.meshgw.operator.port;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** In-memory translation tables that record every call. */
public final class FakeDatapath implements DatapathControl {
    public FakeDatapath(CallLog calls) {
        this.calls = calls;
    }

    private final CallLog calls;
    private final Map<ObjectKey, ServiceTranslation> translations = new TreeMap<>();
    private final Map<ObjectKey, EgressRule> egress = new TreeMap<>();

    @Override
    public synchronized void applyTranslation(ServiceTranslation translation) {
        calls.add("applyTranslation " + translation.service() + " " + translation.vip());
        translations.put(translation.service(), translation);
    }

    @Override
    public synchronized void removeTranslation(ObjectKey service) {
        calls.add("removeTranslation " + service);
        translations.remove(service);
    }

    @Override
    public synchronized Map<ObjectKey, ServiceTranslation> translations() {
        return Map.copyOf(translations);
    }

    @Override
    public synchronized void applyEgress(EgressRule rule) {
        calls.add("applyEgress " + rule.identity() + " " + rule.sourceIp());
        egress.put(rule.identity(), rule);
    }

    @Override
    public synchronized void removeEgress(ObjectKey identity) {
        calls.add("removeEgress " + identity);
        egress.remove(identity);
    }

    @Override
    public synchronized Map<ObjectKey, EgressRule> egressRules() {
        return Map.copyOf(egress);
    }

    public List<String> calls() {
        return calls.all();
    }
}
