package io.meshgw.gateway.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One client floods the server on loopback over real sockets (from 127.0.0.1; the others ask from 127.0.0.2): it
 * gets its burst and its rate, no more, and the others are still answered.
 */
class DnsFloodTest {

    static final int PER_SECOND = 10;
    static final int BURST = 20;
    static final int FLOOD = 300;
    static final InetAddress FLOODER = InetAddress.ofLiteral("127.0.0.1");
    static final InetAddress OTHER = InetAddress.ofLiteral("127.0.0.2");

    private final AtomicInteger limitedUdp = new AtomicInteger();
    private final AtomicInteger limitedTcp = new AtomicInteger();
    private DnsServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws IOException {
        var table =
                NameTable.of("meshgw.internal", Map.of("db.legacy", List.of(InetAddress.ofLiteral("192.0.2.10"))), 1);
        server = DnsServer.start(
                List.of(new InetSocketAddress(FLOODER, 0)),
                new DnsAnswerer(5),
                () -> table,
                new DnsServer.Listener() {
                    @Override
                    public void answered(DnsAnswerer.Answer answer, DnsAnswerer.Transport transport) {}

                    @Override
                    public void limited(DnsAnswerer.Transport transport) {
                        (transport == DnsAnswerer.Transport.UDP ? limitedUdp : limitedTcp).incrementAndGet();
                    }
                },
                DnsServer.TcpLimits.DEFAULT,
                new DnsServer.AnswerLimits(PER_SECOND, BURST, 1024));
        address = server.addresses().getFirst();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The most a client may have been answered in {@code nanos}: its burst and what its rate refilled. */
    static long allowance(long nanos) {
        return BURST + (long) Math.ceil(PER_SECOND * nanos / 1e9);
    }

    @Test
    void aUdpFloodFromOneClientIsCutToItsRateWhileAnotherClientIsStillAnswered() throws Exception {
        int answered = 0;
        long began = System.nanoTime();
        try (var flooder = new DatagramSocket(new InetSocketAddress(FLOODER, 0))) {
            flooder.setSoTimeout(1000);
            for (int id = 1; id <= FLOOD; id++) {
                byte[] q = DnsQueries.query(id, "db.legacy.meshgw.internal", 1);
                flooder.send(new DatagramPacket(q, q.length, address));
            }
            var reply = new DatagramPacket(new byte[512], 512);
            try {
                while (true) {
                    flooder.receive(reply);
                    answered++;
                }
            } catch (SocketTimeoutException e) {
                // every answer that was coming has come
            }
        }
        long took = System.nanoTime() - began;

        assertThat(answered).as("the burst at least").isGreaterThanOrEqualTo(BURST);
        assertThat((long) answered)
                .as("burst and rate over %d ms", took / 1_000_000)
                .isLessThanOrEqualTo(allowance(took));
        // the kernel may drop queries the server has not read yet (a full socket buffer): those were never seen
        assertThat(limitedUdp.get())
                .as("the queries seen and not answered are counted")
                .isPositive()
                .isLessThanOrEqualTo(FLOOD - answered);

        try (var other = new DatagramSocket(new InetSocketAddress(OTHER, 0))) {
            other.setSoTimeout(2000);
            byte[] q = DnsQueries.query(7, "db.legacy.meshgw.internal", 1);
            other.send(new DatagramPacket(q, q.length, address));
            var reply = new DatagramPacket(new byte[512], 512);
            other.receive(reply);
            var r = DnsQueries.read(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
            assertThat(r.id()).isEqualTo(7);
            assertThat(r.answers()).hasSize(1);
        }
    }

    @Test
    void aTcpFloodOnOneConnectionIsCutToItsRateWhileAnotherClientIsStillAnswered() throws Exception {
        int answered = 0;
        long began = System.nanoTime();
        try (var flooder = new Socket()) {
            flooder.bind(new InetSocketAddress(FLOODER, 0));
            flooder.connect(address);
            flooder.setSoTimeout(5000);
            var queries = new java.io.ByteArrayOutputStream();
            var out = new DataOutputStream(queries);
            for (int id = 1; id <= FLOOD; id++) {
                byte[] q = DnsQueries.query(id, "db.legacy.meshgw.internal", 1);
                out.writeShort(q.length);
                out.write(q);
            }
            flooder.getOutputStream().write(queries.toByteArray());
            flooder.shutdownOutput(); // the server reads every query, then the end: it closes in turn
            var in = new DataInputStream(flooder.getInputStream());
            try {
                while (true) {
                    in.readNBytes(in.readUnsignedShort());
                    answered++;
                }
            } catch (EOFException e) {
                // every answer that was coming has come
            }
        }
        long took = System.nanoTime() - began;

        assertThat(answered).as("the burst at least").isGreaterThanOrEqualTo(BURST);
        assertThat((long) answered)
                .as("burst and rate over %d ms", took / 1_000_000)
                .isLessThanOrEqualTo(allowance(took));
        assertThat(limitedTcp.get()).as("every query not answered is counted").isEqualTo(FLOOD - answered);

        try (var other = new Socket()) {
            other.bind(new InetSocketAddress(OTHER, 0));
            other.connect(address);
            other.setSoTimeout(2000);
            var out = new DataOutputStream(other.getOutputStream());
            byte[] q = DnsQueries.query(9, "db.legacy.meshgw.internal", 1);
            out.writeShort(q.length);
            out.write(q);
            out.flush();
            var in = new DataInputStream(other.getInputStream());
            var r = DnsQueries.read(in.readNBytes(in.readUnsignedShort()));
            assertThat(r.id()).isEqualTo(9);
            assertThat(r.answers()).hasSize(1);
        }
    }

    @Test
    void connectionsFromOneAddressCannotTakeTheSlotsOfAnother() throws Exception {
        int bound = DnsServer.TcpLimits.DEFAULT.perClient();
        var held = new java.util.ArrayList<Socket>();
        try {
            for (int i = 0; i < bound + 4; i++) {
                var s = new Socket();
                s.bind(new InetSocketAddress(FLOODER, 0));
                s.connect(address);
                s.setSoTimeout(5000);
                held.add(s);
            }
            // accepted in the order they connected: the ones over the bound are closed at once
            for (var s : held.subList(bound, held.size())) {
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            for (int i = 0; i < bound; i++) {
                assertThat(ask(held.get(i), i))
                        .as("connection %d holds a slot", i)
                        .isEqualTo(i);
            }
            try (var other = new Socket()) {
                other.bind(new InetSocketAddress(OTHER, 0));
                other.connect(address);
                other.setSoTimeout(5000);
                assertThat(ask(other, 99)).isEqualTo(99);
            }
        } finally {
            for (var s : held) s.close();
        }
    }

    /** Asks for db.legacy on {@code s}; the id of the answer. */
    private static int ask(Socket s, int id) throws IOException {
        var out = new DataOutputStream(s.getOutputStream());
        byte[] q = DnsQueries.query(id, "db.legacy.meshgw.internal", 1);
        out.writeShort(q.length);
        out.write(q);
        out.flush();
        var in = new DataInputStream(s.getInputStream());
        return DnsQueries.read(in.readNBytes(in.readUnsignedShort())).id();
    }
}
