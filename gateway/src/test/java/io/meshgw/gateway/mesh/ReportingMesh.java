package io.meshgw.gateway.mesh;

import io.meshgw.mesh.kafka.ReaderHealth;
import io.meshgw.mesh.view.MeshMetrics;
import jakarta.enterprise.inject.Vetoed;
import java.util.Optional;

/**
 * A MeshService that only reports figures, for tests of the metrics they become: the real one reports nothing without
 * a broker. Installed in place of the bean with QuarkusMock; nothing but {@link #metrics()} may be called on it.
 * Vetoed: it would inherit the bean's scope and become a second MeshService.
 */
@Vetoed
public class ReportingMesh extends MeshService {
    private final MeshMetrics metrics;

    public ReportingMesh(MeshMetrics metrics) {
        super(null);
        this.metrics = metrics;
    }

    @Override
    public Optional<ReaderHealth> readerHealth() {
        return Optional.of(metrics.reader());
    }

    @Override
    public Optional<MeshMetrics> metrics() {
        return Optional.of(metrics);
    }
}
