package io.meshgw.gateway.datapath;

import io.meshgw.bpf.datapath.Backend;
import io.meshgw.bpf.datapath.EgressTranslation;
import io.meshgw.bpf.datapath.IdentityPrefix;
import io.meshgw.bpf.datapath.Ipv4Prefix;
import io.meshgw.bpf.datapath.PolicyRule;
import io.meshgw.bpf.datapath.ServiceTranslation;
import io.meshgw.bpf.datapath.Verdict;
import io.meshgw.operator.plan.EgressRule;
import io.meshgw.operator.plan.PortRule;
import io.meshgw.operator.plan.PortTranslation;
import io.meshgw.operator.plan.Translation;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import io.meshgw.types.Ipv4Address;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The plan's records in the datapath's map vocabulary. A pure mapping: the planner already chose what the datapath
 * can translate (VIPs of both families, egress of IPv4; TCP and UDP), so anything else reaching here is a planner bug
 * and throws.
 */
final class TableMapping {

    private TableMapping() {}

    /**
     * One datapath service per VIP port, of either family: the datapath puts each in its family's maps. The planner
     * gave the VIP only backends of its own family; the datapath refuses a mixed one with a message naming both. The
     * local backends in {@code viaNode} are marked as reached through their node ({@link Backend#viaNode}).
     */
    static List<ServiceTranslation> services(Translation t, Set<Inet4Address> viaNode) {
        InetAddress vip = t.vip().toInetAddress();
        List<ServiceTranslation> out = new ArrayList<>(t.ports().size());
        for (PortTranslation p : t.ports()) {
            List<Backend> backends = new ArrayList<>(p.backends().size());
            for (var b : p.backends()) {
                InetAddress address = b.address().toInetAddress();
                backends.add(new Backend(
                        address,
                        b.port(),
                        b.cluster().id(),
                        b.local(),
                        b.local() && address instanceof Inet4Address v4 && viaNode.contains(v4)));
            }
            out.add(new ServiceTranslation(vip, p.port().port(), p.port().protocol(), t.identity(), backends));
        }
        return out;
    }

    /** The pods' addresses as /32s of the identity. */
    static List<IdentityPrefix> identities(EgressRule r) {
        List<IdentityPrefix> out = new ArrayList<>(r.podAddresses().size());
        for (IpAddress pod : r.podAddresses()) {
            out.add(new IdentityPrefix(prefix(pod.hostPrefix(), r.key() + " pod"), r.identity()));
        }
        return out;
    }

    static EgressTranslation egress(EgressRule r) {
        return new EgressTranslation(
                r.identity(),
                ipv4(r.source(), r.key() + " source"),
                r.destinations().stream()
                        .map(d -> prefix(d, r.key() + " destination"))
                        .toList());
    }

    /** Listed ports are allowed and, for this identity only, every other port is denied; no list allows all. */
    static List<PolicyRule> policies(EgressRule r) {
        if (r.allowedPorts().isEmpty()) {
            return List.of();
        }
        Set<PortRule> ports = new LinkedHashSet<>(r.allowedPorts());
        List<PolicyRule> out = new ArrayList<>(ports.size() + 1);
        for (PortRule p : ports) {
            out.add(new PolicyRule(r.identity(), p.protocol(), PolicyRule.Direction.EGRESS, p.port(), Verdict.ALLOW));
        }
        out.add(PolicyRule.identityDefault(r.identity(), PolicyRule.Direction.EGRESS, Verdict.DENY));
        return out;
    }

    private static Inet4Address ipv4(IpAddress a, String what) {
        if (a instanceof Ipv4Address v4) {
            return v4.toInetAddress();
        }
        throw new IllegalArgumentException(what + " " + a + " is not IPv4; the datapath SNATs IPv4 only");
    }

    private static Ipv4Prefix prefix(IpPrefix p, String what) {
        if (p.address() instanceof Ipv4Address v4) {
            return new Ipv4Prefix(v4.value(), p.length());
        }
        throw new IllegalArgumentException(what + " " + p + " is not IPv4; the datapath SNATs IPv4 only");
    }
}
