package io.meshgw.bpf.fib;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The netlink framing (netlink(7)): the 16-byte {@code nlmsghdr}, 4-byte aligned attributes, and the acknowledgement
 * the kernel sends for a request with NLM_F_ACK ({@code NLMSG_ERROR} with error 0 on success, or -errno and, with
 * NETLINK_EXT_ACK, the kernel's text).
 */
final class Netlink {

    static final int HEADER_BYTES = 16;
    static final short NLMSG_ERROR = 2;
    static final short NLMSG_DONE = 3;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_MULTI = 0x2;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    /** In an acknowledgement: TLVs (the kernel's message) follow the echoed header. */
    private static final int NLM_F_ACK_TLVS = 0x200;
    /** In an acknowledgement: only the header of the request is echoed, not its payload. */
    private static final int NLM_F_CAPPED = 0x100;

    private static final short NLMSGERR_ATTR_MSG = 1;

    private Netlink() {}

    /** A buffer for requests, in the host's byte order as netlink wants. */
    static ByteBuffer buffer(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder());
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    static int attributeBytes(int valueBytes) {
        return align(4 + valueBytes);
    }

    /** Writes a header whose length {@link #finish} fills in. */
    static void header(ByteBuffer out, short type, int flags, int seq) {
        out.putInt(0);
        out.putShort(type);
        out.putShort((short) flags);
        out.putInt(seq);
        out.putInt(0); // nlmsg_pid: to the kernel
    }

    static void finish(ByteBuffer out, int start) {
        out.putInt(start, out.position() - start);
        while ((out.position() & 3) != 0) {
            out.put((byte) 0);
        }
    }

    static void attribute(ByteBuffer out, short type, byte[] value) {
        out.putShort((short) (4 + value.length));
        out.putShort(type);
        out.put(value);
        while ((out.position() & 3) != 0) {
            out.put((byte) 0);
        }
    }

    static void attribute(ByteBuffer out, short type, int value) {
        out.putShort((short) 8);
        out.putShort(type);
        out.putInt(value);
    }

    /** Starts a nested attribute; {@link #end} writes its length. */
    static int begin(ByteBuffer out, short type) {
        int at = out.position();
        out.putShort((short) 0);
        out.putShort(type);
        return at;
    }

    static void end(ByteBuffer out, int at) {
        out.putShort(at, (short) (out.position() - at));
    }

    /** One attribute read from a buffer: its type and its value as a buffer of exactly its length. */
    record Attribute(int type, ByteBuffer value) {

        /** Reads the attribute at the buffer's position and moves past it (and its padding). */
        static Attribute next(ByteBuffer in) {
            int start = in.position();
            int length = in.getShort() & 0xFFFF;
            int type = in.getShort() & 0x3FFF; // without NLA_F_NESTED and NLA_F_NET_BYTEORDER
            if (length < 4 || start + length > in.limit()) {
                throw new IllegalArgumentException("attribute of length " + length + " at " + start);
            }
            ByteBuffer value = in.slice(start + 4, length - 4).order(in.order());
            in.position(Math.min(in.limit(), start + align(length)));
            return new Attribute(type, value);
        }
    }

    /** One message of a datagram the kernel sent: its header fields and its payload. */
    record Message(int type, int flags, int seq, ByteBuffer body) {

        /** The next message at the buffer's position, moving past it; empty at the end or on a short message. */
        static Optional<Message> next(ByteBuffer in) {
            if (in.remaining() < HEADER_BYTES) {
                return Optional.empty();
            }
            int start = in.position();
            int length = in.getInt();
            int type = in.getShort() & 0xFFFF;
            int flags = in.getShort() & 0xFFFF;
            int seq = in.getInt();
            in.getInt(); // pid
            if (length < HEADER_BYTES || start + length > in.limit()) {
                in.position(in.limit());
                return Optional.empty();
            }
            ByteBuffer body =
                    in.slice(start + HEADER_BYTES, length - HEADER_BYTES).order(in.order());
            in.position(Math.min(in.limit(), start + align(length)));
            return Optional.of(new Message(type, flags, seq, body));
        }

        /** For an NLMSG_ERROR: the errno (0 for a plain acknowledgement). */
        int errno() {
            return -body.getInt(0);
        }

        /** For an NLMSG_ERROR with the kernel's extended acknowledgement: its text. */
        Optional<String> kernelText() {
            if ((flags & NLM_F_ACK_TLVS) == 0 || body.remaining() < 4 + HEADER_BYTES) {
                return Optional.empty();
            }
            int echoed = HEADER_BYTES;
            if ((flags & NLM_F_CAPPED) == 0) {
                echoed = body.getInt(4); // the whole request came back
            }
            ByteBuffer tlvs = body.slice(4 + align(echoed), Math.max(0, body.limit() - 4 - align(echoed)))
                    .order(body.order());
            try {
                while (tlvs.remaining() >= 4) {
                    Attribute a = Attribute.next(tlvs);
                    if (a.type() == NLMSGERR_ATTR_MSG) {
                        byte[] text = new byte[a.value().remaining()];
                        a.value().get(text);
                        int n = 0;
                        while (n < text.length && text[n] != 0) {
                            n++;
                        }
                        return Optional.of(new String(text, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            return Optional.empty();
        }
    }
}
