package io.meshgw.gateway.desired;

import io.meshgw.bpf.datapath.Backend;
import io.meshgw.bpf.datapath.EgressTranslation;
import io.meshgw.bpf.datapath.IdentityPrefix;
import io.meshgw.bpf.datapath.Ipv4Prefix;
import io.meshgw.bpf.datapath.PolicyRule;
import io.meshgw.bpf.datapath.Protocol;
import io.meshgw.bpf.datapath.ServiceTranslation;
import io.meshgw.bpf.datapath.TranslationTable;
import io.meshgw.bpf.datapath.Verdict;
import io.meshgw.operator.port.EgressRule;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PortTranslation;
import io.meshgw.operator.port.ServicePort;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The datapath's translation table, as a pure function of what the operator applied (local
 * backends, egress rules) and what mesh-sync says the other clusters have (remote backends).
 * Local backends come first and are marked local, so the programs prefer them; remote ones are
 * used when a cluster has none of its own.
 */
public final class TranslationPlanner {

    /** The table, and what could not be translated (with the reason), for status and logs. */
    public record Plan(TranslationTable table, List<String> skipped) {}

    private TranslationPlanner() {}

    public static Plan plan(
            Collection<io.meshgw.operator.port.ServiceTranslation> translations,
            Collection<EgressRule> egress,
            BiFunction<ObjectKey, ServicePort, List<RemoteBackend>> remote,
            int localCluster) {
        Set<String> names = new LinkedHashSet<>();
        translations.forEach(t -> names.add(serviceIdentity(t.service())));
        egress.forEach(r -> names.add(egressIdentity(r.identity())));
        Map<String, Integer> ids = IdentityNumbers.assign(names);

        List<String> skipped = new ArrayList<>();
        List<ServiceTranslation> services = new ArrayList<>();
        for (var t : translations) {
            Inet4Address vip = ipv4(t.vip());
            if (vip == null) {
                skipped.add(t.service() + ": VIP " + t.vip() + " is not IPv4; the datapath translates IPv4 only");
                continue;
            }
            int identity = ids.get(serviceIdentity(t.service()));
            for (PortTranslation p : t.ports()) {
                Protocol protocol = protocol(p.port().protocol());
                if (protocol == null) {
                    skipped.add(t.service() + ": port " + p.port() + " is "
                            + p.port().protocol() + "; only TCP and UDP");
                    continue;
                }
                services.add(new ServiceTranslation(
                        vip,
                        p.port().port(),
                        protocol,
                        identity,
                        backends(t.service(), p, remote, localCluster, skipped)));
            }
        }

        List<IdentityPrefix> prefixes = new ArrayList<>();
        List<EgressTranslation> rules = new ArrayList<>();
        List<PolicyRule> policies = new ArrayList<>();
        Set<Ipv4Prefix> claimed = new HashSet<>();
        for (EgressRule r : egress) {
            Inet4Address source = ipv4(r.sourceIp());
            if (source == null) {
                skipped.add(r.identity() + ": egress source " + r.sourceIp() + " is not IPv4");
                continue;
            }
            int identity = ids.get(egressIdentity(r.identity()));
            List<Ipv4Prefix> destinations = r.destinations().stream()
                    .filter(d -> !d.contains(":"))
                    .map(Ipv4Prefix::parse)
                    .toList();
            if (destinations.isEmpty()) {
                skipped.add(r.identity() + ": no IPv4 destination prefixes");
                continue;
            }
            for (String pod : r.sourceAddresses()) {
                if (ipv4(pod) == null) {
                    continue;
                }
                Ipv4Prefix p = Ipv4Prefix.parse(pod);
                if (claimed.add(p)) {
                    prefixes.add(new IdentityPrefix(p, identity));
                } else {
                    skipped.add(r.identity() + ": pod " + pod + " is selected by another EgressIdentity too; the first"
                            + " in name order keeps it");
                }
            }
            rules.add(new EgressTranslation(identity, source, destinations));
            // Listed ports are allowed and, for this identity only, every other port is denied.
            if (!r.allowedPorts().isEmpty()) {
                Set<String> seen = new HashSet<>();
                for (var p : r.allowedPorts()) {
                    Protocol protocol = protocol(p.protocol());
                    if (protocol != null && seen.add(protocol + "/" + p.port())) {
                        policies.add(new PolicyRule(
                                identity, protocol, PolicyRule.Direction.EGRESS, p.port(), Verdict.ALLOW));
                    }
                }
                policies.add(PolicyRule.identityDefault(identity, PolicyRule.Direction.EGRESS, Verdict.DENY));
            }
        }
        return new Plan(
                TranslationTable.EMPTY
                        .withServices(services)
                        .withIdentities(prefixes)
                        .withEgress(rules)
                        .withPolicies(policies, Verdict.ALLOW, Verdict.ALLOW),
                skipped);
    }

    private static List<Backend> backends(
            ObjectKey service,
            PortTranslation p,
            BiFunction<ObjectKey, ServicePort, List<RemoteBackend>> remote,
            int localCluster,
            List<String> skipped) {
        List<Backend> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (var b : p.backends()) {
            Inet4Address a = ipv4(b.address());
            if (a != null && seen.add(b.address() + ":" + b.port())) {
                out.add(new Backend(a, b.port(), localCluster, true));
            }
        }
        for (RemoteBackend b : remote.apply(service, p.port())) {
            Inet4Address a = ipv4(b.address());
            if (a != null && seen.add(b.address() + ":" + b.port())) {
                out.add(new Backend(a, b.port(), b.cluster(), false));
            }
        }
        if (out.size() > 65535) {
            skipped.add(service + ": " + out.size() + " backends; the first 65535 are used");
            return out.subList(0, 65535);
        }
        return out;
    }

    static String serviceIdentity(ObjectKey service) {
        return "service:" + service;
    }

    static String egressIdentity(ObjectKey identity) {
        return "egress:" + identity;
    }

    private static Protocol protocol(String name) {
        return switch (name == null ? "TCP" : name) {
            case "TCP" -> Protocol.TCP;
            case "UDP" -> Protocol.UDP;
            default -> null;
        };
    }

    private static Inet4Address ipv4(String text) {
        if (text == null || text.contains(":")) {
            return null;
        }
        try {
            String host = text.contains("/") ? text.substring(0, text.indexOf('/')) : text;
            return InetAddress.ofLiteral(host) instanceof Inet4Address a ? a : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
