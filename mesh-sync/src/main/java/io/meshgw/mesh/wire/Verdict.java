package io.meshgw.mesh.wire;

/** What the {@link Validator} says about a record. */
public sealed interface Verdict {

    record Accepted(ValidRecord record) implements Verdict {}

    /** Never applied; counted and logged with the record's topic and offset. */
    record Rejected(String reason) implements Verdict {}
}
