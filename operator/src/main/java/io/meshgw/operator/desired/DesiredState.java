package io.meshgw.operator.desired;

import io.meshgw.operator.port.Announcement;
import io.meshgw.operator.port.EgressRule;
import io.meshgw.operator.port.ExportedService;
import io.meshgw.operator.port.LegacyName;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerConfig;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.operator.port.ServiceTranslation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the gateway should have applied, and what each object's status should say. Maps are sorted by key so a pass
 * applies changes in a stable order.
 *
 * @param announcements by prefix
 * @param legacyNames one per valid LegacyService whose name no other Service holds, by the LegacyService's key
 */
public record DesiredState(
        Map<ObjectKey, PeerConfig> peers,
        Map<String, Announcement> announcements,
        Map<ObjectKey, ServiceTranslation> translations,
        Map<ObjectKey, EgressRule> egressRules,
        Map<ObjectKey, ExportedService> exports,
        Map<ObjectKey, LegacyName> legacyNames,
        List<ObjectOutcome> outcomes) {

    public DesiredState {
        peers = Collections.unmodifiableMap(new TreeMap<>(peers));
        announcements = Collections.unmodifiableMap(new TreeMap<>(announcements));
        translations = Collections.unmodifiableMap(new TreeMap<>(translations));
        egressRules = Collections.unmodifiableMap(new TreeMap<>(egressRules));
        exports = Collections.unmodifiableMap(new TreeMap<>(exports));
        legacyNames = Collections.unmodifiableMap(new TreeMap<>(legacyNames));
        outcomes = List.copyOf(outcomes);
    }

    public Optional<ObjectOutcome> outcome(ResourceRef ref) {
        return outcomes.stream().filter(o -> o.ref().equals(ref)).findFirst();
    }

    /** Planners add to this while the model runs; {@link #build} freezes it. */
    static final class Builder {
        private final Map<ObjectKey, PeerConfig> peers = new TreeMap<>();
        private final Map<String, Announcement> announcements = new TreeMap<>();
        private final Map<ObjectKey, ServiceTranslation> translations = new TreeMap<>();
        private final Map<ObjectKey, EgressRule> egressRules = new TreeMap<>();
        private final Map<ObjectKey, ExportedService> exports = new TreeMap<>();
        private final Map<ObjectKey, LegacyName> legacyNames = new TreeMap<>();
        private final List<ObjectOutcome> outcomes = new ArrayList<>();

        void peer(PeerConfig peer) {
            peers.put(peer.peer(), peer);
        }

        void announce(Announcement announcement) {
            announcements.put(announcement.prefix(), announcement);
        }

        void translation(ServiceTranslation translation) {
            translations.put(translation.service(), translation);
        }

        void egress(EgressRule rule) {
            egressRules.put(rule.identity(), rule);
        }

        void export(ExportedService service) {
            exports.put(service.service(), service);
        }

        void legacyName(LegacyName name) {
            legacyNames.put(name.service(), name);
        }

        void outcome(ObjectOutcome outcome) {
            outcomes.add(outcome);
        }

        DesiredState build() {
            return new DesiredState(peers, announcements, translations, egressRules, exports, legacyNames, outcomes);
        }
    }
}
