package dev.burnrate.app;

import dev.burnrate.reference.EpisodeComparison;
import dev.burnrate.reference.RandomTraffic;
import dev.burnrate.reference.ReferenceCheck;
import dev.burnrate.slo.SloConfig;
import java.time.Duration;
import java.time.Instant;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The property test of {@code BacktestMatchesExactReferenceTest} through the live topology, on a smaller case
 * ({@link ReferenceCheck#liveTraffic}: 36 hours, three services, the default SLO): the live topology keeps its windows
 * in RocksDB and reads them at every instant, which costs about ten times the backtest's in-memory stores per
 * evaluated instant. The real topology in a
 * TopologyTestDriver (ingest, by-service hand-over, windows, evaluation, alerts topic), the wall clock keeping pace
 * with event time as for a processor reading the traffic as it happens, so progress marks come from the ingest
 * task's wall-clock punctuation and, across pauses and the final quiet stretch, from its idle timeout. The events
 * go in as the OpenTelemetry Collector's kafka exporter sends them (otlp_proto log batches, one per 10 seconds of
 * event time): one record per request would spend most of the test in the driver's commit after every record. Same
 * reference, SLOs, tolerance and episode matching ({@link EpisodeComparison}); the seed is in the failure message,
 * {@code -Dburnrate.seed=N} reruns one.
 */
class LiveTopologyMatchesExactReferenceTest {
    static LongStream seeds() {
        return ReferenceCheck.seeds(1);
    }

    /** Events [from, to) as one OTLP logs batch (otlp_proto), one resource per service, HTTP semantic conventions. */
    static byte[] otlpBatch(RandomTraffic t, int from, int to) {
        Map<String, ScopeLogs.Builder> byService = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            byService.computeIfAbsent(t.service(i), s -> ScopeLogs.newBuilder()).addLogRecords(LogRecord.newBuilder()
                    .setTimeUnixNano(t.ts(i) * 1_000_000L)
                    .addAttributes(kv("http.request.method", AnyValue.newBuilder().setStringValue("GET")))
                    .addAttributes(kv("http.route", AnyValue.newBuilder().setStringValue(t.route(i))))
                    .addAttributes(kv("http.response.status_code", AnyValue.newBuilder().setIntValue(t.status(i)))));
        }
        LogsData.Builder batch = LogsData.newBuilder();
        byService.forEach((service, scope) -> batch.addResourceLogs(ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", AnyValue.newBuilder().setStringValue(service))))
                .addScopeLogs(scope)));
        return batch.build().toByteArray();
    }

    private static long cpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static KeyValue kv(String key, AnyValue.Builder value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyRuleFiresAndResolvesWhereExactWindowsSay(long seed) {
        RandomTraffic traffic = ReferenceCheck.liveTraffic(seed);
        SloConfig slos = SloConfig.defaultConfig();
        long t0 = System.nanoTime();
        long cpu0 = cpuNanos();
        try (TopologyHarness h = new TopologyHarness(slos, Map.of(), Instant.ofEpochMilli(traffic.firstMs()))) {
            long wall = traffic.firstMs();
            long step = ReferenceCheck.STEP.toMillis();
            for (int i = 0; i < traffic.size(); ) {
                // one OTLP batch per 10 seconds of event time, as the collector's kafka exporter batches
                long ts = traffic.ts(i);
                long bucketEnd = Math.floorDiv(ts, step) * step + step;
                int j = i;
                while (j < traffic.size() && traffic.ts(j) < bucketEnd) j++;
                // the wall clock is the event time: a punctuation (progress.interval 1s) whenever a second has passed
                if (ts - wall >= 1000) {
                    h.driver.advanceWallClockTime(Duration.ofMillis(ts - wall));
                    wall = ts;
                }
                h.sendRaw(otlpBatch(traffic, i, j), traffic.ts(j - 1));
                i = j;
            }
            // two more progress marks: everything sent is handed on, the watermark reaches the last event
            h.tick();
            h.tick();
            System.out.printf("live topology of seed %d: %,d events in %.1fs (%.1fs CPU)%n", seed, traffic.size(),
                    (System.nanoTime() - t0) / 1e9, (cpuNanos() - cpu0) / 1e9);
            ReferenceCheck.assertAgrees("live topology", traffic, slos, h.readAlerts(), Math.floorDiv(traffic.lastMs(), step) * step);
        }
    }
}
