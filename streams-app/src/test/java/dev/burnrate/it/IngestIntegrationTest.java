package dev.burnrate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.burnrate.app.TopologyFactory;
import dev.burnrate.demo.AccessLogJson;
import dev.burnrate.ingest.DeadLetters;
import dev.burnrate.core.Shuffled;
import dev.burnrate.schema.AccessLogEvent;
import dev.burnrate.serde.AccessLogAvroSerializer;
import dev.burnrate.serde.SchemaResolver;
import dev.burnrate.core.ShuffledSerde;
import dev.burnrate.slo.SloConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * Ingest on the real broker: good records in every JSON convention and in Confluent-framed Avro, mixed with
 * garbage. Every good record must be counted by the ingest stage under its own service, normalized route, status
 * and time (method and duration are checked by the parser's unit tests), every bad one must be in the dead-letter
 * topic with its reason and exact source offset, and nothing else may be lost.
 */
class IngestIntegrationTest {
    /** The by-service topic's counts summed per "service route status bucket". */
    static Map<String, Long> handedOn(String byService, ShuffledSerde serde) {
        Map<String, Long> got = new java.util.TreeMap<>();
        try {
            for (ConsumerRecord<byte[], byte[]> r : KafkaTestSupport.readAll(byService)) {
                if (serde.deserializer().deserialize(byService, r.value()) instanceof Shuffled.Batch b) {
                    assertEquals(b.service(), new String(r.key(), StandardCharsets.UTF_8), "keyed by service");
                    b.forEach((route, status, bucket, n) -> got.merge(b.service() + " " + route + " " + status + " " + bucket, n, Long::sum));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return got;
    }

    record Expected(long ts, String service, String route, String method, int status, double durationMs) {
    }

    @Test
    void goodRecordsAreIngestedWithTheirFieldsAndBadOnesAreDeadLetteredWithReasonAndOffset() throws Exception {
        Map<String, String> cfg = KafkaTestSupport.isolatedConfig("ingest");
        long base = Instant.parse("2026-05-04T10:00:00Z").toEpochMilli();
        try (KafkaTestSupport.Running run = KafkaTestSupport.start(cfg, SloConfig.defaultConfig());
             KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer()) {
            String in = cfg.get("input.topic");
            List<Expected> expected = new ArrayList<>();
            AccessLogJson[] conventions = AccessLogJson.values();
            for (int i = 0; i < 200; i++) {
                AccessLogJson c = conventions[i % conventions.length];
                long ts = base + i * 1000L;
                String service = "svc-" + (i % 3);
                int status = i % 7 == 0 ? 503 : (i % 11 == 0 ? 404 : 200);
                double duration = 10 + i;
                producer.send(new ProducerRecord<>(in, i % 4, ts, null, c.bytes(ts, service, "/items/" + (1000 + i) + "?page=2", "GET", status, duration)));
                double expectedDuration = switch (c) {
                    case PLAIN -> duration;
                    case ECS -> duration;        // written as nanoseconds
                    case NGINX -> duration;      // written as seconds with 3 decimals: exact for whole millis
                    default -> Double.NaN;       // OTel and Fluent Bit records here carry no duration
                };
                expected.add(new Expected(ts, service, "/items/{id}", "GET", status, expectedDuration));
            }
            AccessLogAvroSerializer avro = new AccessLogAvroSerializer(SchemaResolver.fromConfig(Map.of()));
            for (int i = 0; i < 20; i++) {
                long ts = base + 300_000 + i * 1000L;
                AccessLogEvent e = AccessLogEvent.newBuilder().setTimestamp(Instant.ofEpochMilli(ts)).setService("avro-svc")
                        .setRoute("/orders/" + (5000 + i)).setMethod("post").setStatus(i % 2 == 0 ? 500 : 201)
                        .setDurationMs(12.5).setDimensions(Map.of()).build();
                producer.send(new ProducerRecord<>(in, i % 4, ts, null, avro.serialize(in, e)));
                expected.add(new Expected(ts, "avro-svc", "/orders/{id}", "POST", i % 2 == 0 ? 500 : 201, 12.5));
            }
            Map<String, String> garbage = new java.util.LinkedHashMap<>();
            garbage.put("127.0.0.1 - - [04/May/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 612", "undecodable");
            garbage.put("{\"timestamp\":1,\"route\":\"/x\",\"status\":200}", "missing-service");
            garbage.put("{\"service\":\"a\",\"route\":\"/x\"}", "missing-status");
            garbage.put("{\"service\":\"a\",\"route\":\"/x\",\"status\":42}", "status-out-of-range");
            garbage.put("{\"service\":\"a\",\"route\":\"/x\",\"status\":200,\"timestamp\":\"yesterday\"}", "invalid-timestamp");
            garbage.put("{\"service\":\"a\",\"route\":\"/x\",\"status\":200,\"pad\":\"" + "x".repeat(70_000) + "\"}", "oversized");
            Map<String, String> reasonAt = new HashMap<>();
            for (Map.Entry<String, String> g : garbage.entrySet()) {
                RecordMetadata m = producer.send(new ProducerRecord<>(in, 2, base, null, g.getKey().getBytes(StandardCharsets.UTF_8))).get();
                reasonAt.put(m.partition() + "@" + m.offset(), g.getValue());
            }
            RecordMetadata unknownId = producer.send(new ProducerRecord<>(in, 1, base, null, new byte[] {0, 0, 0, 0, 77, 2, 4})).get();
            reasonAt.put(unknownId.partition() + "@" + unknownId.offset(), "unknown-schema-id");
            RecordMetadata empty = producer.send(new ProducerRecord<>(in, 3, base, null, new byte[0])).get();
            reasonAt.put(empty.partition() + "@" + empty.offset(), "empty");
            producer.flush();

            for (ConsumerRecord<byte[], byte[]> r : KafkaTestSupport.assertDeadLettered(cfg.get("dlq.topic"), reasonAt)) {
                assertEquals(in, DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC));
                assertEquals(Long.toString(base), DeadLetters.header(r.headers(), DeadLetters.SOURCE_TIMESTAMP));
                // stamped on append, so a replay's old timestamps cannot get its dead letters deleted at once
                assertEquals(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME, r.timestampType());
            }

            // the ingest stage hands on counts per (service, normalized route, status, 250ms early sub-bucket): they must
            // add up to exactly the good records, each under its own fields
            Map<String, Long> want = new java.util.TreeMap<>();
            for (Expected e : expected) want.merge(e.service() + " " + e.route() + " " + e.status() + " " + Math.floorDiv(e.ts(), 250) * 250, 1L, Long::sum);
            String byService = TopologyFactory.byServiceTopic(cfg.get("application.id"));
            ShuffledSerde serde = new ShuffledSerde();
            KafkaTestSupport.await("all good records ingested", Duration.ofSeconds(60), () -> run.metrics.ingestedCount() >= expected.size());
            Map<String, Long> got = new java.util.TreeMap<>();
            KafkaTestSupport.await("all counts handed on", Duration.ofSeconds(60), () -> {
                got.clear();
                got.putAll(handedOn(byService, serde));
                return got.values().stream().mapToLong(Long::longValue).sum() >= expected.size();
            });
            assertEquals(want, got, "every good record counted once, under its service, normalized route, status and time");
            assertEquals(expected.size(), (long) run.metrics.ingestedCount());
            assertEquals(reasonAt.size(), (long) run.metrics.deadLetterTotal());
            assertEquals(0, (long) run.metrics.lateCount());
        }
    }
}
