package dev.burnrate.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.burnrate.app.AppConfig;
import dev.burnrate.app.AppKey;
import dev.burnrate.app.Application;
import dev.burnrate.app.TopologyFactory;
import dev.burnrate.core.DeadLetterReason;
import dev.burnrate.ingest.DeadLetters;
import dev.burnrate.metrics.ProcessorMetrics;
import dev.burnrate.slo.SloConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Runs access-log records through the processor's own stages ({@link TopologyFactory#stages}, driven by a
 * {@link StagePipeline}): one input partition, no broker.
 *
 * <p>Time. The ingest stage publishes progress marks from a wall-clock punctuation; the windows stage evaluates
 * every instant the marks have passed. Here the wall clock follows the input's event time: whenever the
 * newest event time has moved on by {@code progress.interval}, the clock is set to it, so a mark goes out as it
 * would from a live processor reading the same traffic in real time. {@code idle.timeout} is switched off (a
 * quiet stretch in the input is evaluated when the next event arrives, at the same instants a live processor
 * would evaluate it), so the watermark never runs ahead of the newest event. At the end of the input the clock is
 * moved to the newest event once more: every instant up to the last event is evaluated, nothing after it. An alert
 * still firing then is reported as still firing at the last event's time (a live processor would go on, and
 * resolve it on the wall clock once traffic stopped).
 *
 * <p>A record with no timestamp of its own (a file line) is given the newest event time seen so far: the
 * processor only uses it for an event that carries no timestamp field.
 *
 * <p>Threads. The input is read and decoded one step ahead on a reader thread ({@link DecodeAhead}); everything
 * else runs on the caller's thread, in input order.
 */
final class BacktestRunner {
    static final String APPLICATION_ID = "backtest";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int DEAD_LETTERS_LISTED = 10;

    /** Called about every 2 seconds while the input is read. */
    interface Progress {
        void report(long records, long eventTimeMs, double recordsPerSecond);
    }

    /** A dead letter: where in the input, why. */
    record DeadLetter(long position, String reason, String message) {
    }

    record Result(List<JsonNode> alerts, long records, long ingested, long late, Map<String, Long> deadLettersByReason,
                  long deadLetters, List<DeadLetter> firstDeadLetters, long firstEventMs, long lastEventMs, long elapsedNanos,
                  long cpuNanos, String inputError) {
    }

    private final AppConfig cfg;
    private final SloConfig slos;

    BacktestRunner(AppConfig cfg, SloConfig slos) {
        // JSON alert records (they are read back here); idle.timeout off: see the class comment
        this.cfg = cfg.with(AppKey.ALERTS_FORMAT.key, "json").with(AppKey.IDLE_TIMEOUT.key, "36500d");
        this.slos = slos;
    }

    Result run(InputSource source, Progress progress) {
        ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("burnrate-backtest");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long progressIntervalMs = Math.max(1, cfg.getDuration(AppKey.PROGRESS_INTERVAL).toMillis());

        List<JsonNode> alerts = new ArrayList<>();
        Consumer<Record<String, byte[]>> collect = r -> {
            try {
                alerts.add(JSON.readTree(r.value()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        List<DeadLetter> firstDeadLetters = new ArrayList<>();
        long deadLetters = 0;
        long records = 0;
        long minEvent = Long.MIN_VALUE;
        long maxEvent = Long.MIN_VALUE;
        String inputError;
        long started = System.nanoTime();
        long cpuStarted = processCpuNanos();
        try (DecodeAhead input = new DecodeAhead(source, Application.decoder(cfg))) {
            TopologyFactory.Stages stages = TopologyFactory.stages(cfg, slos, 1, input.decoder(cfg.getInt(AppKey.INGEST_MAX_RECORD_BYTES)),
                    Application.alertEncoder(cfg), metrics, TopologyFactory.StateStores.IN_MEMORY);
            try (StagePipeline pipeline = new StagePipeline(stages, APPLICATION_ID, cfg.get(AppKey.INPUT_TOPIC), stateDir.toFile())) {
                long wall = 0;
                long nextReport = started + 2_000_000_000L;
                DecodeAhead.Item c;
                while ((c = input.next()) != null) {
                    Record<?, ?> deadLetter = pipeline.process(c.value, c.timestampMs);
                    records++;
                    if (c.event != null) {
                        maxEvent = Math.max(maxEvent, c.maxEventMs);
                        if (minEvent == Long.MIN_VALUE || c.minEventMs < minEvent) minEvent = c.minEventMs;
                    }
                    if (deadLetter != null) {
                        deadLetters++;
                        if (firstDeadLetters.size() < DEAD_LETTERS_LISTED) {
                            firstDeadLetters.add(new DeadLetter(c.position, DeadLetters.header(deadLetter.headers(), DeadLetters.REASON),
                                    DeadLetters.header(deadLetter.headers(), DeadLetters.MESSAGE)));
                        }
                    }
                    if (maxEvent != Long.MIN_VALUE && maxEvent - wall >= progressIntervalMs) {
                        wall = maxEvent;
                        pipeline.advanceWallClock(wall, collect);
                    }
                    if ((records & 0xFFF) == 0 && progress != null && System.nanoTime() >= nextReport) {
                        long now = System.nanoTime();
                        progress.report(records, maxEvent, records / ((now - started) / 1e9));
                        nextReport = now + 2_000_000_000L;
                    }
                }
                inputError = input.inputError();
                // end of input: the mark of the newest event, so every instant up to it is evaluated
                if (maxEvent != Long.MIN_VALUE) {
                    pipeline.advanceWallClock(wall + Math.max(maxEvent - wall, progressIntervalMs), collect);
                }
            }
        } finally {
            deleteQuietly(stateDir);
        }
        Map<String, Long> byReason = new LinkedHashMap<>();
        for (DeadLetterReason r : DeadLetterReason.values()) {
            long n = (long) metrics.deadLetterCount(r);
            if (n > 0) byReason.put(r.tag(), n);
        }
        return new Result(alerts, records, (long) metrics.ingestedCount(), (long) metrics.lateCount(), byReason, deadLetters,
                firstDeadLetters, minEvent, maxEvent, System.nanoTime() - started, processCpuNanos() - cpuStarted, inputError);
    }

    /** CPU time of the whole JVM: the pipeline's thread, the reader's, and the collector's and compilers'. */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir
        }
    }
}
