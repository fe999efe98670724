package io.meshgw.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The floor under mesh-sync's latency: plain Kafka, one partition, records of the same size,
 * {@code acks=all} and idempotence with the same {@code linger.ms} as the state publisher, but no
 * transactions, no validation, no view.
 */
final class KafkaBaseline {

    private KafkaBaseline() {}

    static LatencySample run(String bootstrap, String topic, int rate, int seconds, int recordBytes) throws Exception {
        int total = rate * seconds;
        LatencySample sample = new LatencySample(total + 1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        AtomicBoolean running = new AtomicBoolean(true);
        var consumer = new KafkaConsumer<>(
                Map.<String, Object>of("bootstrap.servers", bootstrap, "enable.auto.commit", false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.assign(List.of(tp));
        consumer.seekToEnd(List.of(tp));
        consumer.position(tp); // resolve now, so nothing produced below is skipped
        Thread reader = Thread.ofPlatform().name("baseline-consumer").start(() -> {
            try (consumer) {
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        sample.arrived(ByteBuffer.wrap(r.value()).getInt(), System.nanoTime());
                    }
                }
            }
        });
        Map<String, Object> conf =
                Map.of("bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", true, "linger.ms", 2);
        try (var producer = new KafkaProducer<>(conf, new ByteArraySerializer(), new ByteArraySerializer())) {
            long period = 1_000_000_000L / rate;
            long start = System.nanoTime();
            for (int i = 1; i <= total; i++) {
                long wait = start + (i - 1) * period - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                byte[] value = new byte[recordBytes];
                ByteBuffer.wrap(value).putInt(i);
                sample.sent(i, System.nanoTime());
                producer.send(new ProducerRecord<>(topic, 0, null, value));
            }
            producer.flush();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!sample.has(total) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000);
        }
        running.set(false);
        reader.join(10_000);
        return sample;
    }
}
