package io.meshgw.operator.standalone;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;

/**
 * One version of the standalone file: its objects, and whether it ends with the end document
 * ({@value #END_KIND}, {@code objects: <how many objects precede it>}). An empty or truncated file is still valid
 * YAML, and applying it would withdraw every VIP and drop every session, so a file is used only when it can be told
 * apart from one cut short ({@link #refusal}).
 *
 * <pre>
 * apiVersion: meshgw.io/v1alpha1
 * kind: StandaloneFileEnd
 * objects: 12
 * </pre>
 *
 * @param objects the file's objects, in document order
 * @param ended whether the file ends with the end document, whose count matched (else it would not have parsed)
 */
public record StandaloneFile(List<HasMetadata> objects, boolean ended) {
    /** The kind of the end document; {@code objects: 0} alone says a file is meant to be empty. */
    public static final String END_KIND = "StandaloneFileEnd";

    public StandaloneFile {
        objects = List.copyOf(objects);
    }

    /** Parses a file; see {@link StandaloneObjects#parseFile}. */
    public static StandaloneFile parse(String yaml) {
        return StandaloneObjects.parseFile(yaml);
    }

    /**
     * Why this file must not replace {@code lastGood}, if it must not: it holds no objects and does not say it means
     * to (an empty or truncated file), or the last good file had the end document and this one has none (a writer
     * that ends its files so lost the end: the file was cut short or is half-written).
     */
    public Optional<String> refusal(Optional<StandaloneFile> lastGood) {
        if (objects.isEmpty() && !ended) {
            return Optional.of("it holds no objects; an empty or truncated file would withdraw every VIP and remove"
                    + " every peer, so a file that means that ends with the document 'kind: " + END_KIND
                    + "' with 'objects: 0'");
        }
        if (!ended && lastGood.map(StandaloneFile::ended).orElse(false)) {
            return Optional.of("the last good file ended with a " + END_KIND + " document and this one has none: it"
                    + " is cut short or half-written after " + lastObject());
        }
        return Optional.empty();
    }

    /** Where a file that lost its end stops: after how many whole objects, and which was the last. */
    private String lastObject() {
        if (objects.isEmpty()) return "no object";
        var last = objects.getLast().getMetadata();
        var name = last.getNamespace() == null ? last.getName() : last.getNamespace() + "/" + last.getName();
        return objects.size() + " object(s), the last " + objects.getLast().getKind() + " " + name;
    }
}
