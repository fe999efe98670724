package io.meshgw.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Without QUARKUS_LOG_CONSOLE_JSON_ENABLED the console logs are lines for people, as in the lab and the tests. */
@QuarkusTest
class PlainConsoleLogTest {

    @Test
    void theConsolePrintsPlainLines() {
        String line = ConsoleLog.format("datapath ready");
        assertThat(line).contains("INFO").contains("datapath ready");
        assertThat(line.strip()).doesNotStartWith("{");
    }
}
