package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.plan.Announcement;
import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.plan.ChunkedMap;
import io.meshgw.operator.plan.ExportedService;
import io.meshgw.operator.plan.IdentityNumbers;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.Translation;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.types.ClusterId;
import io.meshgw.types.IpPrefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The exports' part of the plan, kept from one pass to the next: what was decided for each export, with what was
 * read to decide it, and what those decisions put in the plan (mesh exports, translations, VIP routes, outcomes). A
 * pass gives the exports whose inputs may have changed; each is planned again unless it read the same things, and
 * only its entries of the plan's maps change, so the maps of the next plan share everything else with this one
 * ({@link ChunkedMap}). The result is always the plan of planning every export afresh: this class only remembers, it
 * never decides.
 */
final class ExportResults {

    /**
     * Everything planning one export reads. Objects compare by identity (a changed object is a new instance),
     * values by equality.
     */
    record Inputs(
            MeshServiceExport export,
            Service service,
            List<EndpointSlice> slices,
            List<RemoteExport> remotes,
            Allocation allocation,
            PoolPlanner.Announcing announcing,
            Capabilities capabilities,
            ClusterId localCluster) {

        boolean same(Inputs o) {
            return export == o.export
                    && service == o.service
                    && ListChanges.sameInstances(slices, o.slices)
                    && ListChanges.sameInstances(remotes, o.remotes)
                    && Objects.equals(allocation, o.allocation)
                    && Objects.equals(announcing, o.announcing)
                    && capabilities.equals(o.capabilities)
                    && localCluster.equals(o.localCluster);
        }
    }

    /** What planning one export put in the plan, and its outcome. */
    record Decision(
            ObjectOutcome outcome,
            ExportedService export,
            PlanBuilder.TranslationDraft translation,
            Announcement announcement) {}

    private record Entry(ObjectKey key, Inputs inputs, Decision decision) {}

    private final Map<ObjectKey, Entry> entries = new HashMap<>();
    private ChunkedMap<ObjectKey, ExportedService> exports = ChunkedMap.of();
    private ChunkedMap<ObjectKey, PlanBuilder.TranslationDraft> drafts = ChunkedMap.of();
    private ChunkedMap<ObjectKey, Translation> translations = ChunkedMap.of();
    private ChunkedMap<IpPrefix, Announcement> announcements = ChunkedMap.of();
    private ObjectOutcome[] outcomes = new ObjectOutcome[0];
    private Map<String, Integer> identities = Map.of();
    private Set<ObjectKey> identityNamesOfEgress = Set.of();

    /** One pass's changes, applied to the maps at {@link #end}. */
    final class Pass {
        private final List<Entry> gone = new ArrayList<>();
        private final List<Entry> came = new ArrayList<>();
        private final List<ObjectKey> decided = new ArrayList<>();

        /** The decision of the last pass for this export, if it read the same inputs. */
        boolean unchanged(ObjectKey key, Inputs inputs) {
            var entry = entries.get(key);
            return entry != null && entry.inputs().same(inputs);
        }

        /** The export of this Service is no longer live: what it put in the plan goes. */
        void gone(ObjectKey key) {
            var old = entries.remove(key);
            if (old != null) {
                gone.add(old);
            }
        }

        void decided(ObjectKey key, Inputs inputs, Decision decision) {
            var entry = new Entry(key, inputs, decision);
            var old = entries.put(key, entry);
            if (old != null) {
                gone.add(old);
            }
            came.add(entry);
            decided.add(key);
        }

        /**
         * Applies the pass to the maps: what the old decisions put and the new ones do not goes first, so a VIP that
         * moves from one export to another in one pass stays announced.
         *
         * @param inputs the live exports oldest first, to lay the outcomes out in
         * @param reordered the live exports are another list than the last pass's, so every outcome moves
         * @param egressIdentities the EgressIdentities of the pass, whose names take part in identity numbers
         */
        void end(ExportInputs inputs, boolean reordered, Set<ObjectKey> egressIdentities) {
            var exportEdit = exports.edit();
            var draftEdit = drafts.edit();
            var routeEdit = announcements.edit();
            for (var old : gone) {
                exportEdit.remove(old.key());
                draftEdit.remove(old.key());
                var a = old.decision().announcement();
                if (a != null && a.equals(routeEdit.get(a.prefix()))) {
                    routeEdit.remove(a.prefix());
                }
            }
            for (var now : came) {
                var d = now.decision();
                if (d.export() != null) exportEdit.put(now.key(), d.export());
                if (d.translation() != null) draftEdit.put(now.key(), d.translation());
                if (d.announcement() != null) routeEdit.put(d.announcement().prefix(), d.announcement());
            }
            int translatedBefore = drafts.size();
            var draftsBefore = drafts;
            exports = exportEdit.build();
            drafts = draftEdit.build();
            announcements = routeEdit.build();
            translate(draftsBefore, translatedBefore, egressIdentities);
            layOut(inputs, reordered);
        }

        /**
         * Identity numbers depend on the set of every identity's name, so they are assigned again only when that set
         * changed; then every translation whose number moved is rebuilt.
         */
        private void translate(
                ChunkedMap<ObjectKey, PlanBuilder.TranslationDraft> before,
                int sizeBefore,
                Set<ObjectKey> egressIdentities) {
            boolean namesChanged = !egressIdentities.equals(identityNamesOfEgress) || drafts.size() != sizeBefore;
            if (!namesChanged) {
                var changedKeys = new boolean[] {false};
                ChunkedMap.diff(before, drafts, (key, was, now) -> changedKeys[0] |= was == null || now == null);
                namesChanged = changedKeys[0];
            }
            var edit = translations.edit();
            if (namesChanged) {
                var names = new java.util.HashSet<String>(drafts.size() * 2);
                drafts.forEach((key, draft) -> names.add(IdentityNumbers.service(key)));
                egressIdentities.forEach(key -> names.add(IdentityNumbers.egress(key)));
                identities = IdentityNumbers.assign(names);
                identityNamesOfEgress = Set.copyOf(egressIdentities);
                translations.forEach((key, t) -> {
                    if (!drafts.containsKey(key)) edit.remove(key);
                });
                drafts.forEach((key, draft) -> edit.put(key, translation(draft, before.get(key), edit.get(key))));
            } else {
                ChunkedMap.diff(before, drafts, (key, was, now) -> {
                    if (now == null) {
                        edit.remove(key);
                    } else {
                        edit.put(key, translation(now, was, edit.get(key)));
                    }
                });
            }
            translations = edit.build();
        }

        /** A draft kept from the last pass, with the same number, keeps its Translation: adapters see it unchanged. */
        private Translation translation(
                PlanBuilder.TranslationDraft draft, PlanBuilder.TranslationDraft draftBefore, Translation before) {
            int identity = identities.get(IdentityNumbers.service(draft.service()));
            if (before != null && draftBefore == draft && before.identity() == identity) {
                return before;
            }
            return new Translation(draft.service(), draft.vip(), identity, draft.ports());
        }

        private void layOut(ExportInputs inputs, boolean reordered) {
            if (reordered || outcomes.length != inputs.live().size()) {
                var live = inputs.live();
                outcomes = new ObjectOutcome[live.size()];
                for (int i = 0; i < live.size(); i++) {
                    outcomes[i] =
                            entries.get(Metadata.key(live.get(i))).decision().outcome();
                }
                return;
            }
            if (decided.isEmpty()) {
                return;
            }
            outcomes = Arrays.copyOf(outcomes, outcomes.length);
            for (var key : decided) {
                outcomes[inputs.position(key)] = entries.get(key).decision().outcome();
            }
        }
    }

    Pass begin() {
        return new Pass();
    }

    /** The exports planned, the ones already planned for a key and not yet gone included. */
    Set<ObjectKey> planned() {
        return java.util.Collections.unmodifiableSet(entries.keySet());
    }

    ChunkedMap<ObjectKey, ExportedService> exports() {
        return exports;
    }

    ChunkedMap<ObjectKey, Translation> translations() {
        return translations;
    }

    ChunkedMap<IpPrefix, Announcement> announcements() {
        return announcements;
    }

    /** The exports' outcomes, oldest export first. */
    List<ObjectOutcome> outcomes() {
        return Arrays.asList(outcomes);
    }

    /** The identity number of an EgressIdentity, from the same assignment as the translations'. */
    int egressIdentity(ObjectKey identity) {
        return identities.get(IdentityNumbers.egress(identity));
    }

    /** A sink that records what one export's planning decided. */
    static final class Recording implements ExportSink {
        private ExportedService export;
        private PlanBuilder.TranslationDraft translation;
        private Announcement announcement;

        @Override
        public void export(ExportedService service) {
            export = service;
        }

        @Override
        public void translation(PlanBuilder.TranslationDraft draft) {
            translation = draft;
        }

        @Override
        public void announce(Announcement a) {
            announcement = a;
        }

        Decision decision(ObjectOutcome outcome) {
            return new Decision(outcome, export, translation, announcement);
        }
    }
}
