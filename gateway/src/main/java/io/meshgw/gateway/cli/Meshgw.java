package io.meshgw.gateway.cli;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code meshgw}: the gateway's admin API at the terminal, for people used to birdc, vtysh and
 * gobgp. A plain main class on purpose: no Quarkus boot, so it answers in a fraction of a second.
 * Each subcommand GETs one or two endpoints and prints a table, or the JSON as it came with
 * {@code -o json}. See docs/cli.md.
 */
@Command(
        name = "meshgw",
        // Inherited by every subcommand: -h/-V, the version and the exit-code footer.
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = Meshgw.Version.class,
        usageHelpAutoWidth = true,
        description =
                "Shows what a meshgw gateway is doing: BGP sessions and routes, services, the datapath, the mesh.",
        subcommands = {
            PeersCommand.class,
            RoutesCommand.class,
            ServicesCommand.class,
            TranslationsCommand.class,
            ClustersCommand.class,
            ConntrackCommand.class,
            CountersCommand.class,
            ExplainCommand.class,
            HelpCommand.class
        },
        footer = {
            "",
            "Exit codes: 0 ok, 2 gateway unreachable, 3 token refused, 4 other HTTP error,",
            "            5 unexpected answer, 64 bad arguments."
        })
public final class Meshgw implements Runnable {

    static final String DEFAULT_URL = "http://127.0.0.1:9180";

    enum Output {
        TABLE,
        /** The table with the columns marked wide-only as well. */
        WIDE,
        JSON
    }

    // Inherited: each may come before or after the subcommand (`meshgw -o json peers`, `meshgw peers -o json`).
    @Option(
            names = "--url",
            paramLabel = "URL",
            scope = ScopeType.INHERIT,
            description = "The gateway's admin API (default: $MESHGW_URL, else " + DEFAULT_URL + ").")
    String url;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            scope = ScopeType.INHERIT,
            description = "Bearer token for the admin API (default: $MESHGW_TOKEN). Visible in ps: prefer"
                    + " --token-file or the variable.")
    String token;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            scope = ScopeType.INHERIT,
            description = "Read the bearer token from FILE.")
    Path tokenFile;

    @Option(
            names = "--cacert",
            paramLabel = "FILE",
            scope = ScopeType.INHERIT,
            description = "PEM CA certificate(s) to trust for an https:// gateway (default: $MESHGW_CACERT, else the"
                    + " JDK's CAs).")
    Path caCert;

    @Option(
            names = "--cert",
            paramLabel = "FILE",
            scope = ScopeType.INHERIT,
            description = "PEM client certificate, when the gateway requires mutual TLS (default: $MESHGW_CERT).")
    Path clientCert;

    @Option(
            names = "--key",
            paramLabel = "FILE",
            scope = ScopeType.INHERIT,
            description = "PKCS#8 PEM private key of --cert (default: $MESHGW_KEY).")
    Path clientKey;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            scope = ScopeType.INHERIT,
            description = "table (default), wide (the table with more columns) or json: the API's JSON,"
                    + " pretty-printed, for scripts.")
    Output output;

    @Spec
    CommandSpec spec;

    private final UnaryOperator<String> env;
    private final Clock clock;
    private final ObjectMapper json =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private AdminClient client;

    /**
     * @param env reads environment variables ({@code System::getenv} in production)
     * @param clock "now" for uptimes
     */
    Meshgw(UnaryOperator<String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    public static void main(String[] args) {
        System.exit(commandLine(new Meshgw(System::getenv, Clock.systemUTC())).execute(args));
    }

    /** The configured command line: exit codes, error printing, and closing the HTTP client. */
    static CommandLine commandLine(Meshgw root) {
        CommandLine cli = new CommandLine(root);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(Meshgw::badArguments);
        cli.setExecutionExceptionHandler(Meshgw::failed);
        cli.setExecutionStrategy(parsed -> {
            try {
                return new CommandLine.RunLast().execute(parsed);
            } finally {
                root.closeClient();
            }
        });
        return cli;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }

    JsonNode get(String pathAndQuery) {
        if (client == null) {
            String base = baseUrl();
            client = new AdminClient(base, bearerToken(), tls(base), json);
        }
        return client.get(pathAndQuery);
    }

    boolean jsonOutput() {
        return output == Output.JSON;
    }

    boolean wideOutput() {
        return output == Output.WIDE;
    }

    /**
     * The one way a list command talks to the gateway: GETs the list, reads it as the API type
     * and prints the elements the listing selects, as a table or as the gateway's JSON.
     *
     * @param query appended to the listing's path, e.g. {@code ?limit=50}; empty for none
     * @return every element fetched, for notes after the table
     */
    <T> List<T> show(Listing<T> listing, String query) {
        Listing.Fetched<T> fetched = fetch(listing, query);
        print(listing, fetched);
        return fetched.rows();
    }

    /** A list as the gateway sent it and as the API type reads it; nothing is printed yet. */
    <T> Listing.Fetched<T> fetch(Listing<T> listing, String query) {
        JsonNode body = get(listing.path() + query);
        return new Listing.Fetched<>(body, list(body, listing.type(), listing.path()));
    }

    /** The selected elements: their JSON as it came with -o json, else the table. */
    <T> void print(Listing<T> listing, Listing.Fetched<T> fetched) {
        List<Integer> shown = listing.select().apply(fetched.rows());
        if (jsonOutput()) {
            printJson(selected(fetched.json(), shown));
        } else {
            Table table = listing.layout()
                    .table(shown.stream().map(fetched.rows()::get).toList(), wideOutput());
            printTable(table, listing.whenEmpty());
        }
    }

    /** The elements of a JSON array at these indices, in this order, untouched. */
    static ArrayNode selected(JsonNode array, List<Integer> indices) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        indices.forEach(i -> out.add(array.get(i)));
        return out;
    }

    Instant now() {
        return clock.instant();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** An API array as records; a different shape is the gateway's fault, not the user's. */
    <T> List<T> list(JsonNode body, Class<T> type, String path) {
        if (!body.isArray()) {
            throw badShape(
                    path,
                    "expected a JSON array, got " + body.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        try {
            return json.readerForListOf(type).readValue(body);
        } catch (IOException | IllegalArgumentException e) {
            throw badShape(
                    path, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    <T> T object(JsonNode body, Class<T> type, String path) {
        try {
            return json.treeToValue(body, type);
        } catch (IOException | IllegalArgumentException e) {
            throw badShape(
                    path, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /** Laid out like {@code jq .}: one array element per line, "key": value, [] and {} when empty. */
    void printJson(JsonNode body) {
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withArrayEmptySeparator("")
                        .withObjectEmptySeparator(""))
                .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
        ObjectWriter writer = json.writer(pretty);
        try {
            out().println(writer.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException("cannot print JSON that was just parsed", e);
        }
        out().flush();
    }

    /** The table, or the one-line note when there is nothing to show. */
    void printTable(Table table, String whenEmpty) {
        if (table.isEmpty()) {
            out().println(whenEmpty);
        } else {
            table.lines().forEach(out()::println);
        }
        out().flush();
    }

    /** An http(s) URL without a trailing slash; a bare host:port means http. */
    String baseUrl() {
        String u = Optional.ofNullable(url)
                .or(() -> Optional.ofNullable(env.apply("MESHGW_URL")).filter(s -> !s.isBlank()))
                .orElse(DEFAULT_URL)
                .strip();
        if (!u.contains("://")) {
            u = "http://" + u;
        }
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        try {
            URI uri = new URI(u);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(u, "not an http(s) URL with a host");
            }
        } catch (URISyntaxException e) {
            throw new ParameterException(
                    spec.commandLine(), "--url " + u + " is not an http(s) URL (e.g. " + DEFAULT_URL + ")");
        }
        return u;
    }

    /** For https://: the CA and client certificate given, else the JDK's defaults. */
    Optional<SSLContext> tls(String base) {
        Path ca = pathOption(caCert, "MESHGW_CACERT");
        Path cert = pathOption(clientCert, "MESHGW_CERT");
        Path key = pathOption(clientKey, "MESHGW_KEY");
        if (!base.startsWith("https://")) {
            if (ca != null || cert != null || key != null) {
                throw new ParameterException(
                        spec.commandLine(), "--cacert, --cert and --key need an https:// --url, not " + base);
            }
            return Optional.empty();
        }
        return ca == null && cert == null && key == null
                ? Optional.empty()
                : Optional.of(ClientTls.context(ca, cert, key));
    }

    private Path pathOption(Path option, String variable) {
        if (option != null) return option;
        return Optional.ofNullable(env.apply(variable))
                .filter(s -> !s.isBlank())
                .map(Path::of)
                .orElse(null);
    }

    /** --token, else --token-file, else $MESHGW_TOKEN; none means no Authorization header. */
    Optional<String> bearerToken() {
        if (token != null && tokenFile != null) {
            throw new ParameterException(spec.commandLine(), "give --token or --token-file, not both");
        }
        if (token != null) {
            return Optional.of(token.strip()).filter(t -> !t.isEmpty());
        }
        if (tokenFile != null) {
            try {
                String t = Files.readString(tokenFile).strip();
                if (t.isEmpty()) {
                    throw new CommandFailure(ExitCode.USAGE, "the token file " + tokenFile + " is empty");
                }
                return Optional.of(t);
            } catch (IOException e) {
                throw new CommandFailure(
                        ExitCode.USAGE, "cannot read the token file " + tokenFile + ": " + e.getMessage(), e);
            }
        }
        return Optional.ofNullable(env.apply("MESHGW_TOKEN")).map(String::strip).filter(t -> !t.isEmpty());
    }

    private void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private static CommandFailure badShape(String path, String detail) {
        return new CommandFailure(
                ExitCode.BAD_ANSWER,
                "GET " + path + " answered JSON this meshgw does not understand (" + detail
                        + "); is the gateway a different version?");
    }

    private static int badArguments(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("meshgw: " + ex.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
            cmd.usage(err);
        }
        err.flush();
        return ExitCode.USAGE.code;
    }

    private static int failed(Exception ex, CommandLine cmd, ParseResult parsed) throws Exception {
        if (!(ex instanceof CommandFailure failure)) {
            throw ex; // a bug: picocli prints the stack trace
        }
        cmd.getErr().println("meshgw: " + failure.getMessage());
        cmd.getErr().flush();
        return failure.exit().code;
    }

    /** The version in the jar's manifest, when run from a packaged gateway. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Meshgw.class.getPackage().getImplementationVersion();
            return new String[] {"meshgw " + (v != null ? v : "(development build)")};
        }
    }
}
