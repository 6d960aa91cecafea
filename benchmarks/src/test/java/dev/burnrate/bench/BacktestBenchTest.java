package dev.burnrate.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backtest benchmark on a small file: its input has the incident it claims and the figures are read back. */
class BacktestBenchTest {
    @Test
    void theGeneratedIncidentPagesAndTheFiguresAreParsed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("logs.jsonl.gz");
        BacktestBench.write(file, 20_000, 3);

        BacktestBench.Run run = BacktestBench.run(file); // throws unless the backtest exits 0

        assertTrue(run.timeline().contains("availability/fast-burn/service=checkout"), run.timeline());
        assertTrue(run.timeline().contains("records      20,004: 20,000 events, 0 late (left out), 4 dead letters"), run.timeline());
        assertTrue(run.figures().startsWith("20,004 records in "), run.figures());
        assertTrue(run.recordsPerSecond() > 0, run.figures());
    }
}
