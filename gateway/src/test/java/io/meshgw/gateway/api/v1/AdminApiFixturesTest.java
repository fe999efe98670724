package io.meshgw.gateway.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CLI's side of the contract: each fixture reads as its api.v1 type with a mapper as bare as
 * the CLI's, and writes back to the same JSON. A field the type does not have, or one the
 * fixture lacks, shows up as a difference here.
 */
class AdminApiFixturesTest {

    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @ParameterizedTest
    @EnumSource(AdminApiFixture.class)
    void eachFixtureReadsAsItsTypeAndWritesBackUnchanged(AdminApiFixture fixture) throws IOException {
        JsonNode tree = json.readTree(fixture.json());

        Object value = fixture.list()
                ? json.readerForListOf(fixture.type()).readValue(tree)
                : json.treeToValue(tree, fixture.type());

        assertThat(json.readTree(json.writeValueAsString(value))).isEqualTo(tree);
    }
}
