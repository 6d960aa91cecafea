package dev.burnrate.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite in short, so it cannot rot: on two hours of traffic with incidents, 1,000 hostile records and a
 * scanner's 5,000 random URLs in it, with a token on the query API: its token and bad-input checks, one kill -9 and
 * restart, one rebalance (1 -> 2 -> 1 instances, the query API asked all along) and one broker restart, then every
 * check of the full run (alert transitions against the backtest, request totals against the input, every hostile
 * record dead-lettered with a reason, the scanned service within the route cap, no crash). It asserts no recovery time: those are figures
 * of the full run (RELIABILITY.md), not test outcomes.
 */
class ShortFaultSuiteTest {
    @TempDir
    Path dir;

    @Test
    void oneOfEachFaultLosesNothingAndDuplicatesNothing() throws Exception {
        FaultSuite.Options o = new FaultSuite.Options(new LinkedHashSet<>(List.of("short")),
                1, 1_000, 5_000, 0, 2, 2_000, 1_000, System.currentTimeMillis(), dir, Map.of(), false, 1, List.of(1, 2, 1), 1);
        List<FaultSuite.Result> results = FaultSuite.run(o, System.out);
        assertEquals(1, results.size());
        FaultSuite.Result r = results.get(0);
        assertTrue(r.ok(), r.report());
        assertTrue((int) r.figures().get("alert transitions (backtest)") > 0, "the traffic's incidents make alerts fire: " + r.report());
    }
}
