package io.meshgw.bgp.wire;

/**
 * What the session negotiated that changes the wire format, and what it does with the attributes it receives.
 *
 * @param fourOctetAs both sides sent the 4-octet AS capability (RFC 6793)
 * @param extendedMessages both sides sent the extended message capability (RFC 8654)
 * @param ebgp the peer is external (affects LOCAL_PREF handling, RFC 7606 §7.5)
 * @param screen what the session keeps, discards or withdraws on among received attributes
 * @param extendedNextHop both sides sent the extended next hop capability for IPv4 unicast over IPv6 (RFC 8950), so
 *     an IPv4 MP_REACH_NLRI may carry a 16- or 32-byte IPv6 next hop
 */
public record CodecOptions(
        boolean fourOctetAs, boolean extendedMessages, boolean ebgp, AttributeScreen screen, boolean extendedNextHop) {

    public CodecOptions(boolean fourOctetAs, boolean extendedMessages, boolean ebgp, AttributeScreen screen) {
        this(fourOctetAs, extendedMessages, ebgp, screen, false);
    }

    public CodecOptions(boolean fourOctetAs, boolean extendedMessages, boolean ebgp) {
        this(fourOctetAs, extendedMessages, ebgp, AttributeScreen.DEFAULT);
    }

    /** Before OPEN is exchanged: 2-octet AS paths, 4096-byte messages. */
    public static final CodecOptions INITIAL = new CodecOptions(false, false, true);

    public static final CodecOptions MODERN = new CodecOptions(true, false, true);

    public int maxMessageLength() {
        return extendedMessages ? 65535 : 4096;
    }
}
