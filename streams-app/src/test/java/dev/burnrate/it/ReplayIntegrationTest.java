package dev.burnrate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Catching up a backlog must drop nothing and change nothing: six hours of event time over four partitions,
 * produced one whole partition after another as fast as the broker takes it (partitions hours apart in event
 * time), must give exactly the alerts of the same events produced slowly, in time order, in small steps.
 */
class ReplayIntegrationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long MIN = 60_000;
    static final int PARTITIONS = 4;

    @Test
    void fastSkewedReplayDropsNothingAndGivesTheSameAlertsAsASlowFeed() throws Exception {
        long s = Instant.parse("2026-07-01T00:00:00Z").toEpochMilli();
        long end = s + 6 * 60 * MIN;
        List<Scenario.Rec> recs = Scenario.generate(s, end, List.of("checkout", "catalog", "auth"), 1, PARTITIONS, List.of(
                new Scenario.Incident("checkout", s + 60 * MIN, s + 110 * MIN, 8, 503),   // 12.5%: fast and slow burn
                new Scenario.Incident("catalog", s + 150 * MIN, s + 300 * MIN, 20, 500),  // 5% for 2.5h: ticket rules (its 6h slow-burn window stays under 3%)
                new Scenario.Incident("auth", s + 200 * MIN, s + 205 * MIN, 2, 502)));    // 50% for 5 minutes
        // evaluation can reach the slowest partition's newest event: that is where both runs must have got to
        long lastInstant = Long.MAX_VALUE;
        for (int p = 0; p < PARTITIONS; p++) {
            final int part = p;
            long max = recs.stream().filter(r -> r.partition() == part).mapToLong(Scenario.Rec::ts).max().orElseThrow();
            lastInstant = Math.min(lastInstant, Math.floorDiv(max, 10_000) * 10_000);
        }

        List<String> fast = run(recs, lastInstant, true);
        List<String> slow = run(recs, lastInstant, false);
        assertTrue(fast.size() >= 6, "the scenario produces alerts: " + fast);
        assertTrue(fast.stream().anyMatch(a -> a.contains("fast-burn/service=checkout firing")), fast.toString());
        assertTrue(fast.stream().anyMatch(a -> a.contains("ticket-slow/service=catalog firing")), fast.toString());
        assertEquals(slow, fast);
    }

    /** Runs the processor over the records; returns its alerts as "evaluatedAt id status", in topic order per id. */
    private List<String> run(List<Scenario.Rec> recs, long lastInstant, boolean fast) throws Exception {
        Map<String, String> cfg = KafkaTestSupport.isolatedConfig(fast ? "replay-fast" : "replay-slow");
        String in = cfg.get("input.topic");
        try (KafkaTestSupport.Running run = KafkaTestSupport.start(cfg, SloConfig.defaultConfig());
             KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer()) {
            if (fast) {
                for (int p = 0; p < PARTITIONS; p++) {
                    for (Scenario.Rec r : recs) if (r.partition() == p) producer.send(new ProducerRecord<>(in, p, r.ts(), null, r.value()));
                }
                producer.flush();
            } else {
                int chunk = 2000; // ~8 minutes of event time, all partitions in step; wait until it is ingested
                for (int i = 0; i < recs.size(); i += chunk) {
                    for (Scenario.Rec r : recs.subList(i, Math.min(recs.size(), i + chunk))) {
                        producer.send(new ProducerRecord<>(in, r.partition(), r.ts(), null, r.value()));
                    }
                    producer.flush();
                    final int done = Math.min(recs.size(), i + chunk);
                    KafkaTestSupport.await("chunk ingested", Duration.ofSeconds(180), () -> run.metrics.ingestedCount() >= done);
                }
            }
            KafkaTestSupport.await("all ingested", Duration.ofSeconds(300), () -> run.metrics.ingestedCount() >= recs.size(),
                    () -> "ingested " + run.metrics.ingestedCount() + " late " + run.metrics.lateCount() + " dead " + run.metrics.deadLetterTotal() + " of " + recs.size());
            KafkaTestSupport.await("evaluated up to the last instant", Duration.ofSeconds(300), () -> KafkaTestSupport.evaluatedUpTo(run, PARTITIONS, lastInstant));
            assertEquals(recs.size(), (long) run.metrics.ingestedCount(), "nothing lost");
            assertEquals(0, (long) run.metrics.lateCount(), "nothing dropped as late");
        }
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestSupport.readAll(cfg.get("alerts.topic"))) {
            JsonNode a = JSON.readTree(r.value());
            out.add(a.get("evaluatedAt").asText() + " " + a.get("id").asText() + " " + a.get("status").asText());
        }
        out.sort(null);
        return out;
    }

}
