package io.meshgw.gateway.cli;

import static io.meshgw.gateway.cli.HumanFormat.count;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.meshgw.gateway.cli.Table.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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
    static final int MAX_LIMIT = 100_000; // the gateway clamps to this too

    /** The direction of an entry, as the datapath's ct_dir names it. */
    enum Kind {
        DNAT,
        DNAT_REPLY,
        SNAT,
        SNAT_REPLY
    }

    /** One element of GET /api/v1/datapath/conntrack. */
    record Entry(
            String kind,
            String protocol,
            String source,
            String destination,
            String translatedTo,
            int backendId,
            int identity,
            long ageMillis,
            long idleMillis,
            long packets,
            long bytes) {}

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
        JsonNode body = meshgw.get(PATH + "?limit=" + limit);
        List<Entry> all = meshgw.list(body, Entry.class, PATH);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (kind == null || kind.name().equalsIgnoreCase(all.get(i).kind())) {
                kept.add(i);
            }
        }
        if (meshgw.jsonOutput()) {
            ArrayNode selected = JsonNodeFactory.instance.arrayNode();
            kept.forEach(i -> selected.add(body.get(i)));
            meshgw.printJson(selected);
            return ExitCode.OK.code;
        }
        String what = kind == null ? "conntrack entries" : kind.name() + " conntrack entries";
        meshgw.printTable(table(kept.stream().map(all::get).toList()), "no " + what);
        if (all.size() >= limit) {
            meshgw.out().println("(the gateway stopped at --limit " + count(limit) + "; there may be more)");
            meshgw.out().flush();
        }
        return ExitCode.OK.code;
    }

    static Table table(List<Entry> entries) {
        Table t = new Table(
                Column.left("KIND"),
                Column.left("PROTO"),
                Column.left("SOURCE"),
                Column.left("DESTINATION"),
                Column.left("TRANSLATED TO"),
                Column.right("BACKEND"),
                Column.right("IDENTITY"),
                Column.right("AGE"),
                Column.right("IDLE"),
                Column.right("PACKETS"),
                Column.right("BYTES"));
        for (Entry e : entries) {
            t.row(
                    e.kind(),
                    e.protocol(),
                    e.source(),
                    e.destination(),
                    e.translatedTo(),
                    Integer.toString(e.backendId()),
                    Integer.toString(e.identity()),
                    HumanFormat.durationMillis(e.ageMillis()),
                    HumanFormat.durationMillis(e.idleMillis()),
                    count(e.packets()),
                    count(e.bytes()));
        }
        return t;
    }
}
