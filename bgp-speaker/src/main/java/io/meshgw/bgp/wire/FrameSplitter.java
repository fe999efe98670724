package io.meshgw.bgp.wire;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts a TCP byte stream into whole BGP messages. Bytes arrive in arbitrary chunks; each complete
 * message is handed on as its own array. A header whose length field is impossible ends the
 * stream with the Message Header Error the session must send (RFC 4271 §6.1): after that, framing
 * is lost and nothing more can be read.
 */
public final class FrameSplitter {

    private CodecOptions options;
    private byte[] pending = new byte[0];
    private int pendingLength;
    private BgpError failed;

    public FrameSplitter(CodecOptions options) {
        this.options = options;
    }

    /**
     * The limits the session negotiated: from the OPEN exchange on, a message may be as long as
     * RFC 8654 extended messages allow, if both sides advertised them.
     */
    public void negotiated(CodecOptions negotiated) {
        this.options = negotiated;
    }

    /**
     * Takes {@code len} bytes; calls {@code message} for every complete message. Returns the
     * framing error once the stream is unusable, or null.
     */
    public BgpError feed(byte[] data, int off, int len, Consumer<byte[]> message) {
        if (failed != null) {
            return failed;
        }
        append(data, off, len);
        int pos = 0;
        while (pendingLength - pos >= MessageDecoder.HEADER_LENGTH) {
            int declared = ((pending[pos + 16] & 0xFF) << 8) | (pending[pos + 17] & 0xFF);
            if (declared < MessageDecoder.HEADER_LENGTH || declared > options.maxMessageLength()) {
                failed = MessageDecoder.checkHeader(pending, pos, declared, options);
                if (failed == null) { // marker fine but the length is impossible
                    failed = BgpError.reset(
                            Notification.MESSAGE_HEADER_ERROR,
                            Notification.HEADER_BAD_MESSAGE_LENGTH,
                            MessageDecoder.lengthData(declared),
                            "length field " + declared);
                }
                return failed;
            }
            if (pendingLength - pos < declared) {
                break;
            }
            message.accept(Arrays.copyOfRange(pending, pos, pos + declared));
            pos += declared;
        }
        System.arraycopy(pending, pos, pending, 0, pendingLength - pos);
        pendingLength -= pos;
        return null;
    }

    /** Bytes held while waiting for the rest of a message. */
    public int buffered() {
        return pendingLength;
    }

    private void append(byte[] data, int off, int len) {
        if (pendingLength + len > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pendingLength + len, pending.length * 2));
        }
        System.arraycopy(data, off, pending, pendingLength, len);
        pendingLength += len;
    }
}
