package io.meshgw.gateway.cli;

import static io.meshgw.gateway.cli.HumanFormat.count;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshgw.gateway.cli.Table.Column;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code meshgw peers}: the BGP sessions, laid out like {@code birdc show protocols}. */
@Command(name = "peers", description = "BGP sessions: state, uptime, prefixes, flaps and the last error.")
final class PeersCommand implements Callable<Integer> {

    static final String PATH = "/api/v1/bgp/peers";

    /** One element of GET /api/v1/bgp/peers. */
    record Peer(
            String name,
            String address,
            long peerAsn,
            String state,
            String establishedSince,
            long prefixesReceived,
            long prefixesAccepted,
            long prefixesAdvertised,
            long messagesReceived,
            long messagesSent,
            long flaps,
            String lastError) {}

    @ParentCommand
    Meshgw meshgw;

    @Override
    public Integer call() {
        JsonNode body = meshgw.get(PATH);
        if (meshgw.jsonOutput()) {
            meshgw.printJson(body);
        } else {
            meshgw.printTable(table(meshgw.list(body, Peer.class, PATH), meshgw.now()), "no BGP peers configured");
        }
        return ExitCode.OK.code;
    }

    static Table table(List<Peer> peers, Instant now) {
        Table t = new Table(
                Column.left("NAME", 24),
                Column.left("ADDRESS"),
                Column.right("ASN"),
                Column.left("STATE"),
                Column.right("UPTIME/SINCE"),
                Column.right("RCVD"),
                Column.right("ACCEPTED"),
                Column.right("ADV"),
                Column.right("FLAPS"),
                Column.left("LAST ERROR", 60));
        for (Peer p : peers) {
            t.row(
                    p.name(),
                    p.address(),
                    Long.toString(p.peerAsn()),
                    p.state(),
                    uptime(p.establishedSince(), now),
                    count(p.prefixesReceived()),
                    count(p.prefixesAccepted()),
                    count(p.prefixesAdvertised()),
                    count(p.flaps()),
                    p.lastError());
        }
        return t;
    }

    /** How long the session has been up, or "-" when it is not (or the instant is unreadable). */
    private static String uptime(String since, Instant now) {
        if (since == null) {
            return HumanFormat.NONE;
        }
        try {
            return HumanFormat.duration(Duration.between(Instant.parse(since), now));
        } catch (DateTimeParseException e) {
            return since;
        }
    }
}
