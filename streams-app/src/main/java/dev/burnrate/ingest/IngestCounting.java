package dev.burnrate.ingest;

import dev.burnrate.core.TimeBuckets;
import dev.burnrate.core.SkipReason;
import dev.burnrate.metrics.ProcessorMetrics;

/**
 * What an ingest task does with each decoded event: normalize its route, leave it out when it is late for its
 * partition, count it into the {@link IngestBuffer} at the finest bucket. Free of Kafka, so the decode benchmark
 * measures exactly the path {@link IngestProcessor} runs per record.
 */
public final class IngestCounting implements EventDecoder.Sink {
    private final RouteNormalizer normalizer;
    private final long graceMs;
    private final long bucketMs;
    private final ProcessorMetrics metrics;
    private final IngestBuffer buffer;
    private long maxEventTime = Long.MIN_VALUE;

    public IngestCounting(RouteNormalizer normalizer, long graceMs, long bucketMs, ProcessorMetrics metrics, IngestBuffer buffer) {
        this.normalizer = normalizer;
        this.graceMs = graceMs;
        this.bucketMs = bucketMs;
        this.metrics = metrics;
        this.buffer = buffer;
    }

    @Override
    public void event(AccessEvent event) {
        long ts = event.timestampMs();
        if (maxEventTime != Long.MIN_VALUE && ts < maxEventTime - graceMs) {
            metrics.late();
            return;
        }
        maxEventTime = Math.max(maxEventTime, ts);
        metrics.ingested();
        double duration = event.durationMs();
        if (duration != duration) metrics.withoutDuration();
        buffer.add(event.service(), normalizer.normalize(event.route()), event.status(), duration, TimeBuckets.start(ts, bucketMs));
    }

    @Override
    public void skipped(SkipReason reason) {
        metrics.skipped(reason);
    }

    /** The newest event time counted so far, {@link Long#MIN_VALUE} before the first. */
    public long maxEventTime() {
        return maxEventTime;
    }

    public IngestBuffer buffer() {
        return buffer;
    }
}
