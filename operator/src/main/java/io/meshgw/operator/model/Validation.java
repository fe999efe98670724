package io.meshgw.operator.model;

import java.util.ArrayList;
import java.util.List;

/** The outcome of validating one resource: empty means valid. Immutable; combine with {@link #and}. */
public record Validation(List<Violation> violations) {
    public static final Validation OK = new Validation(List.of());

    public Validation {
        violations = List.copyOf(violations);
    }

    public static Validation of(String path, String message) {
        return new Validation(List.of(new Violation(path, message)));
    }

    public boolean isValid() {
        return violations.isEmpty();
    }

    public Validation and(Validation other) {
        if (other.isValid()) return this;
        if (isValid()) return other;
        var all = new ArrayList<>(violations);
        all.addAll(other.violations);
        return new Validation(all);
    }

    /** The violations as {@code path: message} lines, for a condition message or an admission response. */
    public List<String> messages() {
        return violations.stream().map(Violation::toString).toList();
    }
}
