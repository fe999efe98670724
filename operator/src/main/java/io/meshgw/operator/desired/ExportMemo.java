package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.plan.Announcement;
import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.plan.ExportedService;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.types.ClusterId;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the last pass decided for each export, with what it read to decide it. An export whose inputs are the same
 * objects as last time (an informer cache hands out the same instance until the object changes) gets the same
 * decision without being planned again, so a pass over a large table costs a comparison per unchanged export. The
 * plan is the same as planning afresh: the memo only remembers, it never decides.
 */
final class ExportMemo {

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
                    && sameElements(slices, o.slices)
                    && sameElements(remotes, o.remotes)
                    && java.util.Objects.equals(allocation, o.allocation)
                    && java.util.Objects.equals(announcing, o.announcing)
                    && capabilities.equals(o.capabilities)
                    && localCluster.equals(o.localCluster);
        }

        private static boolean sameElements(List<?> a, List<?> b) {
            if (a.size() != b.size()) return false;
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i) != b.get(i)) return false;
            }
            return true;
        }
    }

    /** What planning the export put in the plan, in order, and its outcome. */
    record Decision(
            ObjectOutcome outcome,
            ExportedService export,
            PlanBuilder.TranslationDraft translation,
            Announcement announcement) {

        void replay(ExportSink out) {
            if (export != null) out.export(export);
            if (translation != null) out.translation(translation);
            if (announcement != null) out.announce(announcement);
        }
    }

    private record Entry(Inputs inputs, Decision decision) {}

    private Map<MeshServiceExport, Entry> last = new IdentityHashMap<>();
    private Map<MeshServiceExport, Entry> current = new IdentityHashMap<>();

    /** The decision of the last pass for these inputs, if it read the same ones. */
    Decision recall(Inputs inputs) {
        var entry = last.get(inputs.export());
        if (entry == null || !entry.inputs().same(inputs)) return null;
        current.put(inputs.export(), entry);
        return entry.decision();
    }

    void remember(Inputs inputs, Decision decision) {
        current.put(inputs.export(), new Entry(inputs, decision));
    }

    /** Ends a pass: what was not seen in it is forgotten. */
    void passed() {
        last = current;
        current = new IdentityHashMap<>();
    }

    /** A sink that records what one export's planning puts in the plan, and passes it on. */
    static final class Recording implements ExportSink {
        private final ExportSink out;
        private ExportedService export;
        private PlanBuilder.TranslationDraft translation;
        private Announcement announcement;

        Recording(ExportSink out) {
            this.out = out;
        }

        @Override
        public void export(ExportedService service) {
            export = service;
            out.export(service);
        }

        @Override
        public void translation(PlanBuilder.TranslationDraft draft) {
            translation = draft;
            out.translation(draft);
        }

        @Override
        public void announce(Announcement a) {
            announcement = a;
            out.announce(a);
        }

        Decision decision(ObjectOutcome outcome) {
            return new Decision(outcome, export, translation, announcement);
        }
    }
}
