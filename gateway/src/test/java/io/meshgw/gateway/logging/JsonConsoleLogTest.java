package io.meshgw.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** quarkus.log.console.json.enabled (the chart's log.json) turns the console into one JSON object per record. */
@QuarkusTest
@TestProfile(JsonConsoleLogTest.Json.class)
class JsonConsoleLogTest {

    public static class Json implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.console.json.enabled", "true");
        }
    }

    @Test
    void theConsolePrintsOneJsonObjectPerRecord() throws Exception {
        String line = ConsoleLog.format("datapath ready");

        assertThat(line.strip()).doesNotContain("\n");
        JsonNode record = new ObjectMapper().readTree(line);
        assertThat(record.path("message").asText()).isEqualTo("datapath ready");
        assertThat(record.path("level").asText()).isEqualTo("INFO");
        assertThat(record.path("loggerName").asText()).isEqualTo("io.meshgw.gateway.logging");
    }
}
