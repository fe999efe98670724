package io.meshgw.bgp.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/** NOTIFICATION (RFC 4271 §4.5). */
public record Notification(int code, int subcode, byte[] data) implements BgpMessage {

    /** Cease subcodes that carry a shutdown communication (RFC 9003 §2). */
    public static final int CEASE_ADMIN_SHUTDOWN = 2;

    public static final int CEASE_ADMIN_RESET = 4;

    public Notification {
        data = data.clone();
    }

    /**
     * A Cease with a shutdown communication (RFC 9003): a length octet then UTF-8 text of at
     * most 255 octets, so an operator's reason reaches the peer's log.
     */
    public static Notification shutdown(int ceaseSubcode, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        if (text.length > 255) {
            throw new IllegalArgumentException("shutdown communication is " + text.length + " bytes; at most 255");
        }
        byte[] data = new byte[1 + text.length];
        data[0] = (byte) text.length;
        System.arraycopy(text, 0, data, 1, text.length);
        return new Notification(BgpError.CEASE, ceaseSubcode, data);
    }

    /** The RFC 9003 shutdown communication, when this is such a Cease and it is well formed. */
    public Optional<String> shutdownCommunication() {
        if (code != BgpError.CEASE || (subcode != CEASE_ADMIN_SHUTDOWN && subcode != CEASE_ADMIN_RESET)) {
            return Optional.empty();
        }
        if (data.length == 0 || (data[0] & 0xFF) != data.length - 1) {
            return Optional.empty(); // RFC 9003 §4: a bad length means there is no message
        }
        return Optional.of(new String(data, 1, data.length - 1, StandardCharsets.UTF_8));
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public int type() {
        return NOTIFICATION;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Notification n && n.code == code && n.subcode == subcode && Arrays.equals(n.data, data);
    }

    @Override
    public int hashCode() {
        return (code * 31 + subcode) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Notification[" + code + "/" + subcode + " " + HexFormat.of().formatHex(data) + "]";
    }
}
