package io.meshgw.operator.port;

import java.util.Comparator;
import java.util.Objects;

/** Namespace and name of a Kubernetes object; the namespace is empty for cluster-scoped kinds. */
public record ObjectKey(String namespace, String name) implements Comparable<ObjectKey> {
    private static final Comparator<ObjectKey> ORDER =
            Comparator.comparing(ObjectKey::namespace).thenComparing(ObjectKey::name);

    public ObjectKey {
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(name, "name");
    }

    public static ObjectKey cluster(String name) {
        return new ObjectKey("", name);
    }

    /** The key of {@link #toString}'s text: {@code namespace/name}, or {@code name} for a cluster-scoped object. */
    public static ObjectKey parse(String text) {
        int slash = text.indexOf('/');
        return slash < 0 ? cluster(text) : new ObjectKey(text.substring(0, slash), text.substring(slash + 1));
    }

    public boolean clusterScoped() {
        return namespace.isEmpty();
    }

    @Override
    public int compareTo(ObjectKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return clusterScoped() ? name : namespace + "/" + name;
    }
}
