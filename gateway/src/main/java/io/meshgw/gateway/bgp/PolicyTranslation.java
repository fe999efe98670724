package io.meshgw.gateway.bgp;

import io.meshgw.bgp.policy.Action;
import io.meshgw.bgp.policy.Condition;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.policy.PolicyRoute;
import io.meshgw.bgp.policy.PrefixList;
import io.meshgw.bgp.policy.PrefixListEntry;
import io.meshgw.bgp.policy.RoutePrefix;
import io.meshgw.bgp.policy.Statement;
import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.PolicyConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A BgpPolicy of the plan in the speaker's policy language: statements in order, all criteria of a statement must
 * match, the first matching statement decides, and a route no statement matches is rejected.
 */
final class PolicyTranslation {

    private PolicyTranslation() {}

    static Policy of(PolicyConfig config, long localAsn) {
        List<Statement> statements = new ArrayList<>();
        for (PolicyConfig.Statement s : config.statements()) {
            statements.add(new Statement(
                    s.name(),
                    conditions(config.policy() + "/" + s.name(), s.match()),
                    actions(s.actions(), localAsn),
                    s.actions().accept() ? Statement.Disposition.ACCEPT : Statement.Disposition.REJECT));
        }
        return new Policy(config.policy().toString(), statements, false);
    }

    private static List<Condition> conditions(String where, PolicyConfig.Match m) {
        List<Condition> out = new ArrayList<>();
        if (!m.prefixes().isEmpty()) {
            List<PrefixListEntry> entries = m.prefixes().stream()
                    .map(p -> new PrefixListEntry(
                            true,
                            new RoutePrefix(
                                    p.prefix().address().toBytes(), p.prefix().length()),
                            p.ge(),
                            p.le()))
                    .toList();
            out.add(new Condition.InPrefixList(new PrefixList(where, entries)));
        }
        for (Community c : m.communities()) {
            out.add(new Condition.HasCommunity(c.value()));
        }
        for (var lc : m.largeCommunities()) {
            out.add(new Condition.HasLargeCommunity(
                    new PolicyRoute.LargeCommunity(lc.global(), lc.local1(), lc.local2())));
        }
        m.asPathRegex().filter(r -> !r.isBlank()).ifPresent(r -> out.add(Condition.AsPathMatches.of(r)));
        return out;
    }

    private static List<Action> actions(PolicyConfig.Actions a, long localAsn) {
        List<Action> out = new ArrayList<>();
        a.setLocalPref().ifPresent(v -> out.add(new Action.SetLocalPref(v)));
        a.setMed().ifPresent(v -> out.add(new Action.SetMed(v)));
        if (!a.addCommunities().isEmpty()) {
            Set<Long> cs = new LinkedHashSet<>();
            a.addCommunities().forEach(c -> cs.add(c.value()));
            out.add(new Action.AddCommunities(cs));
        }
        a.prependAs().ifPresent(n -> {
            if (n > 0) {
                out.add(new Action.PrependAs(localAsn, n));
            }
        });
        return out;
    }
}
