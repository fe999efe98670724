package io.meshgw.operator.desired;

import io.meshgw.operator.plan.Announcement;
import io.meshgw.operator.plan.ExportedService;

/** Where the planning of one export puts what it decided: the plan being built, or a recording of it. */
interface ExportSink {
    void export(ExportedService service);

    void translation(PlanBuilder.TranslationDraft draft);

    void announce(Announcement announcement);
}
