package io.meshgw.operator.desired;

import io.meshgw.operator.plan.Announcement;
import io.meshgw.operator.plan.EgressRule;
import io.meshgw.operator.plan.ExportedService;
import io.meshgw.operator.plan.IdentityNumbers;
import io.meshgw.operator.plan.LegacyName;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.PeerConfig;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.PortRule;
import io.meshgw.operator.plan.PortTranslation;
import io.meshgw.operator.plan.Translation;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the planners add while one pass runs; {@link #build} freezes it into the {@link Plan}. Translations and egress
 * rules get their datapath identity numbers only there, since a number depends on the set of every identity name of
 * the pass.
 */
final class PlanBuilder implements ExportSink {
    /** A translation before its identity number is known (that needs every name of the pass). */
    record TranslationDraft(ObjectKey service, IpAddress vip, List<PortTranslation> ports) {}

    private record EgressDraft(
            ObjectKey key,
            IpAddress source,
            List<IpPrefix> destinations,
            List<IpAddress> podAddresses,
            List<PortRule> allowedPorts) {}

    private final Map<ObjectKey, PeerConfig> peers = new LinkedHashMap<>();
    private final Map<IpPrefix, Announcement> announcements = new LinkedHashMap<>();
    private final Map<ObjectKey, TranslationDraft> translations = new LinkedHashMap<>();
    private final Map<ObjectKey, EgressDraft> egressRules = new LinkedHashMap<>();
    private final Map<ObjectKey, ExportedService> exports = new LinkedHashMap<>();
    private final Map<ObjectKey, LegacyName> legacyNames = new LinkedHashMap<>();
    private final List<ObjectOutcome> outcomes = new ArrayList<>();

    void peer(PeerConfig peer) {
        peers.put(peer.peer(), peer);
    }

    @Override
    public void announce(Announcement announcement) {
        announcements.put(announcement.prefix(), announcement);
    }

    @Override
    public void translation(TranslationDraft draft) {
        translations.put(draft.service(), draft);
    }

    void egress(
            ObjectKey identity,
            IpAddress source,
            List<IpPrefix> destinations,
            List<IpAddress> podAddresses,
            List<PortRule> allowedPorts) {
        egressRules.put(identity, new EgressDraft(identity, source, destinations, podAddresses, allowedPorts));
    }

    @Override
    public void export(ExportedService service) {
        exports.put(service.service(), service);
    }

    void legacyName(LegacyName name) {
        legacyNames.put(name.service(), name);
    }

    void outcome(ObjectOutcome outcome) {
        outcomes.add(outcome);
    }

    Plan build() {
        return build(new IdentityHashMap<>(), new IdentityHashMap<>());
    }

    /**
     * @param previous the translations the last pass built, by the draft they came from: a draft handed over again
     *     (the planner reused an export's result) with the same identity number keeps its Translation instance, so
     *     the engines' adapters see it unchanged without comparing its contents
     * @param built filled with this pass's translations by draft, for the next pass
     */
    Plan build(Map<TranslationDraft, Translation> previous, Map<TranslationDraft, Translation> built) {
        var names = new HashSet<String>();
        translations.keySet().forEach(k -> names.add(IdentityNumbers.service(k)));
        egressRules.keySet().forEach(k -> names.add(IdentityNumbers.egress(k)));
        var identities = IdentityNumbers.assign(names);
        var translated = new LinkedHashMap<ObjectKey, Translation>();
        for (var t : translations.values()) {
            int identity = identities.get(IdentityNumbers.service(t.service()));
            var before = previous.get(t);
            var translation = before != null && before.identity() == identity
                    ? before
                    : new Translation(t.service(), t.vip(), identity, t.ports());
            translated.put(t.service(), translation);
            built.put(t, translation);
        }
        var rules = new LinkedHashMap<ObjectKey, EgressRule>();
        egressRules
                .values()
                .forEach(r -> rules.put(
                        r.key(),
                        new EgressRule(
                                r.key(),
                                identities.get(IdentityNumbers.egress(r.key())),
                                r.source(),
                                r.destinations(),
                                r.podAddresses(),
                                r.allowedPorts())));
        return new Plan(peers, announcements, translated, rules, exports, legacyNames, outcomes);
    }
}
