package io.meshgw.gateway.cli;

import static io.meshgw.gateway.cli.HumanFormat.count;

import io.meshgw.gateway.api.v1.CounterView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code meshgw counters}: the datapath's packet and byte counters, in the gateway's order. */
@Command(
        name = "counters",
        description = "Datapath counters: packets and bytes per counter, with what each one counts.")
final class CountersCommand implements Callable<Integer> {

    static final String PATH = "/api/v1/datapath/counters";

    static final Listing<CounterView> LISTING = Listing.of(
            PATH,
            CounterView.class,
            "no counters (is the datapath attached?)",
            new TableLayout<CounterView>()
                    .left("NAME", 32, CounterView::name)
                    .right("PACKETS", c -> count(c.packets()))
                    .right("BYTES", c -> count(c.bytes()))
                    .left("DESCRIPTION", 80, CounterView::description));

    @ParentCommand
    Meshgw meshgw;

    @Override
    public Integer call() {
        meshgw.show(LISTING, "");
        return ExitCode.OK.code;
    }
}
