package io.meshgw.operator.desired;

import io.meshgw.operator.plan.Announcement;
import io.meshgw.operator.plan.EgressRule;
import io.meshgw.operator.plan.LegacyName;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.PeerConfig;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.PortRule;
import io.meshgw.operator.plan.PortTranslation;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the planners add while one pass runs, beside the exports' part ({@link ExportResults}); {@link #build} puts
 * the two together into the {@link Plan}. Egress rules get their datapath identity numbers only there, from the
 * assignment the exports' translations share, since a number depends on the set of every identity name of the pass.
 */
final class PlanBuilder {
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
    private final Map<ObjectKey, EgressDraft> egressRules = new LinkedHashMap<>();
    private final Map<ObjectKey, LegacyName> legacyNames = new LinkedHashMap<>();
    private final List<ObjectOutcome> outcomes = new ArrayList<>();
    private int exportsAt = -1;

    void peer(PeerConfig peer) {
        peers.put(peer.peer(), peer);
    }

    /** A route other than an export's VIP (an egress source address). */
    void announce(Announcement announcement) {
        announcements.put(announcement.prefix(), announcement);
    }

    void egress(
            ObjectKey identity,
            IpAddress source,
            List<IpPrefix> destinations,
            List<IpAddress> podAddresses,
            List<PortRule> allowedPorts) {
        egressRules.put(identity, new EgressDraft(identity, source, destinations, podAddresses, allowedPorts));
    }

    void legacyName(LegacyName name) {
        legacyNames.put(name.service(), name);
    }

    void outcome(ObjectOutcome outcome) {
        outcomes.add(outcome);
    }

    /** The exports' outcomes go here, among the outcomes added so far and those added after. */
    void exportOutcomesHere() {
        exportsAt = outcomes.size();
    }

    /** The EgressIdentities with a rule, whose names take part in identity numbers. */
    Set<ObjectKey> egressIdentities() {
        return egressRules.keySet();
    }

    /** The plan: the exports' part as the pass left it, with everything added here. */
    Plan build(ExportResults exports) {
        var rules = new LinkedHashMap<ObjectKey, EgressRule>();
        egressRules
                .values()
                .forEach(r -> rules.put(
                        r.key(),
                        new EgressRule(
                                r.key(),
                                exports.egressIdentity(r.key()),
                                r.source(),
                                r.destinations(),
                                r.podAddresses(),
                                r.allowedPorts())));
        var routes = exports.announcements().edit();
        announcements.forEach(routes::put);
        int at = exportsAt < 0 ? outcomes.size() : exportsAt;
        var all = new ArrayList<ObjectOutcome>(
                outcomes.size() + exports.outcomes().size());
        all.addAll(outcomes.subList(0, at));
        all.addAll(exports.outcomes());
        all.addAll(outcomes.subList(at, outcomes.size()));
        return new Plan(peers, routes.build(), exports.translations(), rules, exports.exports(), legacyNames, all);
    }
}
