package dev.burnrate.notifier;

import dev.burnrate.alerts.AlertJson;
import dev.burnrate.alerts.AlertId;
import dev.burnrate.it.KafkaTestSupport;
import dev.burnrate.schema.AlertStatus;
import dev.burnrate.schema.Evidence;
import dev.burnrate.schema.RouteEvidence;
import dev.burnrate.schema.SloAlert;
import dev.burnrate.schema.StatusCodeEvidence;
import dev.burnrate.schema.WindowEvidence;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The processor's test broker (KafkaTestSupport), isolated notifier configs, alert records in the processor's format. */
final class TestKafka {
    private TestKafka() {
    }

    static String bootstrap() throws Exception {
        return KafkaTestSupport.bootstrap();
    }

    /** A notifier config with its own alerts topic (created, compacted as the processor creates it), group and DLQ. */
    static Map<String, String> isolatedConfig(String name, int partitions) throws Exception {
        String id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            admin.createTopics(Set.of(new NewTopic(id + "-alerts", partitions, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
        }
        Map<String, String> m = new HashMap<>();
        m.put("bootstrap.servers", bootstrap());
        m.put("alerts.topic", id + "-alerts");
        m.put("notifier.group.id", id);
        m.put("notifier.dlq.topic", id + "-dlq");
        m.put("notifier.http.port", "0");
        m.put("notifier.retry.initial.backoff", "100ms");
        m.put("notifier.retry.max.backoff", "1s");
        m.put("notifier.request.timeout", "5s");
        return m;
    }

    static KafkaProducer<byte[], byte[]> producer() throws Exception {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Writes the alert as the processor does: keyed by its identity, value AlertJson's encoding (alerts.format=json). */
    static void send(KafkaProducer<byte[], byte[]> p, String topic, SloAlert a) throws Exception {
        p.send(new ProducerRecord<>(topic, a.getId().getBytes(StandardCharsets.UTF_8), new AlertJson().encode(a))).get();
    }

    static void sendRaw(KafkaProducer<byte[], byte[]> p, String topic, String key, byte[] value) throws Exception {
        p.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    /** A firing fast-burn page for the service, as the processor's AlertRecords builds it (identity, dedup key, evidence). */
    static SloAlert firing(String service, Instant startsAt) {
        String id = "availability/fast-burn/service=" + service;
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", "availability-fast-burn");
        labels.put("severity", "page");
        labels.put("slo", "availability");
        labels.put("rule", "fast-burn");
        labels.put("service", service);
        labels.put("team", "payments");
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", service + ": availability fast-burn (page) firing: burn rate 15.6x over 1h, burn rate 55.1x over 5m (threshold 14.4x)");
        annotations.put("description", "1h: 424 errors / 5422 requests (7.82%); 5m: 268 errors / 972 requests (27.57%).");
        annotations.put("runbook_url", "https://runbooks.example.com/" + service);
        Instant at = startsAt.truncatedTo(ChronoUnit.MILLIS);
        return SloAlert.newBuilder().setId(id).setDedupKey(AlertId.parse(id).dedupKey()).setStatus(AlertStatus.firing)
                .setLabels(labels).setAnnotations(annotations).setStartsAt(at).setEndsAt(null).setEvaluatedAt(at)
                .setGeneratorURL("http://localhost:8080/api/services/" + service)
                .setEvidence(new Evidence(
                        List.of(new WindowEvidence("1h", 5422L, 424L, 0.0782, 15.64, 14.4), new WindowEvidence("5m", 972L, 268L, 0.2757, 55.14, 14.4)),
                        List.of(new RouteEvidence("/api/pay", 334L, 264L, 0.7904)),
                        List.of(new StatusCodeEvidence(503, 242L, 0.903), new StatusCodeEvidence(500, 26L, 0.097))))
                .build();
    }

    /** The resolve of that episode: same startsAt, endsAt = the resolve instant. */
    static SloAlert resolved(SloAlert firing, Instant endsAt) {
        Map<String, String> annotations = new LinkedHashMap<>(firing.getAnnotations());
        annotations.put("summary", firing.getAnnotations().get("summary").replace(" firing: ", " resolved: "));
        Instant at = endsAt.truncatedTo(ChronoUnit.MILLIS);
        return SloAlert.newBuilder(firing).setStatus(AlertStatus.resolved).setAnnotations(annotations).setEndsAt(at).setEvaluatedAt(at).build();
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) throws Exception {
        return KafkaTestSupport.readAll(topic);
    }

    /** The group's committed offsets summed over the topic's partitions. */
    static long committed(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null).mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        KafkaTestSupport.await(what, timeout, condition);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) throws InterruptedException {
        KafkaTestSupport.await(what, timeout, condition, state);
    }
}
