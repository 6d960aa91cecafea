package dev.burnrate.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    private static final String TOPIC = "events";
    private static final String GROUP = "reader-848";

    @TempDir
    Path dataDir;

    @Test
    @Timeout(120)
    void transactionalRoundTripSurvivesRestart() throws Exception {
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < 10; i++) {
            expected.put("k" + i, "v" + i);
        }

        long t0 = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir)) {
            System.out.printf("first start (format + start) took %d ms at %s%n", ms(t0), broker.bootstrapServers());
            assertTrue(Files.exists(dataDir.resolve("meta.properties")));

            try (Admin admin = admin(broker)) {
                Map<String, FinalizedVersionRange> features =
                    admin.describeFeatures().featureMetadata().get().finalizedFeatures();
                System.out.println("finalized features: " + new TreeMap<>(features));
                for (String f : List.of("transaction.version", "group.version", "streams.version")) {
                    assertTrue(features.containsKey(f) && features.get(f).maxVersionLevel() >= 1,
                        f + " must be enabled, got " + features);
                }
                admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
            }

            try (KafkaProducer<String, String> producer = transactionalProducer(broker)) {
                producer.initTransactions();
                producer.beginTransaction();
                expected.forEach((k, v) -> producer.send(new ProducerRecord<>(TOPIC, k, v)));
                producer.commitTransaction();
                // An aborted transaction must stay invisible to read_committed readers.
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, "aborted", "x"));
                producer.flush();
                producer.abortTransaction();
            }

            Map<String, String> read = readAllWithGroup(broker, GROUP, expected.size());
            assertEquals(expected, read);
        }

        long t1 = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir)) {
            System.out.printf("restart on existing dir took %d ms at %s%n", ms(t1), broker.bootstrapServers());
            try (Admin admin = admin(broker)) {
                assertEquals(3, admin.describeTopics(Set.of(TOPIC)).allTopicNames().get()
                    .get(TOPIC).partitions().size());
                // The committed offsets of the KIP-848 group survived the restart too.
                Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
                long committed = offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
                assertNotEquals(0, committed, "committed offsets lost: " + offsets);
            }
            Map<String, String> reread = readAllWithGroup(broker, GROUP + "-after-restart", expected.size());
            assertEquals(expected, reread);
        }
        System.out.printf("whole test took %d ms%n", ms(t0));
    }

    @Test
    @Timeout(60)
    void closeIsIdempotentAndFixedPortIsHonoured() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, port);
        assertEquals("127.0.0.1:" + port, broker.bootstrapServers());
        broker.close();
        broker.close();
    }

    @Test
    @Timeout(60)
    void aSecondBrokerOnTheSameFolderIsRefusedUntilTheFirstCloses() throws Exception {
        EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(dataDir);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> EmbeddedKafkaBroker.start(dataDir));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("in use by another process"), e.getMessage());
        first.close();
        EmbeddedKafkaBroker.start(dataDir).close(); // the lock was released
    }

    /** Reads with group.protocol=consumer (KIP-848), read_committed, committing offsets; returns key -> value. */
    private static Map<String, String> readAllWithGroup(EmbeddedKafkaBroker broker, String group, int count) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, String> read = new TreeMap<>();
        List<String> keysInOrder = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                 new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (read.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    read.put(r.key(), r.value());
                    keysInOrder.add(r.key());
                }
            }
            // Poll a little more: nothing else (in particular not the aborted record) may show up.
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                read.put(r.key(), r.value());
                keysInOrder.add(r.key());
            }
            Collection<TopicPartition> assigned = consumer.assignment();
            assertEquals(3, assigned.size(), "single member must own all 3 partitions");
            consumer.commitSync();
        }
        assertEquals(count, keysInOrder.size(), "duplicates or extra records: " + keysInOrder);
        return read;
    }

    private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafkaBroker broker) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-broker-test");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
