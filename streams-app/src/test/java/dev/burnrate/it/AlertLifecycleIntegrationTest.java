package dev.burnrate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.burnrate.slo.SloConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A scripted incident on the real broker, with the processor restarted mid-incident (while fast-burn is firing)
 * with its local state wiped, so the alert state must come back from the changelog: exactly one firing and one
 * resolved record for fast-burn, no duplicate firing, no forgotten resolve.
 */
class AlertLifecycleIntegrationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long MIN = 60_000;

    @Test
    void restartMidIncidentNeitherRefiresNorLosesTheResolve() throws Exception {
        Map<String, String> cfg = new java.util.HashMap<>(KafkaTestSupport.isolatedConfig("lifecycle"));
        cfg.put("evaluation.early.step", "10s"); // the fire instant below is on the 10 s grid
        long s = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();
        long t0 = s + 60 * MIN;
        // checkout: 4 req/s, every 5th request a 503 (20%) from t0 for 30 minutes
        List<Scenario.Rec> recs = Scenario.generate(s, t0 + 60 * MIN, List.of("checkout", "catalog"), 4, 4,
                List.of(new Scenario.Incident("checkout", t0, t0 + 30 * MIN, 5, 503)));
        String in = cfg.get("input.topic");
        String alerts = cfg.get("alerts.topic");
        long split = t0 + 25 * MIN; // fast-burn fires at ~t0+22m (1h ratio 0.2*d/60 > 0.072 -> d > 21.6m)

        try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer()) {
            try (KafkaTestSupport.Running run = KafkaTestSupport.start(cfg, SloConfig.defaultConfig())) {
                for (Scenario.Rec r : recs) if (r.ts() < split) producer.send(new ProducerRecord<>(in, r.partition(), r.ts(), null, r.value()));
                producer.flush();
                KafkaTestSupport.await("fast-burn firing", Duration.ofSeconds(90), () -> fastBurn(alerts, 1).size() == 1);
                assertRocksDbShareOneBoundedCache(run);
            }
            assertChangelogsCompactedWithinMinutes(cfg.get("application.id"));
            // wipe the local state: alert state, windows and progress must be restored from their changelogs
            KafkaTestSupport.deleteQuietly(java.nio.file.Path.of(cfg.get("state.dir")));
            try (KafkaTestSupport.Running run = KafkaTestSupport.start(cfg, SloConfig.defaultConfig())) {
                for (Scenario.Rec r : recs) if (r.ts() >= split) producer.send(new ProducerRecord<>(in, r.partition(), r.ts(), null, r.value()));
                producer.flush();
                KafkaTestSupport.await("fast-burn resolved", Duration.ofSeconds(90), () -> fastBurn(alerts, 2).size() >= 2);
                Thread.sleep(2000); // anything wrongly emitted after the resolve would show up now
            }
        }
        List<JsonNode> fast = fastBurn(alerts, 3);
        assertEquals(2, fast.size(), "exactly one firing and one resolved record: " + fast);
        assertEquals("firing", fast.get(0).get("status").asText());
        assertEquals("resolved", fast.get(1).get("status").asText());
        assertEquals("availability/fast-burn/service=checkout", fast.get(0).get("id").asText());
        assertEquals(fast.get(0).get("startsAt"), fast.get(1).get("startsAt"), "the same episode");
        long fired = Instant.parse(fast.get(0).get("evaluatedAt").asText()).toEpochMilli();
        long resolved = Instant.parse(fast.get(1).get("evaluatedAt").asText()).toEpochMilli();
        // the 1h window (exact at its recent end) holds 14,400 requests and 0.8 errors per incident second: more than
        // 1036.8 errors from d = 1296.25 s, evaluated at the next 10 s instant, t0+1300s; the 5m window resolves after
        // the incident ends
        assertEquals(t0 + 1300_000, fired);
        assertEquals(true, resolved > t0 + 30 * MIN && resolved < t0 + 35 * MIN, "resolved at " + Instant.ofEpochMilli(resolved));
    }

    /** Every RocksDB store of the processor uses the one cache of state.memory.mb (256 MiB), not 50 MB of its own. */
    private static void assertRocksDbShareOneBoundedCache(KafkaTestSupport.Running run) {
        List<Object> capacities = run.app.streams().metrics().values().stream()
                .filter(m -> m.metricName().name().equals("block-cache-capacity")).map(m -> m.metricValue()).toList();
        assertEquals(true, capacities.size() >= 4, "a capacity per RocksDB store: " + capacities);
        for (Object c : capacities) assertEquals(256.0 * (1 << 20), ((Number) c).doubleValue(), "block cache capacity " + capacities);
    }

    /**
     * The stores rewritten at every commit get changelogs the cleaner keeps near their live state (a restore reads
     * the whole changelog): Kafka Streams created them with the topology's settings, not the broker's week-long
     * segments and day-long deletes.
     */
    private static void assertChangelogsCompactedWithinMinutes(String applicationId) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", KafkaTestSupport.bootstrap()))) {
            for (String store : List.of(dev.burnrate.core.StoreNames.BUCKETS, dev.burnrate.core.StoreNames.INGEST_BUFFER,
                    dev.burnrate.core.StoreNames.PROGRESS, dev.burnrate.core.StoreNames.ALERT_STATE)) {
                var topic = new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC,
                        applicationId + "-" + store + "-changelog");
                var config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
                assertEquals("compact", config.get("cleanup.policy").value(), store);
                assertEquals("60000", config.get("segment.ms").value(), store);
                assertEquals("0.2", config.get("min.cleanable.dirty.ratio").value(), store);
                assertEquals(store.equals(dev.burnrate.core.StoreNames.BUCKETS) ? "60000" : "86400000",
                        config.get("delete.retention.ms").value(), store);
            }
        }
    }

    static List<JsonNode> fastBurn(String topic, int atLeast) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : KafkaTestSupport.readAll(topic)) {
                JsonNode n = JSON.readTree(r.value());
                if (n.get("labels").get("rule").asText().equals("fast-burn")) out.add(n);
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
