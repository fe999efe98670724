package io.meshgw.operator.port;

import java.util.Comparator;

/** A Kubernetes object by kind and key; renders as {@code kind/namespace/name} for log lines. */
public record ResourceRef(String kind, ObjectKey key) implements Comparable<ResourceRef> {
    private static final Comparator<ResourceRef> ORDER =
            Comparator.comparing(ResourceRef::kind).thenComparing(ResourceRef::key);

    @Override
    public int compareTo(ResourceRef other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return kind + "/" + key;
    }
}
