package dev.burnrate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness on a tiny input: every part runs briefly and yields a complete result. It checks the harness, not
 * performance (no target is asserted: timings on a shared CI machine say nothing). The full benchmark is a
 * command (BENCHMARKS.md), not a test.
 */
class BenchmarkSmokeTest {
    @Test
    @SuppressWarnings("unchecked")
    void everyPartProducesACompleteResult(@TempDir Path dir) throws Exception {
        Benchmark.Options o = new Benchmark.Options();
        o.records = 20_000;
        o.consumerRepeats = 1;
        o.warmupRecords = 5_000; // the warm-up runs too (its parts check their counts like the measured ones)
        o.pacedRate = 1000;
        o.pacedSeconds = 5;
        o.latencyRate = 500;
        o.latencySeconds = 4;
        o.latencyWarmupSeconds = 3;
        o.latencyIntervals = List.of("10s"); // the default: 10s instants, early evaluation every 250ms
        o.memoryKeys = List.of(1_000);
        o.memoryDays = 2; // two days of history: enough for every tier, short enough for a test
        o.out = dir.resolve("result.json");

        Map<String, Object> result = Benchmark.run(o);

        Map<String, Object> parts = (Map<String, Object>) result.get("parts");
        for (String p : Benchmark.THROUGHPUT_PARTS) {
            Map<String, Object> part = (Map<String, Object>) parts.get(p);
            assertTrue(part != null, p + " missing: " + parts.keySet());
            assertTrue(((Number) part.get("recordsPerSecond")).longValue() > 0, p + ": " + part);
            // (a part whose counts do not add up to the input throws: Counted)
            assertTrue(part.get("counted") instanceof Map<?, ?>, p + " reports what it counted: " + part);
        }
        Map<String, Object> decode = (Map<String, Object>) parts.get("decode-eos");
        assertEquals(20_000L, ((Number) ((Map<String, Object>) decode.get("counted")).get("ingested")).longValue(), "the decode floor decoded every record");
        Map<String, Object> eos = (Map<String, Object>) parts.get("eos");
        assertEquals(20_000L, ((Number) ((Map<String, Object>) eos.get("counted")).get("ingested")).longValue(), "the processor ingested every record");
        Map<String, Object> appended = (Map<String, Object>) eos.get("appendedPerRecord");
        assertTrue(((Number) appended.get("by-service")).doubleValue() > 0, "what the processor appends to the broker per record: " + appended);
        Map<String, Object> byThreads = (Map<String, Object>) ((Map<String, Object>) eos.get("cpu")).get("processCpuMicrosPerRecordByThreads");
        assertTrue(byThreads.containsKey("(JIT, GC, VM)") && byThreads.keySet().stream().anyMatch(k -> k.contains("StreamThread")),
                "the process's CPU per record by thread group: " + byThreads);
        if (Files.isDirectory(Path.of("/proc/self/task"))) {
            Map<String, Object> cpu = (Map<String, Object>) eos.get("cpu");
            assertTrue(cpu.get("jitAndGcCpuMicrosPerRecord") instanceof Number
                    && ((Map<String, Object>) cpu.get("processCpuMicrosPerRecordByOsThreads")).keySet().stream().anyMatch(k -> k.startsWith("bench-")),
                    "and by OS thread, JIT and GC apart: " + cpu);
        }
        Map<String, Object> ratios = (Map<String, Object>) ((Map<String, Object>) result.get("ratios")).get("eos");
        for (String k : List.of("vsConsumer", "vsFloorEos", "vsFloorAlos", "vsPeerEos", "vsPeerAlos", "perCpuSecondVsFloorEos")) {
            assertTrue(ratios.get(k) instanceof Number, k + " in " + ratios);
        }

        Map<String, Object> paced = (Map<String, Object>) parts.get("paced");
        for (String app : List.of("floor-eos", "peer-eos", "eos")) {
            Map<String, Object> a = (Map<String, Object>) paced.get(app);
            assertTrue(a.get("counted") instanceof Map<?, ?> && ((Map<String, Object>) a.get("cpu")).get("appCpuMicrosPerRecord") instanceof Number,
                    "paced " + app + ": " + a);
        }
        assertTrue(paced.get("processorCpuVsFloor") instanceof Number, paced.toString());
        assertTrue(Report.table(result).contains("paced"), Report.table(result));
        Map<String, Object> latency = (Map<String, Object>) parts.get("latency-10s");
        assertTrue(((Number) latency.get("alertsSeen")).intValue() > 0, "alerts appear in the latency run: " + latency);
        assertEquals(0, ((Number) latency.get("alertsAtAnotherInstant")).intValue(), "each alert fires at its incident's instant: " + latency);
        Map<String, Object> e2a = (Map<String, Object>) latency.get("eventToAlertMs");
        assertTrue(((Number) e2a.get("p50")).longValue() > 0 && ((Number) e2a.get("p99")).longValue() >= ((Number) e2a.get("p50")).longValue(), e2a.toString());

        Map<String, Object> mem = (Map<String, Object>) ((List<Object>) parts.get("memory")).get(0);
        assertEquals(1_000, ((Number) mem.get("keys")).intValue());
        assertTrue(((Number) mem.get("heapPlusStateBytes")).longValue() > 0, mem.toString());
        Map<String, Object> restore = (Map<String, Object>) mem.get("restore");
        assertTrue(((Number) restore.get("recordsRestored")).longValue() > 0, "the wiped state came back from the changelogs: " + restore);

        assertTrue(((Map<String, Object>) result.get("machine")).containsKey("nproc"));
        assertTrue(Files.size(o.out) > 0, "the JSON file is written");
        assertTrue(Report.table(result).contains("processor, defaults (exactly-once)"));
        assertTrue(Report.table(result).contains("engine floor, exactly-once"));
    }
}
