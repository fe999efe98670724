package io.meshgw.mesh.wire;

/** The outcome of decoding untrusted bytes: a value or the reason it is not one. Never thrown. */
public sealed interface Decoded<T> {

    record Ok<T>(T value) implements Decoded<T> {}

    record Failed<T>(String reason) implements Decoded<T> {}
}
