package io.meshgw.gateway.control;

import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.Plan;
import java.util.ArrayList;
import java.util.List;

/** In standalone mode there is no status subresource: what was not applied as asked goes to the log. */
final class OutcomeReport {

    private OutcomeReport() {}

    /** One line per object that is not Ready, or Ready but degraded or in conflict; empty when all is well. */
    static String of(Plan state) {
        List<String> lines = new ArrayList<>();
        for (ObjectOutcome o : state.outcomes()) {
            if (o.ready() && !o.degraded() && !o.conflict()) {
                continue;
            }
            String status = !o.ready() ? "not ready" : o.conflict() ? "conflict" : "degraded";
            lines.add("  " + o.ref() + ": " + status + " (" + o.reason() + "): " + o.message());
        }
        lines.sort(null);
        return String.join("\n", lines);
    }
}
