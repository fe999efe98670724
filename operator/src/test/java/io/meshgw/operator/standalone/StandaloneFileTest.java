package io.meshgw.operator.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An empty or truncated file parses, and would withdraw everything: it is refused unless it says it means that. */
class StandaloneFileTest {
    static final String OBJECTS = StandaloneApplyTest.OBJECTS;
    static final int COUNT = StandaloneObjects.parse(OBJECTS).size();

    static String ended(String yaml, int count) {
        return yaml + "\n---\napiVersion: meshgw.io/v1alpha1\nkind: StandaloneFileEnd\nobjects: " + count + "\n";
    }

    @Test
    void emptyStandaloneFileIsRefused() {
        var last = Optional.of(StandaloneFile.parse(OBJECTS));
        for (String empty : new String[] {"", "\n", "# nothing yet\n", "---\n---\n"}) {
            var file = StandaloneFile.parse(empty);
            assertThat(file.objects()).isEmpty();
            assertThat(file.refusal(last))
                    .as("'%s'", empty)
                    .hasValueSatisfying(r -> assertThat(r).startsWith("it holds no objects"));
            assertThat(file.refusal(Optional.empty()))
                    .as("nor on the first read")
                    .isPresent();
        }
    }

    @Test
    void aFileThatSaysItIsEmptyIsUsed() {
        var file = StandaloneFile.parse(ended("", 0));
        assertThat(file.objects()).isEmpty();
        assertThat(file.refusal(Optional.of(StandaloneFile.parse(ended(OBJECTS, COUNT)))))
                .isEmpty();
    }

    @Test
    void truncatedStandaloneFileKeepsLastGoodState() {
        var whole = ended(OBJECTS, COUNT);
        var last = Optional.of(StandaloneFile.parse(whole));
        assertThat(last.get().ended()).isTrue();
        // Cut at a document boundary: still valid YAML, fewer objects, and no end document.
        var cut = whole.substring(0, whole.indexOf("kind: Service\n"));
        cut = cut.substring(0, cut.lastIndexOf("---"));
        var file = StandaloneFile.parse(cut);
        assertThat(file.objects()).isNotEmpty().hasSizeLessThan(COUNT);
        assertThat(file.refusal(last))
                .hasValueSatisfying(r -> assertThat(r)
                        .contains("has none: it is cut short or half-written after "
                                + file.objects().size() + " object(s), the last "
                                + file.objects().getLast().getKind()));
    }

    @Test
    void aFileThatLostDocumentsBeforeItsEndDoesNotParse() {
        assertThatThrownBy(() -> StandaloneFile.parse(ended(OBJECTS, COUNT + 1)))
                .hasMessageContaining("says " + (COUNT + 1) + " objects precede it, but " + COUNT + " do");
        assertThatThrownBy(() -> StandaloneFile.parse(ended("", 0) + "---\n" + OBJECTS))
                .hasMessageContaining("which must be the last");
        assertThatThrownBy(() -> StandaloneFile.parse(ended("", 0).replace("objects: 0", "objects: none")))
                .hasMessageContaining("objects must be the number of objects before it");
    }

    @Test
    void aWriterWithoutEndDocumentsKeepsWorkingAsBefore() {
        var file = StandaloneFile.parse(OBJECTS);
        assertThat(file.ended()).isFalse();
        assertThat(file.refusal(Optional.of(StandaloneFile.parse(OBJECTS)))).isEmpty();
        assertThat(file.refusal(Optional.empty())).isEmpty();
    }
}
