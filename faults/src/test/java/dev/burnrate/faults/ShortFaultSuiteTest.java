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
 * The fault suite in short, so it cannot rot: one kill -9 and restart, one rebalance (1 -> 2 -> 1 instances), one
 * broker restart and 1,000 hostile records, each on two hours of traffic with incidents, with every check of the full
 * run (alert transitions against the backtest, request totals against the input, dead letters, no crash). It asserts
 * no recovery time: those are figures of the full run (RELIABILITY.md), not test outcomes.
 */
class ShortFaultSuiteTest {
    @TempDir
    Path dir;

    @Test
    void oneOfEachFaultLosesNothingAndDuplicatesNothing() throws Exception {
        FaultSuite.Options o = new FaultSuite.Options(new LinkedHashSet<>(List.of("kill", "rebalance", "hostile", "broker")),
                1, 1_000, 2, 2_000, 1_000, System.currentTimeMillis(), dir, Map.of(), false, List.of(1, 2, 1));
        List<FaultSuite.Result> results = FaultSuite.run(o, System.out);
        assertEquals(4, results.size());
        for (FaultSuite.Result r : results) assertTrue(r.ok(), r.report());
    }
}
