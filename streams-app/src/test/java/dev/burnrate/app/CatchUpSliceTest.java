package dev.burnrate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.burnrate.slo.SloConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A backlog of hours arrives before the first progress mark (a restart after an outage, a replay): the watermark
 * jumps over hundreds of instants at once. Evaluated in slices across commits (evaluation.catchup.slice), so no
 * exactly-once transaction runs past its timeout, the alerts are those of one uninterrupted evaluation.
 */
class CatchUpSliceTest {
    static final long S = PipelineTopologyTest.S;
    static final long T0 = PipelineTopologyTest.T0;
    static final long MIN = 60_000;

    /** The incident as one backlog, then the wall clock moves (the progress marks go out) in 100 ms steps. */
    private static List<JsonNode> catchUp(String slice, List<Integer> alertsAfterFirstMark) {
        Map<String, String> cfg = new HashMap<>();
        cfg.put("evaluation.catchup.slice", slice);
        try (TopologyHarness h = new TopologyHarness(SloConfig.defaultConfig(), cfg, Instant.ofEpochMilli(S))) {
            for (long ts = S; ts < T0 + 80 * MIN; ts += 500) {
                boolean incident = ts >= T0 && ts < T0 + 50 * MIN;
                h.send(ts, "checkout", "/api/pay", incident && ts % 5000 == 0 ? 503 : 200);
            }
            h.driver.advanceWallClockTime(Duration.ofSeconds(1)); // the ingest stage's progress mark: the watermark jumps
            List<JsonNode> out = new ArrayList<>(h.readAlerts());
            alertsAfterFirstMark.add(out.size());
            for (int i = 0; i < 2_000; i++) {
                h.driver.advanceWallClockTime(Duration.ofMillis(100));
                out.addAll(h.readAlerts());
            }
            return out;
        }
    }

    @Test
    void aCatchUpCutIntoSlicesGivesTheAlertsOfOneEvaluation() {
        List<Integer> firstMark = new ArrayList<>();
        List<JsonNode> whole = catchUp("1h", firstMark);
        List<JsonNode> sliced = catchUp("0s", firstMark); // one instant per call: the most slices there can be
        assertTrue(whole.size() >= 6, "the incident fires and resolves the rules: " + whole.size());
        assertEquals(whole.size(), firstMark.get(0), "unsliced: every alert at the first progress mark");
        assertTrue(firstMark.get(1) < whole.size(), "sliced: the first mark evaluates one instant, not the backlog");
        assertEquals(whole, sliced);
    }
}
