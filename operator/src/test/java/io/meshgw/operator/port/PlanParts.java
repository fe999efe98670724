package io.meshgw.operator.port;

import io.meshgw.operator.plan.Announcement;
import io.meshgw.operator.plan.EgressRule;
import io.meshgw.operator.plan.ExportedService;
import io.meshgw.operator.plan.PeerConfig;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.Translation;
import io.meshgw.types.IpPrefix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A plan made of only the parts a port contract hands over, in the order they are given; no outcomes. */
public final class PlanParts {
    private final Map<ObjectKey, PeerConfig> peers = new LinkedHashMap<>();
    private final Map<IpPrefix, Announcement> announcements = new LinkedHashMap<>();
    private final Map<ObjectKey, Translation> translations = new LinkedHashMap<>();
    private final Map<ObjectKey, EgressRule> egress = new LinkedHashMap<>();
    private final Map<ObjectKey, ExportedService> exports = new LinkedHashMap<>();

    public PlanParts peers(PeerConfig... all) {
        for (var p : all) peers.put(p.peer(), p);
        return this;
    }

    public PlanParts announcements(Announcement... all) {
        for (var a : all) announcements.put(a.prefix(), a);
        return this;
    }

    public PlanParts translations(Translation... all) {
        for (var t : all) translations.put(t.service(), t);
        return this;
    }

    public PlanParts egress(EgressRule... all) {
        for (var r : all) egress.put(r.key(), r);
        return this;
    }

    public PlanParts exports(ExportedService... all) {
        for (var e : all) exports.put(e.service(), e);
        return this;
    }

    public Plan plan() {
        return new Plan(
                new LinkedHashMap<>(peers),
                new LinkedHashMap<>(announcements),
                new LinkedHashMap<>(translations),
                new LinkedHashMap<>(egress),
                new LinkedHashMap<>(exports),
                Map.of(),
                List.of());
    }
}
