package io.meshgw.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgw.operator.plan.LegacyName;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LegacyNamesTest {

    @Test
    void aLegacyServiceIsNamedServiceDotNamespaceWithItsAddresses() {
        var key = new ObjectKey("legacy", "billing");
        var names = LegacyNames.of(
                Map.of(
                        key,
                        new LegacyName(
                                key,
                                List.of(IpAddress.parse("192.0.2.10"), IpAddress.parse("2001:db8::10")),
                                List.of(new ServicePort("http", Protocol.TCP, 80)))),
                n -> {
                    throw new AssertionError(n);
                });
        assertEquals(
                Map.of(
                        "billing.legacy",
                        List.of(InetAddress.ofLiteral("192.0.2.10"), InetAddress.ofLiteral("2001:db8::10"))),
                names);
        var table = NameTable.of("meshgw.internal", names, 1);
        assertTrue(table.lookup(List.of("billing", "legacy", "meshgw", "internal")) instanceof NameTable.Lookup.Host);
    }

    @Test
    void aNameThatIsNoHostNameIsReportedAndTheOthersStillServed() {
        var good = new ObjectKey("legacy", "billing");
        var bad = new ObjectKey("Legacy_Apps", "payroll");
        var refused = new java.util.ArrayList<String>();
        var names = LegacyNames.of(
                Map.of(
                        good, new LegacyName(good, List.of(IpAddress.parse("192.0.2.10")), List.of()),
                        bad, new LegacyName(bad, List.of(IpAddress.parse("192.0.2.11")), List.of())),
                refused::add);
        assertEquals(List.of("billing.legacy"), List.copyOf(names.keySet()));
        assertEquals(List.of("payroll.Legacy_Apps"), refused);
    }
}
