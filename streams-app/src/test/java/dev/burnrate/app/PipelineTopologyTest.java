package dev.burnrate.app;

import dev.burnrate.core.StoreNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.burnrate.core.DeadLetterReason;
import dev.burnrate.ingest.DeadLetters;
import dev.burnrate.slo.SloConfig;
import dev.burnrate.windows.BucketStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The real topology (ingest, by-service hand-over, windows, evaluation, alerts) driven by constructed event streams.
 * Traffic: 2 requests/s on checkout /api/pay; during an incident every 10th request is a 503 (exactly 10% in
 * every 10s bucket). Default SLO 99.5%: budget 0.005, so fast-burn (14.4x) needs an error ratio > 0.072.
 */
class PipelineTopologyTest {
    static final long S = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli(); // traffic starts, on an hour boundary
    static final long MIN = 60_000;
    static final long T0 = S + 60 * MIN; // incident starts after a healthy hour
    /**
     * Evaluation only at the 10 s instants: the tests of the window arithmetic and the rules' instants use it, so their
     * hand-computed instants stay on the grid; early evaluation (the default) has its own test below.
     */
    static final Map<String, String> GRID = Map.of("evaluation.early.step", "10s");

    /** Feeds [from, to) at 2 req/s, 10% errors while in [incidentFrom, incidentTo); the wall clock keeps pace. */
    static void feed(TopologyHarness h, long from, long to, long incidentFrom, long incidentTo) {
        feed(h, from, to, incidentFrom, incidentTo, bucket -> { });
    }

    static void feed(TopologyHarness h, long from, long to, long incidentFrom, long incidentTo, java.util.function.LongConsumer alsoPerBucket) {
        for (long bucket = from; bucket < to; bucket += 10_000) {
            alsoPerBucket.accept(bucket);
            for (int i = 0; i < 20; i++) {
                long ts = bucket + i * 500L;
                boolean incident = ts >= incidentFrom && ts < incidentTo;
                h.send(ts, "checkout", "/api/pay", incident && i % 10 == 0 ? 503 : 200);
            }
            h.driver.advanceWallClockTime(Duration.ofSeconds(10));
        }
    }

    static Map<String, List<JsonNode>> byRule(List<JsonNode> alerts) {
        return alerts.stream().collect(Collectors.groupingBy(a -> a.get("labels").get("rule").asText()));
    }

    static long at(JsonNode alert) {
        return Instant.parse(alert.get("evaluatedAt").asText()).toEpochMilli();
    }

    @Test
    void stepIncidentFiresAndResolvesEachRuleAtTheHandComputedInstant() {
        try (TopologyHarness h = new TopologyHarness(SloConfig.defaultConfig(), GRID, Instant.ofEpochMilli(S))) {
            long t1 = T0 + 50 * MIN; // incident ends
            feed(h, S, T0 + 80 * MIN, T0, t1);
            Map<String, List<JsonNode>> alerts = byRule(h.readAlerts());

            // Windows are exact at the recent end: at T0+x (x in s, a multiple of 10) a window holds the incident's
            // x/5 errors. fast-burn (0.072): 5m holds 600 requests, needs > 43.2 errors -> x >= 220; 1h holds 7200,
            // needs x/5 > 518.4 -> x = 2600 (T0+43m20s). Resolves when the 5m window holds <= 43 errors after the
            // incident: (300 - y)/5 <= 43 -> T1+90s.
            List<JsonNode> fast = alerts.get("fast-burn");
            assertEquals(2, fast.size(), "one firing and one resolved record: " + fast);
            assertEquals("firing", fast.get(0).get("status").asText());
            assertEquals(T0 + 2600_000, at(fast.get(0)));
            assertEquals("resolved", fast.get(1).get("status").asText());
            assertEquals(t1 + 90_000, at(fast.get(1)));
            assertEquals(Instant.ofEpochMilli(t1 + 90_000).toString(), fast.get(1).get("endsAt").asText());
            assertEquals(fast.get(0).get("startsAt"), fast.get(1).get("startsAt"));

            // slow-burn (6x = 0.03): 30m needs x/5 > 108 -> x >= 550; 6h holds everything since S, 2(3600 + x)
            // requests: x/5 > 0.06(3600 + x) -> x > 1542.9 -> T0+1550s. Resolves when the 30m window holds <= 108
            // errors: at T1+1250s its old end cuts a minute bucket, 1/6 of its 12 errors counted: 108 + 2 > 108;
            // at T1+1260s (on the minute) 108: T1+21m.
            List<JsonNode> slow = alerts.get("slow-burn");
            assertEquals(2, slow.size(), slow.toString());
            assertEquals(T0 + 1550_000, at(slow.get(0)));
            assertEquals(t1 + 21 * MIN, at(slow.get(1)));

            // ticket rules: both windows hold everything since S, 2(3600 + x) requests, x/5 errors. ticket-quick (3x =
            // 0.015): 0.17x > 108 -> x > 635.3 -> T0+640s. ticket-slow (1x = 0.005): 0.19x > 36 -> x > 189.5 ->
            // T0+190s. (With 1h buckets ending at the last complete hour they fired only at T0+1h.)
            assertEquals(T0 + 640_000, at(alerts.get("ticket-quick").get(0)));
            assertEquals(T0 + 190_000, at(alerts.get("ticket-slow").get(0)));
            assertEquals(1, alerts.get("ticket-quick").size());
        }
    }

    @Test
    void earlyEvaluationFiresAtTheEndOfTheSubBucketOfTheTippingError() {
        try (TopologyHarness h = new TopologyHarness(SloConfig.defaultConfig(), Map.of(), Instant.ofEpochMilli(S))) {
            long t1 = T0 + 50 * MIN;
            feed(h, S, T0 + 80 * MIN, T0, t1);
            List<JsonNode> fast = byRule(h.readAlerts()).get("fast-burn");
            // The errors are at T0 + 5k s. At the instant T0+2590s the 1h window holds 518 errors (<= 518.4); the
            // error at T0+2590.000s is the tipping one, and its 250ms sub-bucket ends at T0+2590.25s: the windows
            // there end inside a 10s bucket. 1h: 1m buckets [S+2640s, T0+2580s) 7080 requests / 516 errors, 10s
            // buckets [T0+2580s, T0+2590s) 20 / 2, the sub-bucket 1 / 1, and 49.75/60 of the minute bucket at its old
            // end (120 requests, no errors) = 100: 519 / 7201 = 0.07207 > 0.072. 5m: 29 buckets 580 / 58, the
            // sub-bucket 1 / 1, 9.75/10 of the oldest 10s bucket (20 / 2) = 20 / 2: 61 / 601. The instant before
            // with a failing sub-bucket, T0+2585.25s, has 518 errors: not yet.
            assertEquals(T0 + 2590_250, at(fast.get(0)), "a quarter second after the tipping error, not at T0+2600s");
            JsonNode windows = fast.get(0).get("evidence").get("windows");
            assertEquals(7201, windows.get(0).get("requests").asLong());
            assertEquals(519, windows.get(0).get("errors").asLong());
            assertEquals(601, windows.get(1).get("requests").asLong());
            assertEquals(61, windows.get(1).get("errors").asLong());
            // a firing rule is not evaluated early: it resolves at an evaluation instant, as on the grid
            assertEquals(t1 + 90_000, at(fast.get(1)));
            assertEquals(2, fast.size());
        }
    }

    @Test
    void aBacklogIngestedBeforeTheFirstProgressMarkIsStillEvaluatedInstantByInstant() {
        try (TopologyHarness h = new TopologyHarness(SloConfig.defaultConfig(), GRID, Instant.ofEpochMilli(S))) {
            long t1 = T0 + 50 * MIN;
            // the whole backlog arrives before any punctuation: the first progress mark already says "done"
            for (long bucket = S; bucket < T0 + 80 * MIN; bucket += 10_000) {
                for (int i = 0; i < 20; i++) {
                    long ts = bucket + i * 500L;
                    h.send(ts, "checkout", "/api/pay", ts >= T0 && ts < t1 && i % 10 == 0 ? 503 : 200);
                }
            }
            h.tick();
            List<JsonNode> fast = byRule(h.readAlerts()).get("fast-burn");
            assertEquals(2, fast.size(), "the incident is evaluated, not skipped: " + fast);
            assertEquals(T0 + 2600_000, at(fast.get(0)));
            assertEquals(t1 + 90_000, at(fast.get(1)));
        }
    }

    @Test
    void firingRecordCarriesIdentityLabelsAndEvidence() {
        try (TopologyHarness h = new TopologyHarness(SloConfig.defaultConfig(), GRID, Instant.ofEpochMilli(S))) {
            // a second, healthy route on the same service (1 request per 10s), so the top route has to be picked;
            // it dilutes the ratios: 1h holds 7560 requests, needs x/5 > 544.32 errors -> x = 2730 s (T0+45m30s)
            feed(h, S, T0 + 47 * MIN, T0, T0 + 60 * MIN, bucket -> h.send(bucket, "checkout", "/api/cart", 200));
            JsonNode fire = byRule(h.readAlerts()).get("fast-burn").get(0);
            assertEquals("availability/fast-burn/service=checkout", fire.get("id").asText());
            assertEquals(32, fire.get("dedupKey").asText().length());
            JsonNode labels = fire.get("labels");
            assertEquals("page", labels.get("severity").asText());
            assertEquals("availability-fast-burn", labels.get("alertname").asText());
            assertEquals("checkout", labels.get("service").asText());
            assertTrue(fire.get("endsAt").isNull());
            assertTrue(fire.get("annotations").get("summary").asText().contains("fast-burn"));

            JsonNode windows = fire.get("evidence").get("windows");
            assertEquals("1h", windows.get(0).get("window").asText());
            assertEquals("5m", windows.get(1).get("window").asText());
            assertEquals(T0 + 2730_000, at(fire));
            // 5m at T0+45m30s: 600 requests on /api/pay + 30 on /api/cart; 60 errors
            assertEquals(630, windows.get(1).get("requests").asLong());
            assertEquals(60, windows.get(1).get("errors").asLong());
            assertEquals(60 / 630.0 / 0.005, windows.get(1).get("burnRate").asDouble(), 1e-9);
            assertEquals(14.4, windows.get(1).get("threshold").asDouble(), 1e-9);

            JsonNode top = fire.get("evidence").get("topRoutes");
            assertEquals(1, top.size(), "only the failing route has errors");
            assertEquals("/api/pay", top.get(0).get("route").asText());
            JsonNode codes = fire.get("evidence").get("topStatusCodes");
            assertEquals(503, codes.get(0).get("code").asInt());
            assertEquals(1.0, codes.get(0).get("share").asDouble(), 1e-9);
        }
    }

    @Test
    void avroAlertFormatWritesConfluentFramedRecordsWithTheSameContent() {
        try (TopologyHarness h = new TopologyHarness(SloConfig.defaultConfig(), Map.of("alerts.format", "avro"), Instant.ofEpochMilli(S))) {
            feed(h, S, T0 + 45 * MIN, T0, T0 + 60 * MIN);
            var serde = new dev.burnrate.serde.AlertAvroSerde(dev.burnrate.serde.SchemaResolver.fromConfig(Map.of()));
            List<dev.burnrate.schema.SloAlert> alerts = h.alerts.readRecordsToList().stream()
                    .peek(r -> {
                        assertEquals(0, r.value()[0], "Confluent magic byte");
                        assertEquals(2, java.nio.ByteBuffer.wrap(r.value(), 1, 4).getInt(), "schema id of the alert schema");
                    })
                    .map(r -> serde.deserializer().deserialize("slo-alerts", r.value())).toList();
            var fast = alerts.stream().filter(a -> a.getLabels().get("rule").equals("fast-burn")).toList();
            assertEquals(1, fast.size());
            assertEquals(dev.burnrate.schema.AlertStatus.firing, fast.get(0).getStatus());
            assertEquals(Instant.ofEpochMilli(T0 + 2590_250), fast.get(0).getEvaluatedAt(), "early evaluation, as in the test above");
            assertEquals("5m", fast.get(0).getEvidence().getWindows().get(1).getWindow());
            assertEquals("/api/pay", fast.get(0).getEvidence().getTopRoutes().get(0).getRoute());
        }
    }

    @Test
    void idlePartitionLetsTheWallClockResolveAfterTrafficStops() {
        try (TopologyHarness h = new TopologyHarness(SloConfig.defaultConfig(), GRID, Instant.ofEpochMilli(S))) {
            long stop = T0 + 50 * MIN; // traffic stops mid-incident, while fast-burn is firing
            feed(h, S, stop, T0, stop);
            List<JsonNode> before = byRule(h.readAlerts()).get("fast-burn");
            assertEquals(1, before.size());
            // no more records: after idle.timeout (30s) the partition's progress follows the wall clock
            for (int i = 0; i < 60; i++) h.driver.advanceWallClockTime(Duration.ofSeconds(10));
            List<JsonNode> after = byRule(h.readAlerts()).get("fast-burn");
            assertEquals(1, after.size(), "exactly one resolve: " + after);
            assertEquals("resolved", after.get(0).get("status").asText());
            // the 5m window keeps >= 20 requests (the guard) until it has drained: stop + 300s
            assertEquals(stop + 300_000, at(after.get(0)));
        }
    }

    @Test
    void outOfOrderWithinGraceIsCountedAndLateBeyondGraceIsLeftOutAndCounted() {
        try (TopologyHarness h = new TopologyHarness(SloConfig.defaultConfig(), Map.of("lateness.grace", "2m"), Instant.ofEpochMilli(S))) {
            h.send(S + 10 * MIN, "catalog", "/products/17", 200);
            h.send(S + 10 * MIN - 90_000, "catalog", "/products/18", 500); // 90s behind: within grace
            h.send(S + 10 * MIN - 150_000, "catalog", "/products/19", 500); // 150s behind: late
            h.send(S + 10 * MIN + 1000, "catalog", "/products/20?page=3", 200);
            h.tick(); // the ingest task hands its buffered counts on
            assertEquals(1.0, h.metrics.lateCount());
            assertEquals(3.0, h.metrics.ingestedCount());
            var total = h.window("catalog", BucketStore.ALL_ROUTES, Duration.ofHours(1), S + 40 * MIN);
            assertEquals(3, total.requests());
            assertEquals(1, total.family(5));
            // routes were normalized before counting: /products/{id} carries all three
            assertEquals(3, h.window("catalog", "/products/{id}", Duration.ofHours(1), S + 40 * MIN).requests());
        }
    }

    @Test
    void anAlertStateIsStoredWhenItChangesNotAtEveryInstant() {
        try (TopologyHarness h = new TopologyHarness(SloConfig.defaultConfig(), GRID, Instant.ofEpochMilli(S))) {
            long t1 = T0 + 50 * MIN;
            feed(h, S, T0 + 80 * MIN, T0, t1);
            var changelog = h.driver.createOutputTopic("test-alert-state-changelog", dev.burnrate.alerts.AlertId.SERDE.deserializer(),
                    dev.burnrate.alerts.AlertState.SERDE.deserializer());
            List<String> fast = new java.util.ArrayList<>();
            for (var kv : changelog.readKeyValuesToList()) {
                if (kv.key.rule().equals("fast-burn")) fast.add(kv.value == null ? "deleted" : kv.value.phase() + "@" + (kv.value.lastEvalMs() - T0) / 1000);
            }
            // fires at T0+2600s, stays firing for 140 instants, resolves at T1+90s (3090 s after T0), is kept 15 minutes
            assertEquals(List.of("FIRING@2600", "RESOLVED@3090", "deleted"), fast);
        }
    }

    @Test
    void countsAreHandedOnAtEachCommitAndNeverWrittenToTheBuffer() {
        try (TopologyHarness h = new TopologyHarness(SloConfig.defaultConfig(), Map.of(), Instant.ofEpochMilli(S))) {
            h.send(S + 1000, "auth", "/login", 200);
            h.send(S + 2000, "auth", "/login", 200);
            h.send(S + 3000, "auth", "/login", 503);
            // the driver commits after every record: each commit handed its counts on, before any progress mark
            var total = h.window("auth", "/login", Duration.ofHours(1), S + 30 * MIN);
            assertEquals(3, total.requests());
            assertEquals(1, total.family(5));
            var changelog = h.driver.createOutputTopic("test-ingest-buffer-changelog",
                    org.apache.kafka.common.serialization.Serdes.String().deserializer(), org.apache.kafka.common.serialization.Serdes.ByteArray().deserializer());
            assertTrue(changelog.isEmpty(), "the buffer's store is not written: " + changelog.readKeyValuesToList());
            h.tick(); // the progress punctuation hands on nothing twice
            assertEquals(3, h.window("auth", "/login", Duration.ofHours(1), S + 30 * MIN).requests());
        }
    }

    @Test
    void aLateCountForAnAlreadyRolledUpBucketStillReachesTheCoarseWindows() {
        try (TopologyHarness h = new TopologyHarness(SloConfig.defaultConfig(), Map.of(), Instant.ofEpochMilli(S))) {
            feed(h, S, S + 20 * MIN, 0, 0); // the evaluation clock runs, minutes are rolled up as it passes them
            long at = S + 20 * MIN - 10_000;  // the last evaluated instant
            long hourBefore = h.window("checkout", BucketStore.ALL_ROUTES, Duration.ofHours(1), at).requests();
            long sixHoursBefore = h.window("checkout", BucketStore.ALL_ROUTES, Duration.ofHours(6), at).requests();
            assertEquals(1190 * 2, hourBefore, "exact at the recent end: every request of [S, S+19m50s)");
            // 100s behind the newest event (within the 2m grace), in the minute [S+18m, S+19m), already rolled up
            h.send(S + 20 * MIN - 10_500 - 90_000, "checkout", "/api/pay", 503);
            h.tick();
            assertEquals(hourBefore + 1, h.window("checkout", BucketStore.ALL_ROUTES, Duration.ofHours(1), at).requests(), "1m tier");
            assertEquals(1, h.window("checkout", BucketStore.ALL_ROUTES, Duration.ofHours(1), at).family(5));
            assertEquals(sixHoursBefore + 1, h.window("checkout", BucketStore.ALL_ROUTES, Duration.ofHours(6), at).requests(),
                    "its 5m bucket [S+15m, S+20m) is not complete yet: the 6h window's recent end comes from the 1m tier");
            assertEquals(0.0, h.metrics.lateCount());
            feed(h, S + 20 * MIN, S + 21 * MIN, 0, 0);
            assertEquals(sixHoursBefore + 60 * 2 + 1, h.window("checkout", BucketStore.ALL_ROUTES, Duration.ofHours(6), S + 21 * MIN - 10_000).requests(),
                    "the 5m bucket, rolled up at S+20m from the minutes, still holds the late one");
        }
    }

    @Test
    void routeCapFoldsNewRoutesIntoTheOverflowRoute() {
        try (TopologyHarness h = new TopologyHarness(SloConfig.defaultConfig(), Map.of("ingest.route.cap", "2"), Instant.ofEpochMilli(S))) {
            h.send(S, "search", "/a", 200);
            h.send(S + 1, "search", "/b", 200);
            h.send(S + 2, "search", "/c", 200);
            h.send(S + 3, "search", "/d", 500);
            h.send(S + 4, "search", "/a", 200);
            h.tick();
            KeyValueStore<String, List<String>> routes = h.driver.getKeyValueStore(StoreNames.ROUTES);
            assertEquals(List.of("/a", "/b", "other"), routes.get("search"));
            assertEquals(2, h.window("search", "other", Duration.ofHours(1), S + 30 * MIN).requests());
            assertEquals(2, h.window("search", "/a", Duration.ofHours(1), S + 30 * MIN).requests());
            // written when a hand-over adds a route (the driver commits, and so hands over, after every record), not
            // for the records whose route is known or folded into the overflow route already
            var changelog = h.driver.createOutputTopic("test-routes-changelog", org.apache.kafka.common.serialization.Serdes.String().deserializer(),
                    dev.burnrate.windows.RouteRegistry.ROUTES_SERDE.deserializer());
            assertEquals(List.of(List.of("/a"), List.of("/a", "/b"), List.of("/a", "/b", "other")), changelog.readValuesToList());
        }
    }

    @Test
    void fourHundredsAreNotErrorsByDefault() {
        try (TopologyHarness h = new TopologyHarness(SloConfig.defaultConfig(), Map.of(), Instant.ofEpochMilli(S))) {
            for (long bucket = S; bucket < S + 90 * MIN; bucket += 10_000) {
                for (int i = 0; i < 20; i++) h.send(bucket + i * 500L, "auth", "/login", i % 2 == 0 ? 404 : 200);
                h.driver.advanceWallClockTime(Duration.ofSeconds(10));
            }
            assertEquals(List.of(), h.readAlerts());
            // as of the last evaluated instant (S+89m50s), as the query API reads: the hour [S+29m, S+89m)
            var hour = h.window("auth", BucketStore.ALL_ROUTES, Duration.ofHours(1), S + 90 * MIN - 10_000);
            assertEquals(3600, hour.family(4), "half of 7200 requests in the hour");
            assertEquals(0, hour.family(5));
        }
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicWithReasonAndSourceOffset() {
        try (TopologyHarness h = new TopologyHarness(SloConfig.defaultConfig(), Map.of("ingest.max.record.bytes", "300"), Instant.ofEpochMilli(S))) {
            h.send(S, "auth", "/login", 200);                                              // offset 0: good
            h.sendRaw("GET /login 200".getBytes(StandardCharsets.UTF_8), S);                // 1: not JSON
            h.sendRaw("{\"timestamp\":1,\"route\":\"/x\",\"status\":200}".getBytes(StandardCharsets.UTF_8), S); // 2
            h.sendRaw(("{\"service\":\"a\",\"route\":\"/x\",\"status\":999}").getBytes(StandardCharsets.UTF_8), S); // 3
            h.sendRaw(("{\"service\":\"a\",\"route\":\"/x\",\"status\":200,\"pad\":\"" + "x".repeat(400) + "\"}").getBytes(StandardCharsets.UTF_8), S); // 4
            h.sendRaw(new byte[0], S);                                                      // 5: empty
            h.sendRaw(new byte[] {0, 0, 0, 0, 99, 1, 2}, S);                                // 6: unknown schema id 99
            h.send(S + 1, "auth", "/login", 200);                                          // 7: good

            List<TestRecord<byte[], byte[]>> dlq = h.deadLetters.readRecordsToList();
            assertEquals(6, dlq.size());
            String[] reasons = {"undecodable", "missing-service", "status-out-of-range", "oversized", "empty", "unknown-schema-id"};
            for (int i = 0; i < dlq.size(); i++) {
                var headers = dlq.get(i).headers();
                assertEquals(reasons[i], DeadLetters.header(headers, DeadLetters.REASON));
                assertEquals(Integer.toString(i + 1), DeadLetters.header(headers, DeadLetters.SOURCE_OFFSET));
                assertEquals("access-logs", DeadLetters.header(headers, DeadLetters.SOURCE_TOPIC));
                assertEquals("0", DeadLetters.header(headers, DeadLetters.SOURCE_PARTITION));
                assertTrue(DeadLetters.header(headers, DeadLetters.MESSAGE).length() > 5);
            }
            assertEquals("GET /login 200", new String(dlq.get(0).value(), StandardCharsets.UTF_8), "original bytes kept");
            assertEquals(2.0, h.metrics.ingestedCount());
            assertEquals(1.0, h.metrics.deadLetterCount(DeadLetterReason.MISSING_SERVICE));
            assertEquals(6.0, h.metrics.deadLetterTotal());
        }
    }
}
