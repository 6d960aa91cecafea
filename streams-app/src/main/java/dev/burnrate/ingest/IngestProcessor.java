package dev.burnrate.ingest;

import dev.burnrate.core.LatencyCounting;
import dev.burnrate.core.StoreNames;
import dev.burnrate.core.DeadLetterReason;
import dev.burnrate.core.Shuffled;
import dev.burnrate.metrics.ProcessorMetrics;
import dev.burnrate.state.WriteBehindStore;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First stage, one task per input partition: decode and validate each record, normalize its route, and send it on
 * keyed by service; bad records go to the dead-letter topic with the reason.
 *
 * <p>Lateness is judged per input partition (an event more than {@code lateness.grace} older than the newest event
 * of its own partition is late), never against other partitions: when a backlog is caught up, partitions run at
 * different event times, and judging them against each other is what drops good events in a naive design.
 *
 * <p>Accepted events are counted in memory into an {@link IngestBuffer} per (service, route, status, early sub-bucket)
 * and handed on (one record per service) just before each commit, in the commit's transaction: a count is durable
 * exactly when the input offsets it covers are, with no store write per commit. Every {@code progress.interval} of
 * wall-clock time the task also hands the counts on, then broadcasts a progress mark: the event time its partition
 * has reached (everything before it has been handed on). When the partition has had no record for
 * {@code idle.timeout}, the mark moves on with the wall clock instead, so evaluation continues (and alerts resolve)
 * when traffic stops. A partition kept busy by a replay is never idle, so the wall clock never interferes with it.
 */
public final class IngestProcessor implements Processor<byte[], byte[], Object, Object> {
    public static final String TO_DEAD_LETTERS = "dead-letters";
    public static final String TO_BY_SERVICE = "by-service";
    private static final Logger log = LoggerFactory.getLogger(IngestProcessor.class);
    private static final long LOG_EVERY_MS = 60_000;

    private final EventDecoder decoder;
    private final RouteNormalizer normalizer;
    private final long graceMs;
    private final long idleTimeoutMs;
    private final Duration progressInterval;
    private final int sourcePartitions;
    private final ProcessorMetrics metrics;
    private final long bucketMs;
    private final LatencyCounting latency;
    /** Shared by all tasks of the instance: one log line per reason per minute, however many partitions. */
    private static final Map<DeadLetterReason, Long> LAST_LOGGED = new java.util.concurrent.ConcurrentHashMap<>();

    private ProcessorContext<Object, Object> context;
    /** the decoder's sink: one call per event (one for most records, many for an OTLP batch) */
    private IngestCounting counting;
    private int partition;
    private long lastRecordWallMs;

    /** @param bucket the early evaluation step (sub-buckets of the finest bucket): events are counted to this resolution */
    public IngestProcessor(EventDecoder decoder, RouteNormalizer normalizer, Duration grace, Duration idleTimeout,
                           Duration progressInterval, int sourcePartitions, ProcessorMetrics metrics, Duration bucket,
                           LatencyCounting latency) {
        this.decoder = decoder;
        this.normalizer = normalizer;
        this.graceMs = grace.toMillis();
        this.idleTimeoutMs = idleTimeout.toMillis();
        this.progressInterval = progressInterval;
        this.sourcePartitions = sourcePartitions;
        this.metrics = metrics;
        this.bucketMs = bucket.toMillis();
        this.latency = latency;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.partition = context.taskId().partition();
        WriteBehindStore<String, byte[]> store = WriteBehindStore.of(context.getStateStore(StoreNames.INGEST_BUFFER));
        this.counting = new IngestCounting(normalizer, graceMs, bucketMs, metrics, new IngestBuffer(store, latency));
        store.beforeCommitForwarding(context, () -> handOver(context.currentSystemTimeMs()));
        this.lastRecordWallMs = context.currentSystemTimeMs();
        context.schedule(progressInterval, PunctuationType.WALL_CLOCK_TIME, this::publishProgress);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        lastRecordWallMs = context.currentSystemTimeMs();
        try {
            decoder.decode(record.value(), record.timestamp(), counting);
        } catch (InvalidRecordException e) {
            deadLetter(record, e); // after the events a partly bad batch gave, which stand
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, InvalidRecordException why) {
        RecordMetadata m = context.recordMetadata().orElseThrow();
        metrics.deadLetter(why.reason());
        long now = context.currentSystemTimeMs();
        Long last = LAST_LOGGED.get(why.reason());
        boolean logIt = last == null ? LAST_LOGGED.putIfAbsent(why.reason(), now) == null
                : now - last >= LOG_EVERY_MS && LAST_LOGGED.replace(why.reason(), last, now);
        if (logIt) {
            log.warn("dead letter ({}) from {}-{}@{}: {} (further ones of this reason are counted, logged once a minute)",
                    why.reason().tag(), m.topic(), m.partition(), m.offset(), why.getMessage());
        }
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(),
                DeadLetters.headers(record.headers(), why, m.topic(), m.partition(), m.offset(), record.timestamp())), TO_DEAD_LETTERS);
    }

    /** The counts so far to the windows stage, one record per service. */
    private void handOver(long wallNow) {
        // counts restored from an earlier version's store go out before this task has seen a record: no event time
        // yet, and a record needs a valid timestamp (the by-service topic stamps its own, LogAppendTime)
        long maxEventTime = counting.maxEventTime();
        long batchTime = maxEventTime == Long.MIN_VALUE ? wallNow : maxEventTime;
        for (Shuffled.Batch b : counting.buffer().drain()) {
            context.forward(new Record<>(b.service(), b, batchTime), TO_BY_SERVICE);
        }
    }

    private void publishProgress(long wallNow) {
        handOver(wallNow);
        long time = counting.maxEventTime();
        if (wallNow - lastRecordWallMs >= idleTimeoutMs) time = Math.max(time, wallNow);
        if (time == Long.MIN_VALUE) return; // nothing seen yet and not idle long enough to speak for the partition
        context.forward(new Record<>(null, new Shuffled.Progress(partition, sourcePartitions, time), time), TO_BY_SERVICE);
    }
}
