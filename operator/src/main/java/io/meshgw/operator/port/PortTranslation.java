package io.meshgw.operator.port;

import java.util.List;

/** One exported Service port and its ready local backends, in address order. */
public record PortTranslation(ServicePort port, List<Backend> backends) {
    public PortTranslation {
        backends = List.copyOf(backends);
    }
}
