package io.meshgw.mesh.wire;

/**
 * Thrown inside the decoder only, to unwind from deep in a value to {@link ValueCodec#decode},
 * which turns it into a {@link Decoded.Failed}. Without a stack trace: hostile input must be
 * cheap to reject.
 */
final class MalformedValue extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedValue(String message) {
        super(message, null, false, false);
    }
}
