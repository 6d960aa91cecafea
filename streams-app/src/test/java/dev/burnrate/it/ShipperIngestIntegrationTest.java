package dev.burnrate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.burnrate.app.TopologyFactory;
import dev.burnrate.core.SkipReason;
import dev.burnrate.core.ShuffledSerde;
import dev.burnrate.slo.SloConfig;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * Ingest on the real broker of what the shippers really send, mixed on one topic: Filebeat, Fluent Bit, Vector and
 * Kubernetes-wrapped records, Istio's JSON, and the OpenTelemetry Collector's OTLP log and trace batches in both
 * encodings, plus garbage. Every request must be counted once under its service, normalized route, status and own
 * time; every entry that is no request counted as skipped; every bad record dead-lettered with its reason and offset
 * (a batch with one bad entry too, after its good entries were counted).
 */
class ShipperIngestIntegrationTest {

    @Test
    void everyShippersRecordsAreCountedAndGarbageIsDeadLettered() throws Exception {
        Map<String, String> cfg = KafkaTestSupport.isolatedConfig("shippers");
        // times relative to now (the input topic keeps the broker's time retention); within lateness.grace of each other
        long base = Math.floorDiv(System.currentTimeMillis() - 300_000, 10_000) * 10_000;
        try (KafkaTestSupport.Running run = KafkaTestSupport.start(cfg, SloConfig.defaultConfig());
             KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer()) {
            String in = cfg.get("input.topic");
            Map<String, Long> want = new TreeMap<>();
            Map<String, Integer> skips = new HashMap<>();
            int events = 0;
            ShipperRecords[] shapes = ShipperRecords.values();
            String[] methods = {"GET", "POST", "DELETE"};
            for (int i = 0; i < 110; i++) {
                ShipperRecords shape = shapes[i % shapes.length];
                long ts = base + i * 500L + 137;
                String service = "svc-" + (i % 3);
                int status = i % 7 == 0 ? 503 : (i % 11 == 0 ? 404 : 200);
                byte[] value = shape.bytes(ts, service, "/orders/" + (1000 + i) + "/items", methods[i % 3], status);
                producer.send(new ProducerRecord<>(in, i % 4, ts, null, value));
                want.merge(key(service, "/orders/{id}/items", status, shape.eventTime(ts)), 1L, Long::sum);
                events++;
                shape.skipsPerRecord().forEach((reason, n) -> skips.merge(reason, n, Integer::sum));
            }

            // a batch with a bad entry: its good entry is counted, and the record is dead-lettered for the other
            LogsData partlyBad = LogsData.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(kv("service.name", "svc-0")))
                    .addScopeLogs(ScopeLogs.newBuilder()
                            .addLogRecords(LogRecord.newBuilder().setTimeUnixNano(base * 1_000_000)
                                    .addAttributes(kv("url.path", "/ok")).addAttributes(kv("http.response.status_code", 200)))
                            .addLogRecords(LogRecord.newBuilder().setTimeUnixNano(base * 1_000_000)
                                    .addAttributes(kv("url.path", "/bad")).addAttributes(kv("http.response.status_code", 42)))))
                    .build();
            want.merge(key("svc-0", "/ok", 200, base), 1L, Long::sum);
            events++;

            Map<String, byte[]> garbage = new java.util.LinkedHashMap<>();
            byte[] batch = ShipperRecords.OTLP_LOGS_PROTO.bytes(base, "svc-0", "/x", "GET", 200);
            garbage.put("undecodable", Arrays.copyOf(batch, batch.length - 5));
            garbage.put("status-out-of-range", partlyBad.toByteArray());
            garbage.put("missing-status", "{\"fields\":{\"service\":\"shop\"},\"message\":\"worker 3 started\"}".getBytes(StandardCharsets.UTF_8));
            garbage.put("missing-service", ("{\"message\":\"10.0.0.1 - - [21/Nov/2024:14:40:00 +0000] \\\"GET / HTTP/1.1\\\" 200 1\"}")
                    .getBytes(StandardCharsets.UTF_8));
            Map<String, String> reasonAt = new HashMap<>();
            for (Map.Entry<String, byte[]> g : garbage.entrySet()) {
                RecordMetadata m = producer.send(new ProducerRecord<>(in, 1, base, null, g.getValue())).get();
                reasonAt.put(m.partition() + "@" + m.offset(), g.getKey());
            }
            producer.flush();

            KafkaTestSupport.assertDeadLettered(cfg.get("dlq.topic"), reasonAt);

            int expected = events;
            KafkaTestSupport.await("all requests ingested", Duration.ofSeconds(60), () -> run.metrics.ingestedCount() >= expected);
            String byService = TopologyFactory.byServiceTopic(cfg.get("application.id"));
            ShuffledSerde serde = new ShuffledSerde();
            Map<String, Long> got = new TreeMap<>();
            KafkaTestSupport.await("all counts handed on", Duration.ofSeconds(60), () -> {
                got.clear();
                got.putAll(IngestIntegrationTest.handedOn(byService, serde));
                return got.values().stream().mapToLong(Long::longValue).sum() >= expected;
            });
            assertEquals(want, got, "every request counted once, under its service, normalized route, status and own time");
            assertEquals(expected, (long) run.metrics.ingestedCount());
            assertEquals(reasonAt.size(), (long) run.metrics.deadLetterTotal());
            assertEquals(0, (long) run.metrics.lateCount());
            for (SkipReason r : SkipReason.values()) {
                assertEquals(skips.getOrDefault(r.tag(), 0), (int) run.metrics.skippedCount(r), "skipped " + r.tag());
            }
        }
    }

    private static String key(String service, String route, int status, long eventMs) {
        return service + " " + route + " " + status + " " + Math.floorDiv(eventMs, 250) * 250; // counted to the 250ms early step
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue kv(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }
}
