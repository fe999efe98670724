package io.meshgw.bgp.policy;

import java.util.List;
import java.util.Optional;

/**
 * An import or export policy: statements in order; the first matching ACCEPT or REJECT ends the
 * evaluation; if none does, the default disposition applies to the route as rewritten so far.
 */
public record Policy(String name, List<Statement> statements, boolean acceptByDefault) {

    public Policy {
        statements = List.copyOf(statements);
    }

    /** Accepts every route unchanged. */
    public static Policy acceptAll() {
        return new Policy("accept-all", List.of(), true);
    }

    /** Rejects every route: the safe export default toward an eBGP peer (RFC 8212). */
    public static Policy rejectAll() {
        return new Policy("reject-all", List.of(), false);
    }

    /**
     * Accepts the routes this speaker originates and rejects every route it learned, whatever its AS path: an iBGP
     * neighbor's own routes arrive with an empty path, exactly like ours, and must not be passed on as ours.
     */
    public static Policy originatedOnly() {
        return new Policy(
                "originated-only",
                List.of(new Statement(
                        "originated-locally",
                        List.of(new Condition.OriginatedLocally()),
                        List.of(),
                        Statement.Disposition.ACCEPT)),
                false);
    }

    /** True when the outcome does not depend on the route: no statements, only the default. */
    public boolean unconditional() {
        return statements.isEmpty();
    }

    /** The route to keep (possibly rewritten), or empty when the policy rejects it. */
    public Optional<PolicyRoute> evaluate(PolicyRoute route) {
        PolicyRoute r = route;
        for (Statement s : statements) {
            if (!s.matches(r)) {
                continue;
            }
            for (Action a : s.actions()) {
                r = a.apply(r);
            }
            switch (s.disposition()) {
                case ACCEPT -> {
                    return Optional.of(r);
                }
                case REJECT -> {
                    return Optional.empty();
                }
                case NEXT -> {}
            }
        }
        return acceptByDefault ? Optional.of(r) : Optional.empty();
    }
}
