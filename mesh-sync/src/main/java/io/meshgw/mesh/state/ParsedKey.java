package io.meshgw.mesh.state;

/** The outcome of parsing a key: decode failures are values, so a reader can count and log them. */
public sealed interface ParsedKey {

    record Valid(StateKey key) implements ParsedKey {}

    record Invalid(String text, String reason) implements ParsedKey {}
}
