package io.meshgw.gateway.cli;

import io.meshgw.gateway.api.v1.IpLiteral;
import io.meshgw.gateway.api.v1.RouteView;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code meshgw routes}: the best routes. PREFIX works like {@code show ip bgp}: a prefix shows
 * that prefix, an address shows the most specific routes that cover it.
 */
@Command(
        name = "routes",
        description = "Best BGP routes: prefix, next hop, where from, AS path, local pref, MED, communities.")
final class RoutesCommand implements Callable<Integer> {

    static final String PATH = "/api/v1/bgp/routes";

    static final TableLayout<RouteView> LAYOUT = new TableLayout<RouteView>()
            .left("PREFIX", RouteView::prefix)
            .left("NEXT HOP", RouteView::nextHop)
            .left("FROM", 24, RouteView::from)
            .left("AS PATH", 40, r -> joined(r.asPath()))
            .right("LOCAL PREF", r -> HumanFormat.orNone(r.localPref()))
            .right("MED", r -> HumanFormat.orNone(r.med()))
            .left("COMMUNITIES", 60, r -> joined(r.communities()));

    @ParentCommand
    Meshgw meshgw;

    @Spec
    CommandSpec spec;

    @Option(names = "--peer", paramLabel = "NAME", description = "Only routes learned from this peer.")
    String peer;

    @Parameters(
            arity = "0..1",
            paramLabel = "PREFIX",
            description = "A prefix (10.0.0.0/24, 2001:db8::/32) for that prefix only, or an address"
                    + " (10.0.0.7, 2001:db8::7) for the longest match that covers it.")
    String prefix;

    @Override
    public Integer call() {
        Optional<Predicate<IpPrefix>> wanted = filter(); // before the call: a typo needs no gateway
        String query = peer == null ? "" : "?peer=" + URLEncoder.encode(peer, StandardCharsets.UTF_8);
        boolean longestOnly = prefix != null && prefix.indexOf('/') < 0;
        meshgw.show(
                Listing.of(PATH, RouteView.class, emptyNote(), LAYOUT)
                        .selecting(routes -> select(routes, peer, wanted, longestOnly)),
                query);
        return ExitCode.OK.code;
    }

    private Optional<Predicate<IpPrefix>> filter() {
        if (prefix == null) {
            return Optional.empty();
        }
        if (prefix.indexOf('/') >= 0) {
            IpPrefix exact = IpPrefix.parse(prefix).orElseThrow(() -> notAPrefix(prefix));
            return Optional.of(exact::equals);
        }
        byte[] address = IpLiteral.parse(prefix).orElseThrow(() -> notAPrefix(prefix));
        return Optional.of(p -> p.contains(address));
    }

    private ParameterException notAPrefix(String text) {
        return new ParameterException(
                spec.commandLine(),
                "'" + text + "' is neither an IPv4/IPv6 prefix (10.0.0.0/24, 2001:db8::/32) nor an address");
    }

    /**
     * Indices of the routes to show, sorted by prefix. With {@code longestOnly} (an address was
     * given) only the matches of the greatest prefix length remain: the route the address takes.
     */
    static List<Integer> select(
            List<RouteView> routes, String peer, Optional<Predicate<IpPrefix>> wanted, boolean longestOnly) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            RouteView r = routes.get(i);
            // The gateway filters by ?peer=; checking again guards against one that ignores it.
            if (peer != null && r.from() != null && !peer.equals(r.from())) {
                continue;
            }
            Optional<IpPrefix> p = parsed(r);
            if (wanted.isEmpty() || p.filter(wanted.get()).isPresent()) {
                kept.add(i);
            }
        }
        if (longestOnly) {
            int longest = kept.stream()
                    .mapToInt(i -> parsed(routes.get(i)).map(IpPrefix::length).orElse(-1))
                    .max()
                    .orElse(-1);
            kept.removeIf(i -> parsed(routes.get(i)).map(IpPrefix::length).orElse(-1) != longest);
        }
        kept.sort(Comparator.comparing(
                        (Integer i) -> parsed(routes.get(i)).orElse(null),
                        Comparator.nullsLast(Comparator.<IpPrefix>naturalOrder()))
                .thenComparing(i -> String.valueOf(routes.get(i).prefix()))
                .thenComparing(i -> String.valueOf(routes.get(i).from())));
        return kept;
    }

    private static Optional<IpPrefix> parsed(RouteView r) {
        return Optional.ofNullable(r.prefix()).flatMap(IpPrefix::parse);
    }

    private static String joined(List<?> values) {
        return values == null ? "" : values.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }

    private String emptyNote() {
        String from = peer == null ? "" : " from peer " + peer;
        return prefix == null ? "no routes" + from : "no route" + from + " matches " + prefix;
    }
}
