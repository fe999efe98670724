package io.meshgw.operator.model;

/** One rule broken by one field, e.g. {@code spec.peerAsn: 0 is not a valid ASN (1..4294967295)}. */
public record Violation(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
