package io.meshgw.bgp.policy;

import java.util.List;

/**
 * One policy term: if every condition holds, apply the actions, then accept, reject, or go on
 * to the next statement with the rewritten route.
 */
public record Statement(String name, List<Condition> conditions, List<Action> actions, Disposition disposition) {

    /** What happens after a statement matched. */
    public enum Disposition {
        ACCEPT,
        REJECT,
        NEXT
    }

    public Statement {
        conditions = List.copyOf(conditions);
        actions = List.copyOf(actions);
    }

    boolean matches(PolicyRoute r) {
        for (Condition c : conditions) {
            if (!c.test(r)) {
                return false;
            }
        }
        return true;
    }
}
