package dev.burnrate.app;

import static dev.burnrate.app.PipelineTopologyTest.GRID;
import static dev.burnrate.app.PipelineTopologyTest.MIN;
import static dev.burnrate.app.PipelineTopologyTest.S;
import static dev.burnrate.app.PipelineTopologyTest.T0;
import static dev.burnrate.app.PipelineTopologyTest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import dev.burnrate.query.LocalQueries;
import dev.burnrate.query.Views;
import dev.burnrate.slo.AlertRule;
import dev.burnrate.slo.Slo;
import dev.burnrate.slo.SloConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * keepFiringFor through the whole topology: the same traffic, two incidents with a gap shorter than the rule's
 * keepFiringFor, pages twice without it (fire, resolve in the gap, fire again) and once with it, resolving
 * keepFiringFor after the condition clears for good.
 */
class KeepFiringForTopologyTest {
    private static final long T1 = T0 + 10 * MIN;       // the first incident ends
    private static final long T2 = T1 + 200_000;        // the second starts, 200 s later
    private static final long T3 = T2 + 10 * MIN;       // and ends

    /** The query API's alert list at the moment the traffic reached {@link #lull}, if set. */
    private List<Views.AlertView> inLull;
    private long lull = Long.MIN_VALUE;

    private List<JsonNode> run(Duration keepFiringFor) {
        AlertRule rule = new AlertRule.ThresholdRule("error-rate", "page", 0.05, Duration.ofMinutes(5), Duration.ZERO, keepFiringFor);
        SloConfig slos = new SloConfig(List.of(Slo.of("availability", 0.995).withRules(List.of(rule))));
        try (TopologyHarness h = new TopologyHarness(slos, GRID, Instant.ofEpochMilli(S))) {
            // 2 requests/s, 10% of them 503 during the incidents
            for (long bucket = S; bucket < T3 + 20 * MIN; bucket += 10_000) {
                if (bucket == lull) {
                    inLull = new LocalQueries(slos, TopologyFactory.tierPlan(h.cfg, slos), h.storeAccess(), TopologyFactory.STANDARD_WINDOWS).alerts();
                }
                for (int i = 0; i < 20; i++) {
                    long ts = bucket + i * 500L;
                    boolean incident = ts >= T0 && ts < T1 || ts >= T2 && ts < T3;
                    h.send(ts, "checkout", "/api/pay", incident && i % 10 == 0 ? 503 : 200);
                }
                h.driver.advanceWallClockTime(Duration.ofSeconds(10));
            }
            return h.readAlerts();
        }
    }

    @Test
    void aConditionBackWithinKeepFiringForContinuesTheEpisode() {
        List<JsonNode> flapping = run(Duration.ZERO);
        assertEquals(List.of("firing", "resolved", "firing", "resolved"), flapping.stream().map(a -> a.get("status").asText()).toList(),
                "without keepFiringFor the gap resolves the alert and the second incident pages again");
        long r1 = at(flapping.get(1)), f2 = at(flapping.get(2)), r2 = at(flapping.get(3));
        assertTrue(r1 > T1 && f2 - r1 < 5 * MIN, "the condition is false for less than 5 minutes in the gap: " + (f2 - r1) + " ms");

        lull = f2 - 10_000; // the condition cleared at r1 and is not back yet
        List<JsonNode> kept = run(Duration.ofMinutes(5));
        assertEquals(List.of("firing", "resolved"), kept.stream().map(a -> a.get("status").asText()).toList(), "one episode");
        assertEquals(at(flapping.get(0)), at(kept.get(0)));
        assertEquals(r2 + 5 * MIN, at(kept.get(1)), "resolved keepFiringFor after the condition cleared for good");
        assertEquals(Instant.ofEpochMilli(r2 + 5 * MIN).toString(), kept.get(1).get("endsAt").asText());
        assertEquals(kept.get(0).get("startsAt"), kept.get(1).get("startsAt"));

        // meanwhile the query API says it is firing on keepFiringFor, and since when its condition is false
        assertEquals(1, inLull.size(), inLull.toString());
        assertEquals("firing", inLull.get(0).state());
        assertEquals(Instant.ofEpochMilli(r1).toString(), inLull.get(0).clearedAt());
    }
}
