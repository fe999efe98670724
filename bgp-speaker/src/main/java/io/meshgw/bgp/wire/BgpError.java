package io.meshgw.bgp.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A decoding failure as a value (never an exception): the NOTIFICATION code, subcode and data the
 * RFC names, and how the session must react (RFC 7606 §2).
 *
 * @param attribute the path attribute type the error is about, 0 when it is about no single attribute
 */
public record BgpError(int code, int subcode, byte[] data, Handling handling, String reason, int attribute) {

    /** The reactions of RFC 7606 §2, from the mildest. */
    public enum Handling {
        /** Drop the malformed attribute, keep the route. */
        ATTRIBUTE_DISCARD,
        /** Treat the UPDATE's NLRI as withdrawn. */
        TREAT_AS_WITHDRAW,
        /** Stop using the address family for this session. */
        AFI_SAFI_DISABLE,
        /** Send the NOTIFICATION and reset the session. */
        SESSION_RESET
    }

    // The codes the decoder reports; the numbers are defined once, in Notification.
    public static final int MESSAGE_HEADER_ERROR = Notification.MESSAGE_HEADER_ERROR;
    public static final int OPEN_MESSAGE_ERROR = Notification.OPEN_MESSAGE_ERROR;
    public static final int UPDATE_MESSAGE_ERROR = Notification.UPDATE_MESSAGE_ERROR;
    public static final int CEASE = Notification.CEASE;
    public static final int ROUTE_REFRESH_MESSAGE_ERROR = Notification.ROUTE_REFRESH_MESSAGE_ERROR;

    public BgpError {
        data = data.clone();
    }

    public BgpError(int code, int subcode, byte[] data, Handling handling, String reason) {
        this(code, subcode, data, handling, reason, 0);
    }

    /** This error, said to be about attribute {@code type}. */
    BgpError about(int type) {
        return new BgpError(code, subcode, data, handling, reason, type);
    }

    static BgpError reset(int code, int subcode, byte[] data, String reason) {
        return new BgpError(code, subcode, data, Handling.SESSION_RESET, reason);
    }

    static BgpError withdraw(int subcode, String reason) {
        return new BgpError(UPDATE_MESSAGE_ERROR, subcode, new byte[0], Handling.TREAT_AS_WITHDRAW, reason);
    }

    static BgpError discard(int subcode, String reason) {
        return new BgpError(UPDATE_MESSAGE_ERROR, subcode, new byte[0], Handling.ATTRIBUTE_DISCARD, reason);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BgpError e
                && e.code == code
                && e.subcode == subcode
                && e.handling == handling
                && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return ((code * 31 + subcode) * 31 + handling.hashCode()) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return handling + " " + code + "/" + subcode + " (" + reason + ")"
                + (attribute == 0 ? "" : " attribute=" + AttributeScreen.name(attribute))
                + (data.length == 0 ? "" : " data=" + HexFormat.of().formatHex(data));
    }
}
