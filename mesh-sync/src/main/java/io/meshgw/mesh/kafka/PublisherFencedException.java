package io.meshgw.mesh.kafka;

/**
 * Another publisher for the same cluster started after this one and took over its transactional
 * id: this instance is a zombie and must stop publishing (it cannot recover; a restart re-reads
 * the topic and competes again).
 */
public final class PublisherFencedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PublisherFencedException(String topic, Throwable cause) {
        super("publisher for " + topic + " was fenced by a newer instance of the same cluster", cause);
    }
}
