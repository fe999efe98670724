package io.meshgw.operator.plan;

import java.util.List;

/** A condition without its timestamps: the model decides type, status, reason and message; the writer adds time. */
public record ConditionState(String type, String status, String reason, String message) {
    public static final String READY = "Ready";
    public static final String CONFLICT = "Conflict";
    public static final String DEGRADED = "Degraded";

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    /**
     * Ready reason of an object refused for the namespace it is in or names (a BgpPeer outside the gateway's
     * namespace, an EgressIdentity selecting another namespace's pods or taking a pool's address the pool does not
     * allow it); the status writer also raises a Warning Event for it.
     */
    public static final String NAMESPACE_NOT_ALLOWED = "NamespaceNotAllowed";

    /** Reason for a condition that was not evaluated because an earlier step failed. */
    public static final String NOT_EVALUATED = "NotEvaluated";

    public static ConditionState of(String type, boolean status, String reason, String message) {
        return new ConditionState(type, status ? TRUE : FALSE, reason, message);
    }

    public static ConditionState ready(boolean status, String reason, String message) {
        return of(READY, status, reason, message);
    }

    public static ConditionState conflict(boolean status, String reason, String message) {
        return of(CONFLICT, status, reason, message);
    }

    public static ConditionState degraded(boolean status, String reason, String message) {
        return of(DEGRADED, status, reason, message);
    }

    public static ConditionState unknown(String type, String message) {
        return new ConditionState(type, UNKNOWN, NOT_EVALUATED, message);
    }

    /**
     * Ready, Conflict and Degraded of an object that failed validation: nothing else about it was looked at, and
     * nothing of it is applied.
     */
    public static List<ConditionState> invalid(String message) {
        return List.of(
                ready(false, "Invalid", message),
                unknown(CONFLICT, "not evaluated: invalid"),
                unknown(DEGRADED, "not applied"));
    }

    /**
     * Ready, Conflict and Degraded of a valid object that is not applied for {@code reason}. With {@code conflict}
     * the reason is another object or the mesh in the way (Conflict=True with the same reason); otherwise no conflict
     * was found before the step that stopped it.
     */
    public static List<ConditionState> notApplied(String reason, String message, boolean conflict) {
        return List.of(
                ready(false, reason, message),
                conflict ? conflict(true, reason, message) : conflict(false, "NoConflict", "no conflict found so far"),
                unknown(DEGRADED, "not applied"));
    }

    public boolean isTrue() {
        return TRUE.equals(status);
    }
}
