package io.meshgw.gateway.api;

import io.meshgw.bgp.policy.RoutePrefix;
import io.meshgw.bgp.speaker.BestRoute;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bpf.datapath.Backend;
import io.meshgw.bpf.datapath.ConntrackEntry;
import io.meshgw.bpf.datapath.Counter;
import io.meshgw.bpf.datapath.EgressTranslation;
import io.meshgw.bpf.datapath.ServiceTranslation;
import io.meshgw.bpf.datapath.TranslationTable;
import io.meshgw.gateway.bgp.BgpService;
import io.meshgw.gateway.bgp.RouteText;
import io.meshgw.gateway.control.AppliedPlan;
import io.meshgw.gateway.datapath.DatapathService;
import io.meshgw.operator.plan.Announcement;
import io.meshgw.operator.plan.Plan;
import io.meshgw.types.IpAddress;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code meshgw explain}: the whole chain behind a legacy address, from the BGP announcement or
 * route, through the export and its backends, to the datapath entries and counters.
 */
@Path("/api/v1/explain")
@Produces(MediaType.APPLICATION_JSON)
public class ExplainResource {

    public record Step(String stage, String summary, Map<String, String> details) {}

    public record Explanation(String address, String verdict, List<Step> steps) {}

    private final DatapathService datapath;
    private final AppliedPlan plan;
    private final BgpService bgp;

    ExplainResource(DatapathService datapath, AppliedPlan plan, BgpService bgp) {
        this.datapath = datapath;
        this.plan = plan;
        this.bgp = bgp;
    }

    @GET
    public Explanation explain(@QueryParam("address") String address) {
        Target t = Target.parse(address);
        TranslationTable table = datapath.applied();
        List<Step> steps = new ArrayList<>();
        List<ServiceTranslation> vips = table.services().stream()
                .filter(s -> s.vip().equals(t.address()) && (t.port() == 0 || s.port() == t.port()))
                .toList();
        if (!vips.isEmpty()) {
            return vip(t, vips, steps);
        }
        Optional<EgressTranslation> egress = table.egress().stream()
                .filter(e -> e.sourceAddress().equals(t.address()))
                .findFirst();
        if (egress.isPresent()) {
            return egressSource(t, egress.get(), table, steps);
        }
        return route(t, steps);
    }

    private Explanation vip(Target t, List<ServiceTranslation> vips, List<Step> steps) {
        String vip = t.address().getHostAddress();
        IpAddress address = IpAddress.of(t.address());
        Plan applied = plan.get();
        Optional<Announcement> a = Optional.ofNullable(applied.announcements().get(address.hostPrefix()));
        steps.add(new Step(
                "bgp",
                a.map(x -> "announced as " + x.prefix() + " to every peer").orElse("not announced"),
                a.map(x -> details(
                                "owner",
                                x.owner().toString(),
                                "communities",
                                String.join(
                                        " ",
                                        x.communities().stream()
                                                .map(Object::toString)
                                                .toList())))
                        .orElse(details("why", "no ready backend in any cluster, or no BGP speaker"))));
        applied.translations().values().stream()
                .filter(x -> address.equals(x.vip()))
                .findFirst()
                .ifPresent(x -> steps.add(new Step(
                        "export",
                        "MeshServiceExport " + x.service() + " holds VIP " + vip,
                        details(
                                "service",
                                x.service().toString(),
                                "ports",
                                String.valueOf(x.ports().size())))));
        int backends = 0;
        for (ServiceTranslation s : vips) {
            long local = s.backends().stream().filter(Backend::local).count();
            Map<String, String> d = new LinkedHashMap<>();
            for (int i = 0; i < s.backends().size(); i++) {
                d.put("slot " + i, s.backends().get(i).toString());
            }
            steps.add(new Step(
                    "backends",
                    s.key() + ": " + s.backends().size() + " backend(s), " + local + " local"
                            + (local > 0 ? " (new flows use local ones only)" : ""),
                    d));
            steps.add(new Step(
                    "datapath",
                    "mgw_svc_v1[" + s.key() + "] -> identity " + s.identity() + ", "
                            + s.backends().size() + " slots",
                    details("program", "mgw_from_legacy (DNAT), mgw_from_cluster (reverse DNAT)")));
            backends += s.backends().size();
        }
        List<ConntrackEntry> flows = datapath.conntrack(100_000).stream()
                .filter(c ->
                        c.kind() == ConntrackEntry.Kind.DNAT && c.destination().startsWith(vip + ":"))
                .toList();
        var counters = datapath.counters();
        steps.add(new Step(
                "counters",
                flows.size() + " tracked flow(s) to this VIP",
                details(
                        "dnat new (all VIPs)",
                                String.valueOf(counters.get(Counter.DNAT_NEW).packets()),
                        "dropped, no backend (all VIPs)",
                                String.valueOf(
                                        counters.get(Counter.DROP_NO_BACKEND).packets()))));
        return new Explanation(t.text(), backends > 0 ? "translated" : "dropped: no backend", steps);
    }

    private Explanation egressSource(Target t, EgressTranslation e, TranslationTable table, List<Step> steps) {
        long pods = table.identities().stream()
                .filter(p -> p.identity() == e.identity())
                .count();
        steps.add(new Step(
                "egress",
                "source address of identity " + e.identity() + " (" + pods + " pod address(es))",
                details(
                        "ports",
                        e.portMin() + "-" + e.portMax(),
                        "destinations",
                        String.join(
                                " ",
                                e.destinations().stream().map(Object::toString).toList()))));
        IpAddress address = IpAddress.of(t.address());
        Plan applied = plan.get();
        Optional.ofNullable(applied.announcements().get(address.hostPrefix()))
                .ifPresent(x -> steps.add(new Step(
                        "bgp",
                        "announced as " + x.prefix(),
                        details("owner", x.owner().toString()))));
        applied.egressRules().values().stream()
                .filter(r -> r.source().equals(address))
                .findFirst()
                .ifPresent(r -> steps.add(new Step(
                        "egress-identity",
                        "EgressIdentity " + r.key(),
                        details("namespace", r.key().namespace()))));
        steps.add(new Step(
                "datapath",
                "mgw_snat_v1[" + e.identity() + "] -> " + e.sourceAddress().getHostAddress(),
                details("program", "mgw_from_cluster (SNAT), mgw_from_legacy (reverse SNAT)")));
        long flows = datapath.conntrack(100_000).stream()
                .filter(c -> c.kind() == ConntrackEntry.Kind.SNAT
                        && c.translatedTo().startsWith(e.sourceAddress().getHostAddress() + ":"))
                .count();
        steps.add(new Step("counters", flows + " tracked outbound flow(s) with this source", Map.of()));
        return new Explanation(t.text(), "egress source address", steps);
    }

    private Explanation route(Target t, List<Step> steps) {
        byte[] a = t.address().getAddress();
        RoutePrefix host = new RoutePrefix(a, a.length * 8);
        Optional<BestRoute> best = bgp.bestRoutes().stream()
                .filter(r -> new RoutePrefix(r.prefix().address(), r.prefix().length()).covers(host))
                .max((x, y) -> Integer.compare(x.prefix().length(), y.prefix().length()));
        if (best.isEmpty()) {
            return new Explanation(t.text(), "not handled: no VIP, egress address or BGP route covers it", steps);
        }
        BestRoute r = best.get();
        steps.add(new Step(
                "bgp",
                "best route " + r.prefix() + " from " + r.from(),
                details(
                        "next hop",
                        RouteText.nextHop(r.attributes()).orElse("-"),
                        "as path",
                        r.attributes()
                                .get(PathAttribute.AsPath.class)
                                .map(p -> p.flatten().toString())
                                .orElse("[]"))));
        return new Explanation(t.text(), "routed toward the datacenter (a legacy destination)", steps);
    }

    private static Map<String, String> details(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** ip, ip:port or [ipv6]:port. */
    record Target(String text, InetAddress address, int port) {
        static Target parse(String text) {
            if (text == null || text.isBlank()) {
                throw new BadRequestException("address is required: ?address=<ip>[:port]");
            }
            String host = text.strip();
            int port = 0;
            try {
                if (host.startsWith("[")) {
                    int close = host.indexOf(']');
                    port = host.length() > close + 1 ? Integer.parseInt(host.substring(close + 2)) : 0;
                    host = host.substring(1, close);
                } else if (host.indexOf(':') > 0 && host.indexOf(':') == host.lastIndexOf(':')) {
                    port = Integer.parseInt(host.substring(host.indexOf(':') + 1));
                    host = host.substring(0, host.indexOf(':'));
                }
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new Target(text.strip(), InetAddress.ofLiteral(host), port);
            } catch (RuntimeException e) {
                throw new BadRequestException("'" + text + "' is not an address: use ip, ip:port or [ipv6]:port");
            }
        }
    }
}
