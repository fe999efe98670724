package io.meshgw.operator.apiserver;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.server.mock.CustomResourceDefinitionProcessor;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import java.util.Map;

/**
 * The mock's attributes of a stored object, plus a Pod's {@code spec.nodeName}: the attribute its field selector
 * parser makes of {@code fieldSelector=spec.nodeName=<node>}, so such a list or watch matches that node's Pods as an
 * API server's does. The dispatcher builds its extractor itself and offers no way to pass one, so {@link #install}
 * puts this one in its place (both fields that hold it) before the dispatcher serves anything.
 */
final class NodeNameAttributes extends KubernetesAttributesExtractor {
    static final String NODE_NAME = "spec.nodeName";

    @Override
    public AttributeSet extract(HasMetadata object) {
        AttributeSet attributes = super.extract(object);
        String node = nodeName(object);
        return node == null ? attributes : attributes.add(new Attribute(NODE_NAME, node));
    }

    private static String nodeName(HasMetadata object) {
        if (object instanceof Pod pod) {
            return pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        }
        if (object instanceof GenericKubernetesResource r
                && "Pod".equals(r.getKind())
                && r.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                && spec.get("nodeName") instanceof String node) {
            return node;
        }
        return null;
    }

    static void install(KubernetesCrudDispatcher dispatcher) {
        try {
            var own = KubernetesCrudDispatcher.class.getDeclaredField("kubernetesAttributesExtractor");
            var base = CrudDispatcher.class.getDeclaredField("attributeExtractor");
            var crds = KubernetesCrudDispatcher.class.getDeclaredField("crdProcessor");
            for (var f : new java.lang.reflect.Field[] {own, base, crds}) {
                f.setAccessible(true);
            }
            var extractor = new NodeNameAttributes();
            extractor.setCustomResourceDefinitionProcessor((CustomResourceDefinitionProcessor) crds.get(dispatcher));
            own.set(dispatcher, extractor);
            base.set(dispatcher, extractor);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot teach the mock API server Pods' node names", e);
        }
    }
}
