package io.meshgw.bgp.wire;

import static io.meshgw.bgp.wire.Notification.HEADER_BAD_MESSAGE_LENGTH;
import static io.meshgw.bgp.wire.Notification.HEADER_BAD_MESSAGE_TYPE;
import static io.meshgw.bgp.wire.Notification.HEADER_CONNECTION_NOT_SYNCHRONIZED;
import static io.meshgw.bgp.wire.Notification.MESSAGE_HEADER_ERROR;
import static io.meshgw.bgp.wire.Notification.OPEN_BAD_BGP_IDENTIFIER;
import static io.meshgw.bgp.wire.Notification.OPEN_MESSAGE_ERROR;
import static io.meshgw.bgp.wire.Notification.OPEN_UNACCEPTABLE_HOLD_TIME;
import static io.meshgw.bgp.wire.Notification.OPEN_UNSUPPORTED_OPTIONAL_PARAMETER;
import static io.meshgw.bgp.wire.Notification.OPEN_UNSUPPORTED_VERSION_NUMBER;
import static io.meshgw.bgp.wire.Notification.ROUTE_REFRESH_INVALID_MESSAGE_LENGTH;
import static io.meshgw.bgp.wire.Notification.ROUTE_REFRESH_MESSAGE_ERROR;
import static io.meshgw.bgp.wire.Notification.UNSPECIFIC;

import io.meshgw.bgp.wire.Capability.GracefulRestart;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one whole BGP message. Every outcome is a value: malformed input yields a {@link
 * BgpError} with the NOTIFICATION the RFCs name, never an exception.
 */
public final class MessageDecoder {

    public static final int HEADER_LENGTH = 19;

    private MessageDecoder() {}

    /** Decodes {@code len} bytes at {@code off}: a complete message including its header. */
    public static DecodeResult decode(byte[] buf, int off, int len, CodecOptions options) {
        try {
            return decodeChecked(buf, off, len, options);
        } catch (RuntimeException unexpected) {
            // A bug must not take the session down with a stack trace; it resets like any malformed message.
            return new DecodeResult.Failed(
                    BgpError.reset(MESSAGE_HEADER_ERROR, UNSPECIFIC, new byte[0], "decoder failure: " + unexpected));
        }
    }

    public static DecodeResult decode(byte[] message, CodecOptions options) {
        return decode(message, 0, message.length, options);
    }

    private static DecodeResult decodeChecked(byte[] buf, int off, int len, CodecOptions options) {
        BgpError header = checkHeader(buf, off, len, options);
        if (header != null) {
            return new DecodeResult.Failed(header);
        }
        int type = buf[off + 18] & 0xFF;
        WireReader body = new WireReader(buf, off + HEADER_LENGTH, len - HEADER_LENGTH);
        return switch (type) {
            case BgpMessage.OPEN -> decodeOpen(body, len);
            case BgpMessage.UPDATE -> UpdateDecoder.decode(body, options);
            case BgpMessage.NOTIFICATION ->
                len < 21 ? badLength(len) : ok(new Notification(body.u8(), body.u8(), body.bytes(body.remaining())));
            case BgpMessage.KEEPALIVE -> len != HEADER_LENGTH ? badLength(len) : ok(new Keepalive());
            case BgpMessage.ROUTE_REFRESH -> decodeRouteRefresh(body, len);
            default ->
                // RFC 4271 §6.1: unknown type -> Bad Message Type, data = the type octet
                new DecodeResult.Failed(BgpError.reset(
                        MESSAGE_HEADER_ERROR,
                        HEADER_BAD_MESSAGE_TYPE,
                        new byte[] {(byte) type},
                        "message type " + type));
        };
    }

    /** RFC 4271 §6.1 header checks; null when the header is fine. */
    static BgpError checkHeader(byte[] buf, int off, int len, CodecOptions options) {
        if (len < HEADER_LENGTH) {
            return BgpError.reset(
                    MESSAGE_HEADER_ERROR, HEADER_BAD_MESSAGE_LENGTH, lengthData(len), "message of " + len + " bytes");
        }
        for (int i = 0; i < 16; i++) {
            if (buf[off + i] != (byte) 0xFF) {
                // RFC 4271 §6.1: the marker must be all ones -> Connection Not Synchronized
                return BgpError.reset(
                        MESSAGE_HEADER_ERROR,
                        HEADER_CONNECTION_NOT_SYNCHRONIZED,
                        new byte[0],
                        "marker is not all ones");
            }
        }
        int declared = ((buf[off + 16] & 0xFF) << 8) | (buf[off + 17] & 0xFF);
        if (declared < HEADER_LENGTH || declared > options.maxMessageLength() || declared != len) {
            // RFC 4271 §6.1 / RFC 8654 §4: Bad Message Length, data = the erroneous length field
            return BgpError.reset(
                    MESSAGE_HEADER_ERROR,
                    HEADER_BAD_MESSAGE_LENGTH,
                    lengthData(declared),
                    "length field " + declared + " for " + len + " bytes");
        }
        return null;
    }

    private static DecodeResult decodeOpen(WireReader r, int len) {
        if (len < 29) {
            return badLength(len);
        }
        int version = r.u8();
        if (version != 4) {
            // RFC 4271 §6.2: Unsupported Version Number, data = the largest version we support
            return fail(
                    OPEN_MESSAGE_ERROR, OPEN_UNSUPPORTED_VERSION_NUMBER, new byte[] {0, 4}, "BGP version " + version);
        }
        int myAs = r.u16();
        int hold = r.u16();
        long id = r.u32();
        if (hold == 1 || hold == 2) {
            // RFC 4271 §6.2: hold time must be 0 or at least 3 s
            return fail(OPEN_MESSAGE_ERROR, OPEN_UNACCEPTABLE_HOLD_TIME, new byte[0], "hold time " + hold);
        }
        if (id == 0) {
            return fail(OPEN_MESSAGE_ERROR, OPEN_BAD_BGP_IDENTIFIER, new byte[0], "BGP identifier 0.0.0.0");
        }
        int paramsLen = r.u8();
        boolean extended = false;
        if (paramsLen == 255 && r.remaining() >= 3 && r.peekU8() == 255) {
            // RFC 9072 §2: extended optional parameters length
            r.u8();
            paramsLen = r.u16();
            extended = true;
        }
        if (paramsLen != r.remaining()) {
            return fail(
                    OPEN_MESSAGE_ERROR,
                    UNSPECIFIC,
                    new byte[0],
                    "optional parameters length " + paramsLen + " but " + r.remaining() + " bytes follow");
        }
        List<Capability> caps = new ArrayList<>();
        while (r.remaining() > 0) {
            int needed = extended ? 3 : 2;
            if (r.remaining() < needed) {
                return fail(OPEN_MESSAGE_ERROR, UNSPECIFIC, new byte[0], "truncated optional parameter header");
            }
            int ptype = r.u8();
            int plen = extended ? r.u16() : r.u8();
            if (plen > r.remaining()) {
                return fail(OPEN_MESSAGE_ERROR, UNSPECIFIC, new byte[0], "optional parameter overruns the OPEN");
            }
            WireReader p = r.slice(plen);
            if (ptype != 2) {
                // RFC 4271 §6.2: only capabilities (RFC 5492) are defined
                return fail(
                        OPEN_MESSAGE_ERROR,
                        OPEN_UNSUPPORTED_OPTIONAL_PARAMETER,
                        new byte[0],
                        "optional parameter type " + ptype);
            }
            String err = decodeCapabilities(p, caps);
            if (err != null) {
                return fail(OPEN_MESSAGE_ERROR, UNSPECIFIC, new byte[0], err);
            }
        }
        return ok(new Open(myAs, hold, id, caps));
    }

    /** Returns null, or why the capabilities are malformed (RFC 5492 §4). */
    private static String decodeCapabilities(WireReader p, List<Capability> out) {
        while (p.remaining() > 0) {
            if (p.remaining() < 2) {
                return "truncated capability header";
            }
            int code = p.u8();
            int clen = p.u8();
            if (clen > p.remaining()) {
                return "capability " + code + " of length " + clen + " overruns its parameter";
            }
            WireReader c = p.slice(clen);
            Capability cap = switch (code) {
                case 1 -> clen == 4 ? new Capability.MultiProtocol(c.u16(), skipThen(c, 1)) : null;
                case 2 -> clen == 0 ? new Capability.RouteRefreshCapability() : null;
                case 5 -> extendedNextHop(c, clen);
                case 6 -> clen == 0 ? new Capability.ExtendedMessage() : null;
                case 9 -> clen == 1 ? new Capability.Role(c.u8()) : null; // RFC 9234 §4.1
                case 64 -> gracefulRestart(c, clen);
                case 65 -> clen == 4 ? new Capability.FourOctetAs(c.u32()) : null; // RFC 6793 §3
                case 70 -> clen == 0 ? new Capability.EnhancedRouteRefresh() : null;
                default -> new Capability.Unknown(code, c.bytes(clen));
            };
            if (cap == null) {
                return "capability " + code + " has invalid length " + clen;
            }
            out.add(cap);
        }
        return null;
    }

    private static Capability extendedNextHop(WireReader c, int clen) {
        if (clen == 0 || clen % 6 != 0) {
            return null; // RFC 8950 §3: 6 octets per entry
        }
        List<Capability.ExtendedNextHop.Entry> entries = new ArrayList<>(clen / 6);
        while (c.remaining() > 0) {
            entries.add(new Capability.ExtendedNextHop.Entry(c.u16(), c.u16(), c.u16()));
        }
        return new Capability.ExtendedNextHop(entries);
    }

    private static int skipThen(WireReader c, int skip) {
        c.skip(skip);
        return c.u8();
    }

    private static Capability gracefulRestart(WireReader c, int clen) {
        if (clen < 2 || (clen - 2) % 4 != 0) {
            return null; // RFC 4724 §3: 2 octets then 4 per family
        }
        int head = c.u16();
        List<GracefulRestart.Family> fams = new ArrayList<>();
        while (c.remaining() >= 4) {
            int afi = c.u16();
            int safi = c.u8();
            int flags = c.u8();
            fams.add(new GracefulRestart.Family(afi, safi, (flags & 0x80) != 0));
        }
        return new GracefulRestart((head & 0x8000) != 0, head & 0x0FFF, fams);
    }

    private static DecodeResult decodeRouteRefresh(WireReader r, int len) {
        if (len != 23) {
            // RFC 7313 §5: Invalid Message Length, data = the whole message body
            return fail(
                    ROUTE_REFRESH_MESSAGE_ERROR,
                    ROUTE_REFRESH_INVALID_MESSAGE_LENGTH,
                    r.bytes(r.remaining()),
                    "ROUTE-REFRESH of " + len + " bytes");
        }
        int afi = r.u16();
        int subtype = r.u8();
        int safi = r.u8();
        return ok(new RouteRefresh(afi, safi, subtype));
    }

    static DecodeResult ok(BgpMessage m) {
        return new DecodeResult.Ok(m, List.of());
    }

    static DecodeResult fail(int code, int subcode, byte[] data, String reason) {
        return new DecodeResult.Failed(BgpError.reset(code, subcode, data, reason));
    }

    private static DecodeResult badLength(int len) {
        return fail(
                MESSAGE_HEADER_ERROR,
                HEADER_BAD_MESSAGE_LENGTH,
                lengthData(len),
                "message length " + len + " invalid for its type");
    }

    static byte[] lengthData(int len) {
        return new byte[] {(byte) (len >>> 8), (byte) len};
    }
}
