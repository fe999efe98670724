package io.meshgw.operator.plan;

import io.meshgw.types.ServicePort;
import java.util.List;

/** One port of a Service and its ready backends, in {@link Backend} order. */
public record PortTranslation(ServicePort port, List<Backend> backends) {
    public PortTranslation {
        backends = List.copyOf(backends);
    }
}
