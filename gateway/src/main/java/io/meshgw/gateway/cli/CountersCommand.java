package io.meshgw.gateway.cli;

import static io.meshgw.gateway.cli.HumanFormat.count;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshgw.gateway.cli.Table.Column;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code meshgw counters}: the datapath's packet and byte counters, in the gateway's order. */
@Command(
        name = "counters",
        description = "Datapath counters: packets and bytes per counter, with what each one counts.")
final class CountersCommand implements Callable<Integer> {

    static final String PATH = "/api/v1/datapath/counters";

    /** One element of GET /api/v1/datapath/counters. */
    record Counter(String name, String description, long packets, long bytes) {}

    @ParentCommand
    Meshgw meshgw;

    @Override
    public Integer call() {
        JsonNode body = meshgw.get(PATH);
        if (meshgw.jsonOutput()) {
            meshgw.printJson(body);
        } else {
            meshgw.printTable(table(meshgw.list(body, Counter.class, PATH)), "no counters (is the datapath attached?)");
        }
        return ExitCode.OK.code;
    }

    static Table table(List<Counter> counters) {
        Table t = new Table(
                Column.left("NAME", 32),
                Column.right("PACKETS"),
                Column.right("BYTES"),
                Column.left("DESCRIPTION", 80));
        for (Counter c : counters) {
            t.row(c.name(), count(c.packets()), count(c.bytes()), c.description());
        }
        return t;
    }
}
