package io.meshgw.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --url, --token, --token-file, -o and the MESHGW_* variables. */
class GlobalOptionsTest {

    private FakeGateway gateway;

    @BeforeEach
    void start() throws IOException {
        gateway = new FakeGateway();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void jsonIsTheApisJsonPrettyPrintedWhereverTheOptionStands() throws IOException {
        ObjectMapper json = new ObjectMapper();
        CliRun after = CliRun.run("peers", "-o", "json", "--url", gateway.url());
        CliRun before = CliRun.run("-o", "json", "--url", gateway.url(), "peers");

        assertThat(after.exit()).isZero();
        assertThat(json.readTree(after.out())).isEqualTo(json.readTree(CannedJson.PEERS));
        assertThat(before.out()).isEqualTo(after.out());
        assertThat(after.out())
                .startsWith("[\n  {\n    \"name\": \"dc1-rr1\",\n")
                .endsWith("]\n");
    }

    @Test
    void emptyContainersPrintLikeJq() {
        gateway.answer("/api/v1/services", 200, "[{\"ports\": [], \"remoteBackends\": {}}]");

        assertThat(CliRun.run("services", "-o", "json", "--url", gateway.url()).out())
                .isEqualTo("[\n  {\n    \"ports\": [],\n    \"remoteBackends\": {}\n  }\n]\n");
        gateway.answer("/api/v1/services", 200, "[]");
        assertThat(CliRun.run("services", "-o", "json", "--url", gateway.url()).out())
                .isEqualTo("[]\n");
    }

    @Test
    void outputIsCaseInsensitiveAndCheckedUpFront() {
        assertThat(CliRun.run("counters", "-o", "JSON", "--url", gateway.url()).exit())
                .isZero();
        CliRun yaml = CliRun.run("counters", "-o", "yaml", "--url", gateway.url());
        assertThat(yaml.exit()).isEqualTo(64);
        assertThat(yaml.err()).contains("--output").contains("yaml");
    }

    @Test
    void theTokenGoesAsABearerHeader() {
        CliRun.run("peers", "--token", "s3cret", "--url", gateway.url());

        assertThat(gateway.requests())
                .extracting(FakeGateway.Request::authorization)
                .containsExactly("Bearer s3cret");
    }

    @Test
    void theTokenAndTheUrlComeFromTheEnvironment() {
        CliRun run = CliRun.withEnv(Map.of("MESHGW_URL", gateway.url(), "MESHGW_TOKEN", "from-env\n"), "counters");

        assertThat(run.exit()).isZero();
        assertThat(gateway.requests())
                .extracting(FakeGateway.Request::authorization)
                .containsExactly("Bearer from-env");
    }

    @Test
    void optionsBeatTheEnvironment() {
        CliRun.withEnv(
                Map.of("MESHGW_URL", "http://127.0.0.1:9", "MESHGW_TOKEN", "from-env"),
                "counters",
                "--url",
                gateway.url(),
                "--token",
                "from-option");

        assertThat(gateway.requests())
                .extracting(FakeGateway.Request::authorization)
                .containsExactly("Bearer from-option");
    }

    @Test
    void theTokenFileIsReadAndTrimmed(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "  from-file \n");

        CliRun.withEnv(
                Map.of("MESHGW_TOKEN", "from-env"),
                "counters",
                "--token-file",
                file.toString(),
                "--url",
                gateway.url());

        assertThat(gateway.requests())
                .extracting(FakeGateway.Request::authorization)
                .containsExactly("Bearer from-file");
    }

    @Test
    void aMissingTokenFileIsAUsageError(@TempDir Path dir) {
        CliRun run = CliRun.run("counters", "--token-file", dir.resolve("nope").toString(), "--url", gateway.url());

        assertThat(run.exit()).isEqualTo(64);
        assertThat(run.err()).startsWith("meshgw: cannot read the token file ");
        assertThat(gateway.requests()).isEmpty();
    }

    @Test
    void tokenAndTokenFileTogetherAreAUsageError(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "t");

        CliRun run = CliRun.run("counters", "--token", "t", "--token-file", file.toString(), "--url", gateway.url());

        assertThat(run.exit()).isEqualTo(64);
        assertThat(run.err()).contains("give --token or --token-file, not both");
    }

    @Test
    void withoutATokenThereIsNoAuthorizationHeader() {
        CliRun.run("counters", "--url", gateway.url());

        assertThat(gateway.requests())
                .extracting(FakeGateway.Request::authorization)
                .containsOnlyNulls();
    }

    @Test
    void theUrlDefaultsToTheLoopbackAdminPort() {
        assertThat(baseUrl(Map.of())).isEqualTo("http://127.0.0.1:9180");
        assertThat(baseUrl(Map.of("MESHGW_URL", "https://gw1.example.net:9443/")))
                .isEqualTo("https://gw1.example.net:9443");
        assertThat(baseUrl(Map.of("MESHGW_URL", "192.0.2.7:9180"))).isEqualTo("http://192.0.2.7:9180");
        assertThat(baseUrl(Map.of("MESHGW_URL", " "))).isEqualTo("http://127.0.0.1:9180");
    }

    @Test
    void aUrlThatIsNotHttpIsAUsageError() {
        CliRun run = CliRun.run("peers", "--url", "ftp://gw1");

        assertThat(run.exit()).isEqualTo(64);
        assertThat(run.err()).startsWith("meshgw: --url ftp://gw1 is not an http(s) URL");
    }

    private static String baseUrl(Map<String, String> env) {
        Meshgw meshgw = new Meshgw(env::get, Clock.systemUTC());
        new CommandLine(meshgw).parseArgs("peers");
        return meshgw.baseUrl();
    }
}
