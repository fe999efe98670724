package io.meshgw.gateway.dns;

import io.meshgw.operator.plan.LegacyName;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** LegacyServices as DNS names: {@code <name>.<namespace>} below the zone, with their resolvable addresses. */
public final class LegacyNames {

    private LegacyNames() {}

    /**
     * @param notServed told of each name that is no host name (a standalone file is not checked by an API server,
     *     and one bad name must not stop the others)
     */
    public static Map<String, List<InetAddress>> of(Map<ObjectKey, LegacyName> names, Consumer<String> notServed) {
        var out = new LinkedHashMap<String, List<InetAddress>>();
        for (var name : names.values()) {
            var addresses =
                    name.addresses().stream().map(IpAddress::toInetAddress).toList();
            String namespace = name.service().namespace().isEmpty()
                    ? "default"
                    : name.service().namespace();
            String host = name.service().name() + "." + namespace;
            if (NameTable.isHostName(host)) {
                out.put(host, addresses);
            } else {
                notServed.accept(host);
            }
        }
        return out;
    }
}
