package io.meshgw.deploy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The environment variable of every scalar key of the gateway's {@code @ConfigMapping(prefix = "meshgw")}, read from
 * GatewayConfig.java (meshgw.bgp.local-asn is MESHGW_BGP_LOCAL_ASN), so the chart cannot set a key the gateway does not
 * have. Maps of named entries (peers, Kafka pass-through) are not environment keys and are left out.
 */
final class GatewayKeys {
    static final Path SOURCE = DeployTree.ROOT.resolve("../gateway/src/main/java/io/meshgw/gateway/GatewayConfig.java");

    private static final Pattern NESTED = Pattern.compile("^    interface (\\w+) \\{");
    private static final Pattern METHOD = Pattern.compile("^\\s+([\\w<>, ]+?)\\s+(\\w+)\\(\\);");

    private GatewayKeys() {}

    static Set<String> fromSource() {
        Map<String, Map<String, String>> interfaces = new HashMap<>(); // interface -> method -> return type
        String current = "GatewayConfig";
        for (String line : Crds.read(SOURCE).lines().toList()) {
            var nested = NESTED.matcher(line);
            if (nested.find()) {
                current = nested.group(1);
            } else if (line.equals("    }")) {
                current = "GatewayConfig";
            } else {
                var method = METHOD.matcher(line);
                if (method.find()) {
                    interfaces.computeIfAbsent(current, k -> new HashMap<>()).put(method.group(2), method.group(1));
                }
            }
        }
        Set<String> env = new TreeSet<>();
        collect(interfaces, "GatewayConfig", "meshgw", env);
        if (env.size() < 10) {
            throw new IllegalStateException("read only " + env + " from " + SOURCE + "; has its layout changed?");
        }
        return env;
    }

    private static void collect(
            Map<String, Map<String, String>> interfaces, String type, String prefix, Set<String> env) {
        interfaces.getOrDefault(type, Map.of()).forEach((method, returns) -> {
            String key = prefix + "." + kebab(method);
            if (returns.startsWith("Map<")) return;
            if (interfaces.containsKey(returns)) {
                collect(interfaces, returns, key, env);
            } else {
                env.add(key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
            }
        });
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
