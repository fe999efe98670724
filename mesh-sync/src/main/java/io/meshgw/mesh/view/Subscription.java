package io.meshgw.mesh.view;

/** Stops the deliveries to one listener. */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
