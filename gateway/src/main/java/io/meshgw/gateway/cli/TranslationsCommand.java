package io.meshgw.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgw.gateway.cli.Table.Column;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code meshgw translations}: what the datapath has loaded, in two sections: VIPs to backends
 * (destination NAT) and egress identities to source addresses (source NAT).
 */
@Command(
        name = "translations",
        description = {
            "The datapath's translations: VIP -> backends, and egress identity -> source address.",
            "With -o json: {\"translations\": [...], \"egress\": [...]}."
        })
final class TranslationsCommand implements Callable<Integer> {

    static final String TRANSLATIONS = "/api/v1/datapath/translations";
    static final String EGRESS = "/api/v1/datapath/egress";

    /** One element of GET /api/v1/datapath/translations. */
    record Translation(String vip, String protocol, int identity, List<String> backends) {}

    /** One element of GET /api/v1/datapath/egress. */
    record Egress(int identity, String source, String ports, List<String> destinations) {}

    @ParentCommand
    Meshgw meshgw;

    @Override
    public Integer call() {
        // Both before printing anything: a failure must not leave half an answer on the screen.
        JsonNode translations = meshgw.get(TRANSLATIONS);
        JsonNode egress = meshgw.get(EGRESS);
        if (meshgw.jsonOutput()) {
            ObjectNode both = JsonNodeFactory.instance.objectNode();
            both.set("translations", translations);
            both.set("egress", egress);
            meshgw.printJson(both);
            return ExitCode.OK.code;
        }
        meshgw.out().println("VIP translations (destination NAT)");
        meshgw.printTable(
                translationTable(meshgw.list(translations, Translation.class, TRANSLATIONS)),
                "no VIP translations loaded");
        meshgw.out().println();
        meshgw.out().println("Egress translations (source NAT)");
        meshgw.printTable(egressTable(meshgw.list(egress, Egress.class, EGRESS)), "no egress translations loaded");
        return ExitCode.OK.code;
    }

    /** One backend per line under its VIP, as the gateway words them ("10.1.0.10:8080 (local)"). */
    static Table translationTable(List<Translation> translations) {
        Table t =
                new Table(Column.left("VIP"), Column.left("PROTO"), Column.right("IDENTITY"), Column.left("BACKENDS"));
        for (Translation tr : translations) {
            t.row(
                    tr.vip(),
                    tr.protocol(),
                    Integer.toString(tr.identity()),
                    tr.backends() == null || tr.backends().isEmpty()
                            ? "none (packets are dropped)"
                            : String.join("\n", tr.backends()));
        }
        return t;
    }

    static Table egressTable(List<Egress> egress) {
        Table t = new Table(
                Column.right("IDENTITY"), Column.left("SOURCE"), Column.left("PORTS"), Column.left("DESTINATIONS"));
        for (Egress e : egress) {
            t.row(
                    Integer.toString(e.identity()),
                    e.source(),
                    e.ports(),
                    e.destinations() == null ? "" : String.join("\n", e.destinations()));
        }
        return t;
    }
}
