package io.meshgw.gateway.api.v1;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.meshgw.gateway.GatewayConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CLI's fixtures are the gateway's answers: for the lab's state, every endpoint the CLI
 * reads answers, over HTTP and through the real resources and services, exactly the JSON the
 * CLI's tests are served. A field renamed, dropped or added on the server fails here until the
 * fixtures are rewritten, and then fails the CLI's tests wherever the CLI read the old name.
 */
@QuarkusTest
class AdminApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The files are laid out like {@code jq .}, so their diffs read line by line. */
    private static final ObjectWriter JQ_STYLE = JSON.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withArrayEmptySeparator("")
                    .withObjectEmptySeparator(""))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));

    @Inject
    GatewayConfig config;

    @BeforeEach
    void lab() {
        AdminApiLab.install(config);
    }

    @ParameterizedTest
    @EnumSource(AdminApiFixture.class)
    void eachFixtureIsWhatTheGatewayAnswersForTheLab(AdminApiFixture fixture) throws JsonProcessingException {
        String body = given().get(fixture.request())
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .asString();
        JsonNode answer = JSON.readTree(body);
        if (AdminApiFixture.WRITING) {
            fixture.write(JQ_STYLE.writeValueAsString(answer));
            return;
        }
        assertThat(answer)
                .as(
                        "GET %s for the lab differs from src/test/resources/admin-api; if the change is meant,"
                                + " rewrite the fixtures (see AdminApiFixture) and read their diff",
                        fixture.request())
                .isEqualTo(JSON.readTree(fixture.json()));
    }
}
