package io.meshgw.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.directory.InitialDirContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server on loopback, asked by the JDK's own DNS client: an independent resolver, UDP with TCP fallback. */
class DnsServerTest {

    private final AtomicReference<NameTable> table = new AtomicReference<>();
    private final Map<String, Integer> rcodes = new ConcurrentHashMap<>();
    private DnsServer server;
    private int port;

    @BeforeEach
    void start() throws IOException {
        var addresses = new ArrayList<InetAddress>();
        for (int i = 1; i <= 80; i++) addresses.add(InetAddress.getByName("10.9.0." + i));
        table.set(NameTable.of(
                "meshgw.internal",
                Map.of("db.legacy", List.of(InetAddress.getByName("192.0.2.10")), "big.legacy", addresses),
                7));
        server = DnsServer.start(
                List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                new DnsAnswerer(5),
                table::get,
                (answer, transport) -> rcodes.merge(
                        transport + "/" + (answer == null ? "dropped" : DnsService.rcodeName(answer.rcode())),
                        1,
                        Integer::sum));
        port = server.addresses().getFirst().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<String> resolve(String name) throws NamingException {
        var env = new Hashtable<String, String>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, "dns://127.0.0.1:" + port);
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        var ctx = new InitialDirContext(env);
        try {
            var attribute = ctx.getAttributes(name, new String[] {"A"}).get("A");
            var out = new ArrayList<String>();
            if (attribute != null) {
                for (var e = attribute.getAll(); e.hasMore(); ) out.add((String) e.next());
            }
            Collections.sort(out);
            return out;
        } finally {
            ctx.close();
        }
    }

    @Test
    void anIndependentResolverGetsTheAddressesAndNxdomain() throws Exception {
        assertEquals(List.of("192.0.2.10"), resolve("db.legacy.meshgw.internal."));
        assertThrows(NameNotFoundException.class, () -> resolve("gone.legacy.meshgw.internal."));
        assertEquals(1, rcodes.get("UDP/NOERROR"));
        assertEquals(1, rcodes.get("UDP/NXDOMAIN"));
    }

    @Test
    void aTruncatedUdpAnswerIsFetchedWholeOverTcp() throws Exception {
        assertEquals(80, resolve("big.legacy.meshgw.internal.").size());
        assertEquals(1, rcodes.get("TCP/NOERROR"), "the resolver fell back to TCP: " + rcodes);
    }

    @Test
    void aNewTableIsServedAtOnce() throws Exception {
        table.set(
                NameTable.of("meshgw.internal", Map.of("db.legacy", List.of(InetAddress.getByName("192.0.2.11"))), 8));
        assertEquals(List.of("192.0.2.11"), resolve("db.legacy.meshgw.internal."));
    }

    @Test
    void garbageOverUdpGetsFormerrOrNothingAndTheServerKeepsAnswering() throws Exception {
        try (var socket = new DatagramSocket()) {
            socket.setSoTimeout(2000);
            byte[] garbage = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0x3F, 'x'};
            socket.send(new DatagramPacket(garbage, garbage.length, InetAddress.getLoopbackAddress(), port));
            var reply = new DatagramPacket(new byte[512], 512);
            socket.receive(reply);
            var r = DnsQueries.read(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
            assertEquals(0x1234, r.id());
            assertEquals(DnsAnswerer.FORMERR, r.rcode());
            byte[] runt = {1, 2, 3};
            socket.send(new DatagramPacket(runt, runt.length, InetAddress.getLoopbackAddress(), port));
        }
        assertEquals(List.of("192.0.2.10"), resolve("db.legacy.meshgw.internal."));
        assertEquals(1, rcodes.get("UDP/dropped"));
    }

    @Test
    void severalQueriesShareOneTcpConnection() throws Exception {
        try (var s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(2000);
            var out = new DataOutputStream(s.getOutputStream());
            var in = new DataInputStream(s.getInputStream());
            for (int id = 1; id <= 3; id++) {
                byte[] q = DnsQueries.query(id, "db.legacy.meshgw.internal", 1);
                out.writeShort(q.length);
                out.write(q);
            }
            out.flush();
            for (int id = 1; id <= 3; id++) {
                byte[] a = in.readNBytes(in.readUnsignedShort());
                var r = DnsQueries.read(a);
                assertEquals(id, r.id());
                assertEquals(1, r.answers().size());
            }
        }
        assertTrue(rcodes.get("TCP/NOERROR") >= 3);
    }

    @Test
    void oneClientCannotTakeEveryTcpSlotAndAClientThatNeverReadsIsCutOff() throws Exception {
        try (var limited = DnsServer.start(
                List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                new DnsAnswerer(5),
                table::get,
                (a, t) -> {},
                new DnsServer.TcpLimits(java.time.Duration.ofMillis(500), 2, 16),
                DnsServer.AnswerLimits.DEFAULT)) {
            int p = limited.addresses().getFirst().getPort();
            var held = new ArrayList<Socket>();
            try {
                for (int i = 0; i < 2; i++) held.add(new Socket(InetAddress.getLoopbackAddress(), p));
                try (var third = new Socket(InetAddress.getLoopbackAddress(), p)) {
                    third.setSoTimeout(2000);
                    assertEquals(-1, third.getInputStream().read(), "a third connection from one address is closed");
                }
                // the first one sends a query and never reads: its lifetime ends it anyway
                var first = held.getFirst();
                first.setSoTimeout(5000);
                byte[] q = DnsQueries.query(1, "big.legacy.meshgw.internal", 1);
                var out = new DataOutputStream(first.getOutputStream());
                out.writeShort(q.length);
                out.write(q);
                out.flush();
                var in = first.getInputStream();
                // drain until the server closes: a bounded read loop, not a timing assertion
                while (in.read(new byte[4096]) >= 0) {}
            } finally {
                for (var s : held) s.close();
            }
        }
    }

    @Test
    void aTakenPortFailsTheStartNamingTheAddress() throws Exception {
        var taken = server.addresses().getFirst();
        var e = assertThrows(
                IOException.class, () -> DnsServer.start(List.of(taken), new DnsAnswerer(5), table::get, (a, t) -> {}));
        assertTrue(e.getMessage().contains(taken.toString()), e.getMessage());
    }
}
