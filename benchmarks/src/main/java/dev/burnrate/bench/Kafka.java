package dev.burnrate.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import dev.burnrate.app.TopicSetup;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Small Kafka helpers shared by the parts: topics, offsets, a fast producer, and "has this app consumed it all". */
final class Kafka {
    private Kafka() {
    }

    static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    static void createTopic(Admin admin, String name, int partitions, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs))).all().get();
        // produce only once every partition has a leader: an idempotent producer whose first batch met
        // NOT_LEADER_OR_FOLLOWER was seen retrying OUT_OF_ORDER_SEQUENCE for good, and the run lost its input
        TopicSetup.awaitServed(admin, name);
    }

    /** A producer tuned for bulk loading (the input is produced before anything is measured). */
    static KafkaProducer<byte[], byte[]> bulkProducer(String bootstrap) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 262144);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A producer as a log shipper would run it: small linger, default batching. */
    static KafkaProducer<byte[], byte[]> shipperProducer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    static List<TopicPartition> partitions(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    static Map<TopicPartition, Long> endOffsets(Admin admin, List<TopicPartition> parts) throws Exception {
        Map<TopicPartition, OffsetSpec> q = parts.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> r = admin.listOffsets(q).all().get();
        Map<TopicPartition, Long> out = new HashMap<>();
        r.forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Per topic of an app (name starting with {@code appId-}, the prefix dropped), the records appended to it per input
     * record: end offsets, so transaction markers count (one per partition and transaction) and compaction does not
     * undo anything. What an app writes to the broker besides its output: hand-over, changelogs, repartition topics.
     */
    static Map<String, Object> appendedPerRecord(Admin admin, String appId, long inputRecords) throws Exception {
        Map<String, Object> out = new java.util.TreeMap<>();
        for (String t : topics(admin, appId + "-", "")) {
            out.put(t.substring(appId.length() + 1), Benchmark.round((double) sum(endOffsets(admin, partitions(admin, t))) / inputRecords, 3));
        }
        return out;
    }

    /** Topics whose name starts with the prefix and ends with the suffix (e.g. an app's repartition topics). */
    static List<String> topics(Admin admin, String prefix, String suffix) throws Exception {
        Set<String> names = admin.listTopics().names().get();
        return names.stream().filter(n -> n.startsWith(prefix) && n.endsWith(suffix)).sorted().toList();
    }

    /**
     * Waits until a Kafka Streams application has processed, and committed, every record of its input and of its
     * internal hand-over topics: first its committed offsets on the input reach the input's end; then (everything the
     * first stage wrote is now in the hand-over topics) its committed offsets on those reach the ends they had at
     * that moment. With exactly-once, a committed offset means the state updates and outputs of those records are
     * committed too. Returns System.nanoTime() of the first poll that saw it done.
     */
    static long awaitProcessed(Admin admin, String groupId, String inputTopic, List<String> handOverTopics,
                               Duration timeout, LongSupplier progress) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> inputEnd = endOffsets(admin, partitions(admin, inputTopic));
        Map<TopicPartition, Long> handOverEnd = null;
        while (true) {
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException("group " + groupId + " did not process its input within " + timeout
                        + " (progress " + progress.getAsLong() + ")");
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get();
            if (handOverEnd == null) {
                if (reached(committed, inputEnd)) {
                    List<TopicPartition> hp = new ArrayList<>();
                    for (String t : handOverTopics) hp.addAll(partitions(admin, t));
                    handOverEnd = endOffsets(admin, hp);
                    continue;
                }
            } else if (reached(committed, handOverEnd)) {
                return now;
            }
            Thread.sleep(20);
        }
    }

    private static boolean reached(Map<TopicPartition, OffsetAndMetadata> committed, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (e.getValue() == 0) continue;
            OffsetAndMetadata c = committed.get(e.getKey());
            if (c == null || c.offset() < e.getValue()) return false;
        }
        return true;
    }
}
