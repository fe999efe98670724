package io.meshgw.gateway.cli;

import static io.meshgw.gateway.cli.HumanFormat.count;
import static io.meshgw.gateway.cli.HumanFormat.yesNo;

import io.meshgw.gateway.api.v1.ConntrackView;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code meshgw conntrack}: the datapath's connection-tracking entries, like {@code conntrack -L}.
 * The gateway reads at most {@code --limit} entries; {@code --kind} then filters those here.
 */
@Command(
        name = "conntrack",
        description = "Connection-tracking entries: who talks to which VIP, where it went, age and traffic.")
final class ConntrackCommand implements Callable<Integer> {

    static final String PATH = "/api/v1/datapath/conntrack";
    static final int MAX_LIMIT = 100_000; // the gateway refuses more too

    /** The direction of an entry, as the datapath's ct_dir names it. */
    enum Kind {
        DNAT,
        DNAT_REPLY,
        SNAT,
        SNAT_REPLY
    }

    static final TableLayout<ConntrackView> LAYOUT = new TableLayout<ConntrackView>()
            .left("KIND", ConntrackView::kind)
            .left("PROTO", ConntrackView::protocol)
            .left("SOURCE", ConntrackView::source)
            .left("DESTINATION", ConntrackView::destination)
            .left("TRANSLATED TO", ConntrackView::translatedTo)
            .right("BACKEND", e -> Integer.toString(e.backendId()))
            .right("IDENTITY", e -> Integer.toString(e.identity()))
            .right("AGE", e -> HumanFormat.durationMillis(e.ageMillis()))
            .right("IDLE", e -> HumanFormat.durationMillis(e.idleMillis()))
            .right("PACKETS", e -> count(e.packets()))
            .right("BYTES", e -> count(e.bytes()))
            .left("CLOSING", e -> yesNo(e.closing()))
            .wideOnly();

    @ParentCommand
    Meshgw meshgw;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Read at most N entries from the datapath (1..100000, default ${DEFAULT-VALUE}).")
    int limit;

    @Option(
            names = "--kind",
            paramLabel = "KIND",
            description = "Only entries of this kind: dnat, dnat_reply, snat or snat_reply.")
    Kind kind;

    @Override
    public Integer call() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ParameterException(
                    spec.commandLine(), "--limit must be 1.." + count(MAX_LIMIT) + ", not " + limit);
        }
        String what = kind == null ? "conntrack entries" : kind.name() + " conntrack entries";
        Listing<ConntrackView> listing =
                Listing.of(PATH, ConntrackView.class, "no " + what, LAYOUT).selecting(this::ofKind);
        List<ConntrackView> all = meshgw.show(listing, "?limit=" + limit);
        if (!meshgw.jsonOutput() && all.size() >= limit) {
            meshgw.out().println("(the gateway stopped at --limit " + count(limit) + "; there may be more)");
            meshgw.out().flush();
        }
        return ExitCode.OK.code;
    }

    private List<Integer> ofKind(List<ConntrackView> entries) {
        return IntStream.range(0, entries.size())
                .filter(i -> kind == null
                        || kind.name().equalsIgnoreCase(entries.get(i).kind()))
                .boxed()
                .toList();
    }
}
