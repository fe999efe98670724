package io.meshgw.testkit;

import java.nio.file.Path;

/**
 * A real single-node Kafka broker that a lab uses, wherever it runs: a process on the host
 * ({@link KafkaBroker}) or in a container ({@link KafkaContainerBroker}).
 */
public interface LabBroker extends AutoCloseable {

    /** The {@code bootstrap.servers} value for clients. */
    String bootstrapServers();

    /** Stops the broker and starts it again with the same address and data. */
    void restart();

    /** The broker's log as a host file, for failure messages. */
    Path logFile();

    /** Stops the broker and removes its data. */
    @Override
    void close();
}
