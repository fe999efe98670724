package io.meshgw.gateway.bgp;

import io.meshgw.bgp.policy.Action;
import io.meshgw.bgp.policy.Condition;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.policy.PolicyRoute;
import io.meshgw.bgp.policy.PrefixList;
import io.meshgw.bgp.policy.PrefixListEntry;
import io.meshgw.bgp.policy.Statement;
import io.meshgw.operator.port.PolicyConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A BgpPolicy as the operator resolved it, in the speaker's policy language: statements in
 * order, all criteria of a statement must match, the first matching statement decides, and a
 * route no statement matches is rejected.
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

    /**
     * Routes this gateway originates: export policy sees the path as sent, so an originated route
     * has our own AS alone toward an eBGP peer and an empty path toward an iBGP one.
     */
    static Policy originatedOnly(long localAsn) {
        return new Policy(
                "originated-only",
                List.of(new Statement(
                        "originated",
                        List.of(Condition.AsPathMatches.of("^(" + localAsn + ")?$")),
                        List.of(),
                        Statement.Disposition.ACCEPT)),
                false);
    }

    private static List<Condition> conditions(String where, PolicyConfig.Match m) {
        List<Condition> out = new ArrayList<>();
        if (!m.prefixes().isEmpty()) {
            List<PrefixListEntry> entries = m.prefixes().stream()
                    .map(p -> PrefixListEntry.permit(p.prefix(), p.ge(), p.le()))
                    .toList();
            out.add(new Condition.InPrefixList(new PrefixList(where, entries)));
        }
        for (String c : m.communities()) {
            out.add(new Condition.HasCommunity(PolicyRoute.community(c)));
        }
        for (String lc : m.largeCommunities()) {
            out.add(new Condition.HasLargeCommunity(largeCommunity(lc)));
        }
        if (m.asPathRegex() != null && !m.asPathRegex().isBlank()) {
            out.add(Condition.AsPathMatches.of(m.asPathRegex()));
        }
        return out;
    }

    private static List<Action> actions(PolicyConfig.Actions a, long localAsn) {
        List<Action> out = new ArrayList<>();
        if (a.setLocalPref() != null) {
            out.add(new Action.SetLocalPref(a.setLocalPref()));
        }
        if (a.setMed() != null) {
            out.add(new Action.SetMed(a.setMed()));
        }
        if (!a.addCommunities().isEmpty()) {
            Set<Long> cs = new LinkedHashSet<>();
            a.addCommunities().forEach(c -> cs.add(PolicyRoute.community(c)));
            out.add(new Action.AddCommunities(cs));
        }
        if (a.prependAs() != null && a.prependAs() > 0) {
            out.add(new Action.PrependAs(localAsn, a.prependAs()));
        }
        return out;
    }

    /** RFC 8092 text form {@code global:local1:local2}. */
    static PolicyRoute.LargeCommunity largeCommunity(String text) {
        String[] p = text.split(":");
        if (p.length != 3) {
            throw new IllegalArgumentException("large community '" + text + "' is not global:local1:local2");
        }
        return new PolicyRoute.LargeCommunity(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]));
    }
}
