package io.meshgw.bgp.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/** NOTIFICATION (RFC 4271 §4.5). */
public record Notification(int code, int subcode, byte[] data) implements BgpMessage {

    // Error codes (RFC 4271 §4.5; 7 from RFC 7313 §5).
    public static final int MESSAGE_HEADER_ERROR = 1;
    public static final int OPEN_MESSAGE_ERROR = 2;
    public static final int UPDATE_MESSAGE_ERROR = 3;
    public static final int HOLD_TIMER_EXPIRED = 4;
    public static final int FSM_ERROR = 5;
    public static final int CEASE = 6;
    public static final int ROUTE_REFRESH_MESSAGE_ERROR = 7;
    /** RFC 9687 §5: we could not send for the SendHoldTime. */
    public static final int SEND_HOLD_TIMER_EXPIRED = 8;

    /** The subcode of every code when no specific one applies (RFC 4271 §4.5: "Unspecific"). */
    public static final int UNSPECIFIC = 0;

    // Message Header Error subcodes (RFC 4271 §6.1).
    public static final int HEADER_CONNECTION_NOT_SYNCHRONIZED = 1;
    public static final int HEADER_BAD_MESSAGE_LENGTH = 2;
    public static final int HEADER_BAD_MESSAGE_TYPE = 3;

    // OPEN Message Error subcodes (RFC 4271 §6.2; 7 from RFC 5492 §5).
    public static final int OPEN_UNSUPPORTED_VERSION_NUMBER = 1;
    public static final int OPEN_BAD_PEER_AS = 2;
    public static final int OPEN_BAD_BGP_IDENTIFIER = 3;
    public static final int OPEN_UNSUPPORTED_OPTIONAL_PARAMETER = 4;
    public static final int OPEN_UNACCEPTABLE_HOLD_TIME = 6;
    public static final int OPEN_UNSUPPORTED_CAPABILITY = 7;
    /** RFC 9234 §4.2. */
    public static final int OPEN_ROLE_MISMATCH = 11;

    // UPDATE Message Error subcodes (RFC 4271 §6.3).
    public static final int UPDATE_MALFORMED_ATTRIBUTE_LIST = 1;
    public static final int UPDATE_UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE = 2;
    public static final int UPDATE_MISSING_WELL_KNOWN_ATTRIBUTE = 3;
    public static final int UPDATE_ATTRIBUTE_FLAGS_ERROR = 4;
    public static final int UPDATE_ATTRIBUTE_LENGTH_ERROR = 5;
    public static final int UPDATE_INVALID_ORIGIN_ATTRIBUTE = 6;
    public static final int UPDATE_INVALID_NEXT_HOP_ATTRIBUTE = 8;
    public static final int UPDATE_OPTIONAL_ATTRIBUTE_ERROR = 9;
    public static final int UPDATE_INVALID_NETWORK_FIELD = 10;
    public static final int UPDATE_MALFORMED_AS_PATH = 11;

    // Finite State Machine Error subcodes: the state the unexpected message arrived in (RFC 6608 §4).
    public static final int FSM_UNEXPECTED_IN_OPEN_SENT = 1;
    public static final int FSM_UNEXPECTED_IN_OPEN_CONFIRM = 2;
    public static final int FSM_UNEXPECTED_IN_ESTABLISHED = 3;

    // Cease subcodes (RFC 4486 §4; 9 from RFC 8538 §3). 2 and 4 may carry a shutdown
    // communication (RFC 9003 §2).
    public static final int CEASE_MAX_PREFIXES = 1;
    public static final int CEASE_ADMIN_SHUTDOWN = 2;
    public static final int CEASE_PEER_DECONFIGURED = 3;
    public static final int CEASE_ADMIN_RESET = 4;
    public static final int CEASE_CONNECTION_REJECTED = 5;
    public static final int CEASE_OTHER_CONFIGURATION_CHANGE = 6;
    public static final int CEASE_CONNECTION_COLLISION = 7;
    public static final int CEASE_OUT_OF_RESOURCES = 8;
    public static final int CEASE_HARD_RESET = 9;

    // ROUTE-REFRESH Message Error subcodes (RFC 7313 §5).
    public static final int ROUTE_REFRESH_INVALID_MESSAGE_LENGTH = 1;

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
        return new Notification(CEASE, ceaseSubcode, data);
    }

    /** The RFC 9003 shutdown communication, when this is such a Cease and it is well formed. */
    public Optional<String> shutdownCommunication() {
        if (code != CEASE || (subcode != CEASE_ADMIN_SHUTDOWN && subcode != CEASE_ADMIN_RESET)) {
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
