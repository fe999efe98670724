package io.meshgw.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatJsonTest {

    @Test
    void readsFlatObjectsWithStringsNumbersNullsAndLists() {
        String json = """
                [{"name":"meshgw-system/dc","peerAsn":65001,"establishedSince":"2026-01-01T00:00:00Z",\
                "lastError":"repaired UPDATE (RFC 7606): [x, \\"y\\"]"},\
                {"prefix":"10.99.2.0/24","asPath":[65002, 1],"med":null,"nextHop":"172.16.1.4"}]""";
        List<Map<String, String>> objects = FlatJson.objects(json);
        assertThat(objects).hasSize(2);
        assertThat(objects.get(0))
                .containsEntry("name", "meshgw-system/dc")
                .containsEntry("peerAsn", "65001")
                .containsEntry("lastError", "repaired UPDATE (RFC 7606): [x, \"y\"]");
        assertThat(objects.get(1))
                .containsEntry("asPath", "[65002, 1]")
                .containsEntry("med", "null")
                .containsEntry("nextHop", "172.16.1.4");
    }

    @Test
    void aListOfObjectsInsideAnObjectIsItsFieldsRawTextAndHidesNoOtherField() {
        String json = """
                [{"name":"meshgw-system/dc","droppedAttributes":[{"type":23,"name":"TUNNEL_ENCAPSULATION"}],\
                "flaps":0},{"name":"meshgw-system/other","droppedAttributes":[]}]""";
        List<Map<String, String>> objects = FlatJson.objects(json);
        assertThat(objects).hasSize(2);
        assertThat(objects.get(0))
                .containsEntry("name", "meshgw-system/dc")
                .containsEntry("droppedAttributes", "[{\"type\":23,\"name\":\"TUNNEL_ENCAPSULATION\"}]")
                .containsEntry("flaps", "0");
        assertThat(objects.get(1)).containsEntry("name", "meshgw-system/other");
    }

    @Test
    void anAnswerThatIsNotAnArrayIsRejectedWithWhatItWas() {
        assertThatThrownBy(() -> FlatJson.objects("{\"error\":\"no BGP peer named x\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no BGP peer named x");
    }
}
