package dev.burnrate.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.burnrate.app.AppConfig;
import dev.burnrate.app.AppKey;
import dev.burnrate.app.Application;
import dev.burnrate.app.TopologyFactory;
import dev.burnrate.ingest.AccessEvent;
import dev.burnrate.ingest.DeadLetterReason;
import dev.burnrate.ingest.DeadLetters;
import dev.burnrate.ingest.EventDecoder;
import dev.burnrate.metrics.ProcessorMetrics;
import dev.burnrate.slo.SloConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Runs access-log records through the processor's own topology ({@link TopologyFactory#build}) in a
 * {@link TopologyTestDriver}: one input partition, no broker.
 *
 * <p>Time. The ingest stage publishes progress marks from a wall-clock punctuation; the windows stage evaluates
 * every instant the marks have passed. Here the driver's wall clock follows the input's event time: whenever the
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
 */
final class BacktestRunner {
    static final String APPLICATION_ID = "backtest";
    /** Records piped between two drains of the driver's output queues. */
    private static final int BATCH = 1024;
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
    private final TopologyFactory.StateStores stores;

    BacktestRunner(AppConfig cfg, SloConfig slos, TopologyFactory.StateStores stores) {
        // JSON alert records (they are read back here); idle.timeout off: see the class comment
        this.cfg = cfg.with(AppKey.ALERTS_FORMAT.key, "json").with(AppKey.IDLE_TIMEOUT.key, "36500d");
        this.slos = slos;
        this.stores = stores;
    }

    Result run(InputSource source, Progress progress) {
        ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());
        EventTimeTap tap = new EventTimeTap(Application.decoder(cfg), cfg.getInt(AppKey.INGEST_MAX_RECORD_BYTES));
        Topology topology = TopologyFactory.build(cfg, slos, APPLICATION_ID, 1, tap.decoder(), Application.alertEncoder(cfg), metrics, stores);
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("burnrate-backtest");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "backtest:9092"); // never contacted
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put("processing.exception.handler.global.enabled", "true"); // as the processor (4.3 warns without it)
        // The driver runs both stages in one task and processes each piped record to the end before the next: there
        // is nothing to wait for, and with idling enabled every record pays for the idling check's log-message
        // formatting (a fifth of the run's CPU, measured with JFR).
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
        long progressIntervalMs = Math.max(1, cfg.getDuration(AppKey.PROGRESS_INTERVAL).toMillis());

        List<JsonNode> alerts = new ArrayList<>();
        List<DeadLetter> firstDeadLetters = new ArrayList<>();
        long deadLetters = 0;
        long records = 0;
        String inputError = null;
        long started = System.nanoTime();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStarted = threads.getCurrentThreadCpuTime();
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props, Instant.EPOCH)) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(cfg.get(AppKey.INPUT_TOPIC),
                    Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            Outputs out = new Outputs(driver, cfg.get(AppKey.ALERTS_TOPIC), cfg.get(AppKey.DLQ_TOPIC));
            long wall = 0;
            long[] positions = new long[BATCH];
            int inBatch = 0;
            long nextReport = started + 2_000_000_000L;
            InputSource.Cursor c = new InputSource.Cursor();
            while (true) {
                boolean more;
                try {
                    more = source.next(c);
                } catch (IOException e) {
                    inputError = e.getMessage() == null ? e.toString() : e.getMessage();
                    more = false;
                }
                if (!more) break;
                long ts = c.timestampMs != InputSource.NO_TIMESTAMP ? c.timestampMs : Math.max(tap.max, 0);
                input.pipeInput(null, c.value, ts);
                positions[inBatch++] = c.position;
                records++;
                if (tap.max != Long.MIN_VALUE && tap.max - wall >= progressIntervalMs) {
                    driver.advanceWallClockTime(Duration.ofMillis(tap.max - wall));
                    wall = tap.max;
                }
                if (inBatch == BATCH) {
                    deadLetters += out.drain(alerts, firstDeadLetters, positions, records - inBatch);
                    inBatch = 0;
                    if (progress != null && System.nanoTime() >= nextReport) {
                        long now = System.nanoTime();
                        progress.report(records, tap.max, records / ((now - started) / 1e9));
                        nextReport = now + 2_000_000_000L;
                    }
                }
            }
            // end of input: the mark of the newest event, so every instant up to it is evaluated
            if (tap.max != Long.MIN_VALUE) {
                driver.advanceWallClockTime(Duration.ofMillis(Math.max(tap.max - wall, progressIntervalMs)));
            }
            deadLetters += out.drain(alerts, firstDeadLetters, positions, records - inBatch);
        } finally {
            deleteQuietly(stateDir);
        }
        Map<String, Long> byReason = new LinkedHashMap<>();
        for (DeadLetterReason r : DeadLetterReason.values()) {
            long n = (long) metrics.deadLetterCount(r);
            if (n > 0) byReason.put(r.tag(), n);
        }
        return new Result(alerts, records, (long) metrics.ingestedCount(), (long) metrics.lateCount(), byReason, deadLetters,
                firstDeadLetters, tap.min, tap.max, System.nanoTime() - started, threads.getCurrentThreadCpuTime() - cpuStarted, inputError);
    }

    /**
     * The driver keeps every record written to any topic (the by-service hand-over and the changelogs included)
     * until read: each batch, alerts and dead letters are collected and everything else is dropped.
     */
    private static final class Outputs {
        private final TopologyTestDriver driver;
        private final String alertsTopic;
        private final String dlqTopic;
        private final TestOutputTopic<String, byte[]> alerts;
        private final TestOutputTopic<byte[], byte[]> dlq;
        private final Map<String, TestOutputTopic<byte[], byte[]>> others = new HashMap<>();

        Outputs(TopologyTestDriver driver, String alertsTopic, String dlqTopic) {
            this.driver = driver;
            this.alertsTopic = alertsTopic;
            this.dlqTopic = dlqTopic;
            this.alerts = driver.createOutputTopic(alertsTopic, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
            this.dlq = driver.createOutputTopic(dlqTopic, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
        }

        /** Returns how many dead letters there were; positions[i] is where the record at offset firstOffset + i came from. */
        long drain(List<JsonNode> alertsOut, List<DeadLetter> firstDeadLetters, long[] positions, long firstOffset) {
            while (!alerts.isEmpty()) {
                try {
                    alertsOut.add(JSON.readTree(alerts.readValue()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            long n = 0;
            while (!dlq.isEmpty()) {
                TestRecord<byte[], byte[]> r = dlq.readRecord();
                n++;
                if (firstDeadLetters.size() < DEAD_LETTERS_LISTED) {
                    long offset = Long.parseLong(DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET));
                    firstDeadLetters.add(new DeadLetter(positions[(int) (offset - firstOffset)],
                            DeadLetters.header(r.headers(), DeadLetters.REASON), DeadLetters.header(r.headers(), DeadLetters.MESSAGE)));
                }
            }
            for (String topic : driver.producedTopicNames()) {
                if (topic.equals(alertsTopic) || topic.equals(dlqTopic)) continue;
                TestOutputTopic<byte[], byte[]> t = others.computeIfAbsent(topic,
                        k -> driver.createOutputTopic(k, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()));
                while (!t.isEmpty()) t.readRecord();
            }
            return n;
        }
    }

    /**
     * Wraps the processor's decoder to learn each decoded event's time (the ingest stage does not expose it). The
     * wrapper decides nothing itself: every record reaches the processor's decoder as it is.
     */
    static final class EventTimeTap {
        private final EventDecoder inner;
        private final int maxRecordBytes;
        long min = Long.MIN_VALUE;
        long max = Long.MIN_VALUE;

        EventTimeTap(EventDecoder inner, int maxRecordBytes) {
            this.inner = inner;
            this.maxRecordBytes = maxRecordBytes;
        }

        EventDecoder decoder() {
            EventDecoder.Decoder tapped = (value, ts) -> {
                AccessEvent e = inner.decode(value, ts);
                long t = e.timestampMs();
                if (max == Long.MIN_VALUE || t > max) max = t;
                if (min == Long.MIN_VALUE || t < min) min = t;
                return e;
            };
            // the outer decoder has the same checks and limit, so it rejects exactly what the inner one would, with
            // the same reason and message; what it accepts goes to the inner one whole
            return new EventDecoder(maxRecordBytes, tapped, tapped);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir
        }
    }
}
