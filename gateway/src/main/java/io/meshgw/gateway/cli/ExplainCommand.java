package io.meshgw.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshgw.gateway.api.v1.ExplainTarget;
import io.meshgw.gateway.api.v1.Explanation;
import io.meshgw.gateway.api.v1.ExplanationStep;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code meshgw explain}: follows one legacy address through the gateway, stage by stage (BGP,
 * VIP pool, export, service, backends, datapath, counters), and ends with the verdict.
 */
@Command(
        name = "explain",
        description = "Why traffic to an address does (or does not) reach a backend, stage by stage.")
final class ExplainCommand implements Callable<Integer> {

    static final String PATH = "/api/v1/explain";

    @ParentCommand
    Meshgw meshgw;

    @Spec
    CommandSpec spec;

    @Parameters(
            paramLabel = "ADDRESS",
            description = "An address the legacy network sends to, with an optional port: " + ExplainTarget.FORMS + ".")
    String address;

    @Override
    public Integer call() {
        if (ExplainTarget.parse(address).isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "'" + address + "' is not an IPv4 or IPv6 address with an optional port (" + ExplainTarget.FORMS
                            + ")");
        }
        JsonNode body = meshgw.get(PATH + "?address=" + URLEncoder.encode(address, StandardCharsets.UTF_8));
        if (meshgw.jsonOutput()) {
            meshgw.printJson(body);
        } else {
            print(meshgw.object(body, Explanation.class, PATH), address, meshgw.out());
        }
        return ExitCode.OK.code;
    }

    /**
     * <pre>
     * 198.51.100.10:80
     *  1. bgp       198.51.100.0/24 is announced to 2 of 2 peers
     *               peers: dc1, dc2
     *  2. vip-pool  ...
     * verdict: translated
     * </pre>
     */
    static void print(Explanation e, String asked, PrintWriter out) {
        out.println(e.address() != null ? e.address() : asked);
        List<ExplanationStep> steps = e.steps() == null ? List.of() : e.steps();
        if (steps.isEmpty()) {
            out.println("  (the gateway reported no stages)");
        }
        int numberWidth = Integer.toString(steps.size()).length();
        int stageWidth = steps.stream()
                .mapToInt(s -> String.valueOf(s.stage()).length())
                .max()
                .orElse(0);
        String indent = " ".repeat(1 + numberWidth + 2 + stageWidth + 2);
        for (int i = 0; i < steps.size(); i++) {
            ExplanationStep s = steps.get(i);
            String number = String.format("%" + numberWidth + "d", i + 1);
            String stage = String.valueOf(s.stage());
            out.println((" " + number + ". " + stage + " ".repeat(stageWidth - stage.length()) + "  "
                            + HumanFormat.orNone(s.summary()))
                    .stripTrailing());
            Map<String, String> details = s.details() == null ? Map.of() : s.details();
            int keyWidth =
                    details.keySet().stream().mapToInt(String::length).max().orElse(0);
            details.forEach((k, v) ->
                    out.println((indent + k + ":" + " ".repeat(keyWidth - k.length() + 1) + HumanFormat.orNone(v))
                            .stripTrailing()));
        }
        out.println("verdict: " + HumanFormat.orNone(e.verdict()));
        out.flush();
    }
}
