package io.meshgw.bgp.speaker;

import io.meshgw.bgp.wire.AttributeScreen;
import io.meshgw.bgp.wire.BgpError;
import io.meshgw.bgp.wire.BgpMessage;
import io.meshgw.bgp.wire.Capability;
import io.meshgw.bgp.wire.CodecOptions;
import io.meshgw.bgp.wire.DecodeResult;
import io.meshgw.bgp.wire.Keepalive;
import io.meshgw.bgp.wire.MessageDecoder;
import io.meshgw.bgp.wire.MessageEncoder;
import io.meshgw.bgp.wire.Notification;
import io.meshgw.bgp.wire.Open;
import io.meshgw.bgp.wire.Update;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The far end of a {@link FakeTransport.FakeConnection}: a neighbor sending and reading BGP messages. */
final class ScriptedNeighbor {

    /**
     * Reads what the speaker sent as an internal peer that relays every attribute type would, so no attribute is
     * discarded on the way and a malformed one shows in {@link #repairs}.
     */
    private static final CodecOptions READ = new CodecOptions(
            true,
            true,
            false,
            new AttributeScreen(IntStream.rangeClosed(1, 255)
                    .boxed()
                    .collect(Collectors.toMap(t -> t, t -> AttributeScreen.Action.RELAY))));

    private static final CodecOptions WRITE = new CodecOptions(true, false, false);

    final FakeTransport.FakeConnection connection;
    private final long asn;
    private final long routerId;
    private final List<BgpMessage> received = new ArrayList<>();
    private final List<BgpError> repairs = new ArrayList<>();

    ScriptedNeighbor(FakeTransport.FakeConnection connection, long asn, long routerId) {
        this.connection = connection;
        this.asn = asn;
        this.routerId = routerId;
    }

    /** OPEN with 4-octet AS, IPv4 and IPv6 unicast and route refresh. */
    void sendOpen() {
        sendOpen(List.of(
                new Capability.MultiProtocol(1, 1),
                new Capability.MultiProtocol(2, 1),
                new Capability.RouteRefreshCapability(),
                new Capability.FourOctetAs(asn)));
    }

    void sendOpen(List<Capability> capabilities) {
        int myAs = asn > 0xFFFF ? Open.AS_TRANS : (int) asn;
        send(new Open(myAs, 90, routerId, capabilities));
    }

    /** OPEN and KEEPALIVE: the speaker's side is Established afterwards. */
    ScriptedNeighbor establish() {
        sendOpen();
        send(new Keepalive());
        return this;
    }

    void send(BgpMessage m) {
        send(m, WRITE);
    }

    /** Sends {@code m} in the wire format {@code options} says, e.g. longer than 4096 bytes. */
    void send(BgpMessage m, CodecOptions options) {
        connection.deliver(MessageEncoder.encode(m, options));
    }

    /** Every message the speaker sent so far, oldest first. */
    List<BgpMessage> received() {
        for (byte[] b : connection.takeWritten()) {
            switch (MessageDecoder.decode(b, READ)) {
                case DecodeResult.Ok ok -> {
                    received.add(ok.message());
                    repairs.addAll(ok.repairs());
                }
                case DecodeResult.Failed f -> throw new AssertionError("the speaker sent a malformed message: " + f);
            }
        }
        return List.copyOf(received);
    }

    <M extends BgpMessage> List<M> received(Class<M> kind) {
        return received().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    List<Update> updates() {
        return received(Update.class);
    }

    /** Forgets what was received so far: the next calls show only what comes after. */
    void clear() {
        received();
        received.clear();
    }

    /** The RFC 7606 repairs reading the speaker's messages needed: a well-behaved speaker sends none. */
    List<BgpError> repairs() {
        received();
        return List.copyOf(repairs);
    }

    List<Notification> notifications() {
        return received(Notification.class);
    }
}
