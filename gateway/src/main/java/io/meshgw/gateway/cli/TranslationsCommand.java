package io.meshgw.gateway.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgw.gateway.api.v1.EgressView;
import io.meshgw.gateway.api.v1.TranslationView;
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

    /** One backend per line under its VIP, as the gateway words them ("10.1.0.10:8080 (local)"). */
    static final Listing<TranslationView> VIPS = Listing.of(
            TRANSLATIONS,
            TranslationView.class,
            "no VIP translations loaded",
            new TableLayout<TranslationView>()
                    .left("VIP", TranslationView::vip)
                    .left("PROTO", TranslationView::protocol)
                    .right("IDENTITY", t -> Integer.toString(t.identity()))
                    .left(
                            "BACKENDS",
                            t -> t.backends() == null || t.backends().isEmpty()
                                    ? "none (packets are dropped)"
                                    : String.join("\n", t.backends())));

    static final Listing<EgressView> SOURCES = Listing.of(
            EGRESS,
            EgressView.class,
            "no egress translations loaded",
            new TableLayout<EgressView>()
                    .right("IDENTITY", e -> Integer.toString(e.identity()))
                    .left("SOURCE", EgressView::source)
                    .left("PORTS", EgressView::ports)
                    .left("DESTINATIONS", e -> e.destinations() == null ? "" : String.join("\n", e.destinations())));

    @ParentCommand
    Meshgw meshgw;

    @Override
    public Integer call() {
        // Both before printing anything: a failure must not leave half an answer on the screen.
        Listing.Fetched<TranslationView> vips = meshgw.fetch(VIPS, "");
        Listing.Fetched<EgressView> sources = meshgw.fetch(SOURCES, "");
        if (meshgw.jsonOutput()) {
            ObjectNode both = JsonNodeFactory.instance.objectNode();
            both.set("translations", vips.json());
            both.set("egress", sources.json());
            meshgw.printJson(both);
            return ExitCode.OK.code;
        }
        meshgw.out().println("VIP translations (destination NAT)");
        meshgw.print(VIPS, vips);
        meshgw.out().println();
        meshgw.out().println("Egress translations (source NAT)");
        meshgw.print(SOURCES, sources);
        return ExitCode.OK.code;
    }
}
