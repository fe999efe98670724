package io.meshgw.gateway.cli;

import static io.meshgw.gateway.cli.HumanFormat.count;

import io.meshgw.gateway.api.v1.PeerView;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code meshgw peers}: the BGP sessions, laid out like {@code birdc show protocols}. */
@Command(name = "peers", description = "BGP sessions: state, uptime, prefixes, flaps and the last error.")
final class PeersCommand implements Callable<Integer> {

    static final String PATH = "/api/v1/bgp/peers";

    @ParentCommand
    Meshgw meshgw;

    @Override
    public Integer call() {
        meshgw.show(listing(meshgw.now()), "");
        return ExitCode.OK.code;
    }

    static Listing<PeerView> listing(Instant now) {
        return Listing.of(
                PATH,
                PeerView.class,
                "no BGP peers configured",
                new TableLayout<PeerView>()
                        .left("NAME", 24, PeerView::name)
                        .left("ADDRESS", PeerView::peerAddress)
                        .right("ASN", p -> Long.toString(p.peerAsn()))
                        .left("STATE", PeerView::sessionState)
                        .right("UPTIME/SINCE", p -> uptime(p.establishedSince(), now))
                        .right("RCVD", p -> count(p.receivedPrefixes()))
                        .right("ACCEPTED", p -> count(p.acceptedPrefixes()))
                        .right("ADV", p -> count(p.advertisedPrefixes()))
                        .right("MSGS IN", p -> count(p.messagesReceived()))
                        .wideOnly()
                        .right("MSGS OUT", p -> count(p.messagesSent()))
                        .wideOnly()
                        .right("FLAPS", p -> count(p.flaps()))
                        .left("LAST ERROR", 60, PeerView::lastError));
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
