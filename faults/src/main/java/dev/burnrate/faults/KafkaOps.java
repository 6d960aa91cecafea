package dev.burnrate.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import dev.burnrate.app.TopicSetup;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the harness asks the broker: topics, the group's committed offsets, end offsets, a topic read to its end. */
final class KafkaOps implements AutoCloseable {
    private final String bootstrap;
    private final Admin admin;

    KafkaOps(String bootstrap) {
        this.bootstrap = bootstrap;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000", AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000"));
    }

    /**
     * An input topic without time retention (the traffic is dated hours back), served before it is written: a
     * producer's first batch bounced off a topic not served yet leaves its later in-flight batches out of sequence,
     * and after a broker kill -9 the broker then refused that partition's batches for good (seen here).
     */
    void createInput(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")))).all().get(30, TimeUnit.SECONDS);
        TopicSetup.awaitServed(admin, topic);
    }

    KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, "5",
                // a broker restart or kill is ridden out by retrying (idempotent: no duplicate)
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000", ProducerConfig.MAX_BLOCK_MS_CONFIG, "300000"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The group's committed offset per partition of the topic (absent partitions: none committed yet). */
    Map<Integer, Long> committed(String group, String topic) {
        try {
            Map<Integer, Long> out = new HashMap<>();
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).entrySet()) {
                if (e.getKey().topic().equals(topic) && e.getValue() != null) out.put(e.getKey().partition(), e.getValue().offset());
            }
            return out;
        } catch (Exception e) {
            return null; // the broker is away: the caller polls again
        }
    }

    /** The end offset of each partition of the topic, or null while the broker is away. */
    Map<Integer, Long> endOffsetsByPartition(String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
        for (int p = 0; p < partitions; p++) spec.put(new TopicPartition(topic, p), OffsetSpec.latest());
        try {
            Map<Integer, Long> out = new HashMap<>();
            admin.listOffsets(spec).all().get(10, TimeUnit.SECONDS).forEach((tp, i) -> out.put(tp.partition(), i.offset()));
            return out;
        } catch (Exception e) {
            return null;
        }
    }

    /** Every committed record of the topic, read to the end offsets seen when this starts. */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("could not read " + topic + " to its end in 120s");
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
