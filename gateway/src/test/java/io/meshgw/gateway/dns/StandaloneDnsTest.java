package io.meshgw.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.directory.InitialDirContext;
import org.junit.jupiter.api.Test;

/**
 * The gateway in standalone mode with DNS on: the file's LegacyService becomes a name once the first pass ran. No
 * router peers here, so no route covers its address and the name has no address yet (NODATA, not NXDOMAIN); the
 * lab's scenario shows it resolving once BIRD's route arrives.
 */
@QuarkusTest
@TestProfile(StandaloneDnsTest.Standalone.class)
class StandaloneDnsTest {

    static final int PORT = freeUdpPort();

    public static class Standalone implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.createTempFile("meshgw-standalone", ".yaml");
                Files.writeString(file, """
                        apiVersion: meshgw.io/v1alpha1
                        kind: LegacyService
                        metadata: {name: mainframe, namespace: apps}
                        spec:
                          prefixes: [{prefix: 10.50.0.0/16, le: 24}]
                          addresses: [10.50.1.5]
                          ports: [{name: tn3270, port: 3270, protocol: TCP}]
                        """);
                return Map.of(
                        "meshgw.mode", "standalone",
                        "meshgw.standalone.file", file.toString(),
                        "meshgw.dns.enabled", "true",
                        "meshgw.dns.listen", "127.0.0.1:" + PORT,
                        "meshgw.dns.zone", "lab.internal");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    DnsService dns;

    private static int freeUdpPort() {
        try (var s = new DatagramSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theFilesLegacyServiceIsANameInTheZone() throws Exception {
        var table = dns.table();
        assertEquals("lab.internal", table.zone());
        assertEquals(Map.of("mainframe.apps.lab.internal", List.of()), table.names());
        assertTrue(table.serial() > 0, "a published table has a serial");

        var env = new Hashtable<String, String>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, "dns://127.0.0.1:" + PORT);
        var ctx = new InitialDirContext(env);
        try {
            var attributes = ctx.getAttributes("mainframe.apps.lab.internal.", new String[] {"A"});
            assertEquals(0, attributes.size(), "the name exists but no route covers 10.50.1.5 yet");
            assertThrows(
                    NameNotFoundException.class,
                    () -> ctx.getAttributes("payroll.apps.lab.internal.", new String[] {"A"}));
        } finally {
            ctx.close();
        }
    }
}
