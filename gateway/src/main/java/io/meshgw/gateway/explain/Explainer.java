package io.meshgw.gateway.explain;

import io.meshgw.bgp.policy.RoutePrefix;
import io.meshgw.bgp.speaker.BestRoute;
import io.meshgw.bpf.datapath.Backend;
import io.meshgw.bpf.datapath.ConntrackEntry;
import io.meshgw.bpf.datapath.Counter;
import io.meshgw.bpf.datapath.EgressTranslation;
import io.meshgw.bpf.datapath.ServiceTranslation;
import io.meshgw.bpf.datapath.TranslationTable;
import io.meshgw.gateway.api.v1.Explanation;
import io.meshgw.gateway.api.v1.ExplanationStep;
import io.meshgw.gateway.bgp.BgpService;
import io.meshgw.gateway.bgp.RouteText;
import io.meshgw.gateway.control.AppliedPlan;
import io.meshgw.gateway.datapath.DatapathService;
import io.meshgw.operator.plan.Announcement;
import io.meshgw.operator.plan.Plan;
import io.meshgw.types.IpAddress;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code meshgw explain}: the whole chain behind a legacy address, from the BGP announcement or
 * route, through the export and its backends, to the datapath entries and counters. It reads
 * the engines' own types, which is why it is a service of its own and not the REST resource.
 */
@ApplicationScoped
public class Explainer {

    private final DatapathService datapath;
    private final AppliedPlan plan;
    private final BgpService bgp;

    Explainer(DatapathService datapath, AppliedPlan plan, BgpService bgp) {
        this.datapath = datapath;
        this.plan = plan;
        this.bgp = bgp;
    }

    /**
     * @param text the address as asked, echoed in the answer
     * @param port 0 for any port
     */
    public Explanation explain(String text, InetAddress address, int port) {
        TranslationTable table = datapath.applied();
        List<ExplanationStep> steps = new ArrayList<>();
        List<ServiceTranslation> vips = table.services().stream()
                .filter(s -> s.vip().equals(address) && (port == 0 || s.port() == port))
                .toList();
        if (!vips.isEmpty()) {
            return vip(text, address, vips, steps);
        }
        List<ServiceTranslation> otherPorts =
                table.services().stream().filter(s -> s.vip().equals(address)).toList();
        if (!otherPorts.isEmpty()) {
            // Else the gateway's own host route for the VIP would explain it as a legacy destination.
            return wrongPort(text, address, port, otherPorts);
        }
        Optional<EgressTranslation> egress = table.egress().stream()
                .filter(e -> e.sourceAddress().equals(address))
                .findFirst();
        if (egress.isPresent()) {
            return egressSource(text, address, egress.get(), table, steps);
        }
        return route(text, address, steps);
    }

    private Explanation vip(
            String text, InetAddress address, List<ServiceTranslation> vips, List<ExplanationStep> steps) {
        String vip = address.getHostAddress();
        IpAddress ip = IpAddress.of(address);
        Plan applied = plan.get();
        Optional<Announcement> a = Optional.ofNullable(applied.announcements().get(ip.hostPrefix()));
        steps.add(new ExplanationStep(
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
                .filter(x -> ip.equals(x.vip()))
                .findFirst()
                .ifPresent(x -> steps.add(new ExplanationStep(
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
            steps.add(new ExplanationStep(
                    "backends",
                    s.key() + ": " + s.backends().size() + " backend(s), " + local + " local"
                            + (local > 0 ? " (new flows use local ones only)" : ""),
                    d));
            steps.add(new ExplanationStep(
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
        steps.add(new ExplanationStep(
                "counters",
                flows.size() + " tracked flow(s) to this VIP",
                details(
                        "dnat new (all VIPs)",
                                String.valueOf(counters.get(Counter.DNAT_NEW).packets()),
                        "dropped, no backend (all VIPs)",
                                String.valueOf(
                                        counters.get(Counter.DROP_NO_BACKEND).packets()))));
        return new Explanation(text, backends > 0 ? "translated" : "dropped: no backend", steps);
    }

    private static Explanation wrongPort(String text, InetAddress address, int port, List<ServiceTranslation> vips) {
        String vip = address.getHostAddress();
        String ports = String.join(
                " ", vips.stream().map(s -> s.port() + "/" + s.protocol()).toList());
        return new Explanation(
                text,
                "not translated: VIP " + vip + " has no port " + port,
                List.of(new ExplanationStep(
                        "datapath", vip + " is a VIP on other ports only", details("ports", ports))));
    }

    private Explanation egressSource(
            String text,
            InetAddress address,
            EgressTranslation e,
            TranslationTable table,
            List<ExplanationStep> steps) {
        long pods = table.identities().stream()
                .filter(p -> p.identity() == e.identity())
                .count();
        steps.add(new ExplanationStep(
                "egress",
                "source address of identity " + e.identity() + " (" + pods + " pod address(es))",
                details(
                        "ports",
                        e.portMin() + "-" + e.portMax(),
                        "destinations",
                        String.join(
                                " ",
                                e.destinations().stream().map(Object::toString).toList()))));
        IpAddress ip = IpAddress.of(address);
        Plan applied = plan.get();
        Optional.ofNullable(applied.announcements().get(ip.hostPrefix()))
                .ifPresent(x -> steps.add(new ExplanationStep(
                        "bgp",
                        "announced as " + x.prefix(),
                        details("owner", x.owner().toString()))));
        applied.egressServedHere()
                .filter(r -> r.source().equals(ip))
                .findFirst()
                .ifPresent(r -> steps.add(new ExplanationStep(
                        "egress-identity",
                        "EgressIdentity " + r.key(),
                        details("namespace", r.key().namespace()))));
        steps.add(new ExplanationStep(
                "datapath",
                "mgw_snat_v1[" + e.identity() + "] -> " + e.sourceAddress().getHostAddress(),
                details("program", "mgw_from_cluster (SNAT), mgw_from_legacy (reverse SNAT)")));
        long flows = datapath.conntrack(100_000).stream()
                .filter(c -> c.kind() == ConntrackEntry.Kind.SNAT
                        && c.translatedTo().startsWith(e.sourceAddress().getHostAddress() + ":"))
                .count();
        steps.add(new ExplanationStep("counters", flows + " tracked outbound flow(s) with this source", Map.of()));
        return new Explanation(text, "egress source address", steps);
    }

    private Explanation route(String text, InetAddress address, List<ExplanationStep> steps) {
        byte[] a = address.getAddress();
        RoutePrefix host = new RoutePrefix(a, a.length * 8);
        Optional<BestRoute> best = bgp.bestRoutes().stream()
                .filter(r -> new RoutePrefix(r.prefix().address(), r.prefix().length()).covers(host))
                .max((x, y) -> Integer.compare(x.prefix().length(), y.prefix().length()));
        if (best.isEmpty()) {
            return new Explanation(text, "not handled: no VIP, egress address or BGP route covers it", steps);
        }
        BestRoute r = best.get();
        steps.add(new ExplanationStep(
                "bgp",
                "best route " + r.prefix() + " from " + r.from(),
                details(
                        "next hop",
                        RouteText.nextHop(r.attributes()).orElse("-"),
                        "as path",
                        RouteText.asPath(r.attributes()).toString())));
        return new Explanation(text, "routed toward the datacenter (a legacy destination)", steps);
    }

    private static Map<String, String> details(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
