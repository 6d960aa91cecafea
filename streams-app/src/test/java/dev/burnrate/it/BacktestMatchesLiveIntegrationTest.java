package dev.burnrate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.burnrate.slo.SloConfig;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backtest and the live processor on a real broker give the same alerts for the same input: three hours of
 * three services in every shipper convention, with incidents, over four input partitions live (the backtest reads
 * one file, in time order) plus a garbage line. Compared: the (evaluatedAt, id, status) of every alert record the
 * live processor writes, against the firing and resolve instants of the backtest's episodes (--json), once from the
 * file and once from the live input topic (--bootstrap-server/--topic/--from/--to).
 */
class BacktestMatchesLiveIntegrationTest {
    static final long MIN = 60_000;
    static final int PARTITIONS = 4;

    @TempDir
    Path dir;

    @Test
    void backtestOfAFileAndOfTheTopicGiveTheLiveProcessorsAlerts() throws Exception {
        long s = Instant.parse("2026-08-01T00:00:00Z").toEpochMilli();
        long end = s + 180 * MIN;
        List<Scenario.Rec> recs = Scenario.generate(s, end, List.of("checkout", "catalog", "auth"), 1, PARTITIONS, List.of(
                new Scenario.Incident("checkout", s + 60 * MIN, s + 110 * MIN, 8, 503),  // 12.5%: fast and slow burn fire and resolve
                new Scenario.Incident("auth", s + 130 * MIN, s + 136 * MIN, 2, 502),    // 50% for 6 minutes: slow burn
                new Scenario.Incident("catalog", s + 20 * MIN, s + 26 * MIN, 3, 500))); // 33% for 6 minutes
        byte[] garbage = "<html>502 Bad Gateway</html>".getBytes(StandardCharsets.UTF_8);
        int garbageAt = recs.size() / 2;

        // the file: every record, in time order, one per line
        Path file = dir.resolve("logs.jsonl");
        try (OutputStream o = Files.newOutputStream(file)) {
            for (int i = 0; i < recs.size(); i++) {
                if (i == garbageAt) o.write(garbage);
                if (i == garbageAt) o.write('\n');
                o.write(recs.get(i).value());
                o.write('\n');
            }
        }

        // live: the same records over four partitions
        Map<String, String> cfg = KafkaTestSupport.isolatedConfig("backtest-live");
        // a busy machine can stall a commit past the 10s default; an aborted transaction is not what this compares
        cfg.put("transaction.timeout.ms", "120000");
        String in = cfg.get("input.topic");
        long lastInstant = Long.MAX_VALUE; // evaluation reaches the slowest partition's newest event
        for (int p = 0; p < PARTITIONS; p++) {
            final int part = p;
            long max = recs.stream().filter(r -> r.partition() == part).mapToLong(Scenario.Rec::ts).max().orElseThrow();
            lastInstant = Math.min(lastInstant, Math.floorDiv(max, 10_000) * 10_000);
        }
        final long last = lastInstant;
        try (KafkaTestSupport.Running run = KafkaTestSupport.start(cfg, SloConfig.defaultConfig());
             KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer()) {
            for (int i = 0; i < recs.size(); i++) {
                Scenario.Rec r = recs.get(i);
                if (i == garbageAt) producer.send(new ProducerRecord<>(in, r.partition(), r.ts(), null, garbage));
                producer.send(new ProducerRecord<>(in, r.partition(), r.ts(), null, r.value()));
            }
            producer.flush();
            KafkaTestSupport.await("all ingested", Duration.ofSeconds(120), () -> run.metrics.ingestedCount() >= recs.size(),
                    () -> "ingested " + run.metrics.ingestedCount() + " of " + recs.size());
            KafkaTestSupport.await("evaluated up to the last instant", Duration.ofSeconds(120), () -> KafkaTestSupport.evaluatedUpTo(run, PARTITIONS, last));
            assertEquals(1, (long) run.metrics.deadLetterTotal());
            Thread.sleep(500); // the last evaluation's records are committed with it
        }
        List<String> live = Timelines.live(cfg.get("alerts.topic"));

        List<JsonNode> fromFile = Timelines.backtest("--file", file.toString(), "--json");
        assertEquals(live, Timelines.episodes(fromFile), "live vs backtest of the file");
        assertTrue(live.stream().anyMatch(l -> l.endsWith("fast-burn/service=checkout firing")), live.toString());
        assertTrue(live.stream().anyMatch(l -> l.endsWith("fast-burn/service=checkout resolved")), live.toString());
        assertTrue(live.size() >= 6, live.toString());
        JsonNode summary = fromFile.get(fromFile.size() - 1);
        assertEquals(recs.size(), summary.get("events").asLong());
        assertEquals(1, summary.get("deadLetters").asLong());
        assertEquals(garbageAt + 1, fromFile.stream().filter(n -> n.get("type").asText().equals("dead-letter")).findFirst().orElseThrow().get("line").asLong());

        List<JsonNode> fromTopic = Timelines.backtest("--bootstrap-server", KafkaTestSupport.bootstrap(), "--topic", in,
                "--from", Instant.ofEpochMilli(s).toString(), "--to", Instant.ofEpochMilli(end).toString(), "--json");
        assertEquals(live, Timelines.episodes(fromTopic), "live vs backtest of the topic; its summary: " + fromTopic.get(fromTopic.size() - 1));
        JsonNode dl = fromTopic.stream().filter(n -> n.get("type").asText().equals("dead-letter")).findFirst().orElseThrow();
        assertEquals(recs.get(garbageAt).partition(), dl.get("partition").asInt());
    }
}
