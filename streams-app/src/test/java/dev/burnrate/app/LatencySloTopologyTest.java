package dev.burnrate.app;

import static dev.burnrate.app.PipelineTopologyTest.GRID;
import static dev.burnrate.app.PipelineTopologyTest.MIN;
import static dev.burnrate.app.PipelineTopologyTest.S;
import static dev.burnrate.app.PipelineTopologyTest.T0;
import static dev.burnrate.app.PipelineTopologyTest.at;
import static dev.burnrate.app.PipelineTopologyTest.byRule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.burnrate.core.LatencyHistogram;
import dev.burnrate.query.LocalQueries;
import dev.burnrate.query.Views;
import dev.burnrate.slo.SloConfig;
import dev.burnrate.slo.SloFileLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Latency SLOs through the real topology, at a threshold (287ms) inside a histogram bin ([281.6ms, 307.2ms)): a
 * request of 287.5ms is bad, one of exactly 287ms is good, so any bin-based count would fire at another instant.
 * Fire and resolve instants are computed by hand and checked against exact arithmetic over every event's duration;
 * latency percentiles in the query API against exact percentiles of the events.
 */
class LatencySloTopologyTest {
    private static final double THRESHOLD = 287;

    /** One request as sent: its duration in ms, or null for none. */
    record Event(long ts, int status, Double durationMs) {
    }

    /**
     * 20 requests per 10s bucket in [from, to), at bucket + i x 500ms: i = 3 and 13 have no duration; i = 0 and 10
     * take 287.5ms in the incident (bad), 287ms outside (good: not slower than the threshold); i = 5 takes exactly
     * 287ms; i = 7 is a 503 of 100ms in the incident; i = 17 has no duration and is a 503 in the incident; the rest
     * take 100ms. The wall clock keeps pace.
     */
    static List<Event> feed(TopologyHarness h, long from, long to, long incidentFrom, long incidentTo) {
        List<Event> sent = new ArrayList<>();
        for (long bucket = from; bucket < to; bucket += 10_000) {
            for (int i = 0; i < 20; i++) {
                long ts = bucket + i * 500L;
                boolean incident = ts >= incidentFrom && ts < incidentTo;
                Event e = switch (i) {
                    case 3, 13 -> new Event(ts, 200, null);
                    case 17 -> new Event(ts, incident ? 503 : 200, null);
                    case 7 -> new Event(ts, incident ? 503 : 200, 100.0);
                    case 0, 10 -> new Event(ts, 200, incident ? 287.5 : 287.0);
                    case 5 -> new Event(ts, 200, THRESHOLD);
                    default -> new Event(ts, 200, 100.0);
                };
                h.send(e.ts(), "gateway", "/v1/infer", e.status(), e.durationMs());
                sent.add(e);
            }
            h.driver.advanceWallClockTime(Duration.ofSeconds(10));
        }
        return sent;
    }

    /**
     * The reference: (valid, bad) over the events in [t - window, t), straight from each event's status and
     * duration. withErrors: 5xx are bad too (then a 5xx without duration counts, as bad).
     */
    static long[] exact(List<Event> events, long t, Duration window, boolean withErrors) {
        long valid = 0;
        long bad = 0;
        for (Event e : events) {
            if (e.ts() < t - window.toMillis() || e.ts() >= t) continue;
            boolean error = withErrors && e.status() >= 500;
            if (e.durationMs() == null && !error) continue;
            valid++;
            if (error || e.durationMs() > THRESHOLD) bad++;
        }
        return new long[] {valid, bad};
    }

    /** The first instant in candidates at which the 5m ratio is above 5% (at least 20 requests), else -1. */
    static long firstAbove(List<Event> events, List<Long> candidates, boolean withErrors) {
        for (long t : candidates) {
            long[] vb = exact(events, t, Duration.ofMinutes(5), withErrors);
            if (vb[0] >= 20 && vb[1] > 0.05 * vb[0]) return t;
        }
        return -1;
    }

    static SloConfig slos(String yaml) {
        return SloFileLoader.parse(Path.of("test-slos.yaml"), yaml);
    }

    @Test
    void latencySloAtAThresholdInsideAHistogramBinFiresAndResolvesAtTheExactInstants() {
        SloConfig slos = slos("""
                slos:
                  - name: infer-latency
                    objective: 99.5
                    services: [gateway]
                    latency: {threshold: 287ms}
                    rules:
                      - {name: slow, severity: page, errorRate: 5%, window: 5m}
                """);
        long t1 = T0 + 10 * MIN;
        try (TopologyHarness h = new TopologyHarness(slos, GRID, Instant.ofEpochMilli(S))) {
            List<Event> events = feed(h, S, T0 + 20 * MIN, T0, t1);
            List<JsonNode> slow = byRule(h.readAlerts()).get("slow");
            assertEquals(2, slow.size(), String.valueOf(slow));

            // Every bucket: 17 requests with a duration (i = 3, 13, 17 have none, and no status is bad for latency
            // alone), so 5m holds 30 x 17 = 510. At T0 + 10k s it holds 2k slow ones: 2k > 25.5 <=> k >= 13. The
            // 503s of 100ms are good for latency alone; the requests of exactly 287ms are good (not slower). Were
            // 287ms and 287.5ms told apart by a histogram bin, both or neither would be slow; were the requests
            // without duration good, 5m would hold 600 and it would fire at k = 16.
            assertEquals("firing", slow.get(0).get("status").asText());
            assertEquals(T0 + 130_000, at(slow.get(0)));
            JsonNode w = slow.get(0).get("evidence").get("windows").get(0);
            assertEquals(510, w.get("requests").asLong());
            assertEquals(26, w.get("errors").asLong());
            assertTrue(slow.get(0).get("evidence").get("topStatusCodes").isEmpty(), "no status is bad for latency alone");
            assertEquals("/v1/infer", slow.get(0).get("evidence").get("topRoutes").get(0).get("route").asText());
            // after T1 + 10j s the window holds 2(30 - j) slow ones: <= 25.5 <=> j >= 18
            assertEquals("resolved", slow.get(1).get("status").asText());
            assertEquals(t1 + 180_000, at(slow.get(1)));

            // the same instants from every event's duration, exactly
            List<Long> grid = new ArrayList<>();
            for (long t = S + 10_000; t <= T0 + 20 * MIN; t += 10_000) grid.add(t);
            assertEquals(T0 + 130_000, firstAbove(events, grid, false));
            long resolve = -1;
            for (long t : grid) {
                long[] vb = exact(events, t, Duration.ofMinutes(5), false);
                if (t > T0 + 130_000 && vb[1] <= 0.05 * vb[0]) {
                    resolve = t;
                    break;
                }
            }
            assertEquals(t1 + 180_000, resolve);

            // requests without a duration are left out of the SLI (not of the requests) and counted
            assertEquals(3.0 * 6 * 80, h.registry.get("burnrate.events.without.duration").counter().count());
            dev.burnrate.core.Counts c = h.window("gateway", "", Duration.ofMinutes(5), T0 + 130_000);
            assertEquals(600, c.requests());
            assertEquals(510, slos.slos().get(0).validEvents(c));
            assertEquals(26, slos.slos().get(0).badEvents(c));
        }
    }

    @Test
    void latencyWithErrorsFiresAtTheEarlyInstantAfterTheSlowRequestThatTipsIt() {
        // default early step (250ms): a group with bad requests in a sub-bucket is evaluated at its end
        SloConfig slos = slos("""
                slos:
                  - name: infer-latency
                    objective: 99.5
                    latency: {threshold: 287ms}
                    errors: [5xx]
                    rules:
                      - {name: slow, severity: page, errorRate: 5%, window: 5m}
                """);
        long s = T0 - 2 * MIN;
        try (TopologyHarness h = new TopologyHarness(slos, Map.of(), Instant.ofEpochMilli(s))) {
            List<Event> events = feed(h, s, T0 + 3 * MIN, T0, T0 + 10 * MIN);
            List<JsonNode> slow = byRule(h.readAlerts()).get("slow");
            assertEquals(1, slow.size(), String.valueOf(slow));
            // Bad now: slow ones, the 503 of 100ms and the 503 without duration (i = 17, counted because bad).
            // Before T0 a bucket counts 17 requests, in the incident 18 with 4 bad. All traffic is in the window:
            // at T0+30s+250ms (the sub-bucket after the slow request at T0+30s) it holds 12x17 + 3x18 + 1 = 259
            // requests, 3x4 + 1 = 13 bad: 5.02% > 5%; a sub-bucket before (the 503 at T0+28.5s) 12/258 = 4.65%.
            assertEquals(T0 + 30_250, at(slow.get(0)));
            JsonNode w = slow.get(0).get("evidence").get("windows").get(0);
            assertEquals(259, w.get("requests").asLong());
            assertEquals(13, w.get("errors").asLong());
            assertEquals(503, slow.get(0).get("evidence").get("topStatusCodes").get(0).get("code").asInt());

            // exact reference over the early instants (each bad request's sub-bucket end) and the 10s instants
            List<Long> candidates = new ArrayList<>();
            for (Event e : events) {
                boolean bad = e.status() >= 500 || (e.durationMs() != null && e.durationMs() > THRESHOLD);
                if (bad) candidates.add(Math.floorDiv(e.ts(), 250) * 250 + 250);
            }
            for (long t = s + 10_000; t <= T0 + 3 * MIN; t += 10_000) candidates.add(t);
            candidates.sort(null);
            assertEquals(T0 + 30_250, firstAbove(events, candidates, true));
        }
    }

    @Test
    void percentilesInTheApiAreWithinFivePercentOfTheExactOnes() {
        SloConfig slos = slos("""
                slos:
                  - name: infer-latency
                    objective: 99.5
                    latency: {threshold: 287ms}
                """);
        Random random = new Random(17);
        long s = T0;
        List<Event> infer = new ArrayList<>();
        List<Event> all = new ArrayList<>();
        try (TopologyHarness h = new TopologyHarness(slos, GRID, Instant.ofEpochMilli(s))) {
            for (long bucket = s; bucket < s + 70 * MIN; bucket += 10_000) {
                for (int i = 0; i < 20; i++) {
                    long ts = bucket + i * 500L;
                    boolean infers = i % 4 != 0;
                    // log-normal around 120ms (infer) or 15ms (health), a tail to seconds; some without duration
                    double d = (infers ? 120 : 15) * Math.exp(random.nextGaussian() * (infers ? 0.9 : 0.4));
                    Event e = new Event(ts, 200, i == 9 ? null : d);
                    h.send(ts, "gateway", infers ? "/v1/infer" : "/health", 200, e.durationMs());
                    if (infers) infer.add(e);
                    all.add(e);
                }
                h.driver.advanceWallClockTime(Duration.ofSeconds(10));
            }
            for (int i = 0; i < 12; i++) h.driver.advanceWallClockTime(Duration.ofSeconds(10)); // idle: evaluation passes the last event
            LocalQueries q = new LocalQueries(slos, TopologyFactory.tierPlan(h.cfg, slos), h.storeAccess(), TopologyFactory.STANDARD_WINDOWS);
            Views.ServiceDetail d = q.detail("gateway", 20);
            long asOf = Instant.parse(d.asOf()).toEpochMilli();
            assertTrue(asOf >= s + 70 * MIN, d.asOf());
            int checked = 0;
            for (Views.WindowDetail w : d.windows()) {
                Duration window = dev.burnrate.core.Durations.parse(w.window());
                if (window.compareTo(Duration.ofHours(1)) > 0) {
                    assertNull(w.latency(), "percentiles are kept for windows up to 1h: " + w.window());
                    continue;
                }
                long from = Instant.parse(w.latency().from()).toEpochMilli();
                assertEquals(-Math.floorDiv(-(asOf - window.toMillis()), 60_000L) * 60_000L, from);
                assertWithin(w.latency(), all, from, w.window() + " service");
                Views.RouteStats r = w.routes().stream().filter(x -> x.route().equals("/v1/infer")).findFirst().orElseThrow();
                assertWithin(r.latency(), infer, from, w.window() + " /v1/infer");
                checked++;
            }
            assertEquals(3, checked, "5m, 30m and 1h");
        }
    }

    /** Each percentile within 5% of the exact nearest-rank percentile of the durations since from. */
    private static void assertWithin(Views.Latency l, List<Event> events, long from, String what) {
        assertNotNull(l, what);
        double[] d = events.stream().filter(e -> e.ts() >= from && e.durationMs() != null).mapToDouble(Event::durationMs).sorted().toArray();
        assertTrue(d.length > 100, what);
        assertEquals(d.length, l.timedRequests(), what);
        double[] qs = {0.50, 0.95, 0.99};
        Double[] got = {l.p50(), l.p95(), l.p99()};
        for (int i = 0; i < qs.length; i++) {
            double exact = d[(int) LatencyHistogram.rank(qs[i], d.length) - 1];
            assertTrue(Math.abs(got[i] - exact) <= 0.05 * exact, what + " p" + Math.round(qs[i] * 100) + ": " + got[i] + " vs exact " + exact
                    + " (" + Arrays.toString(got) + ")");
        }
    }
}
