package dev.burnrate.metrics;

import dev.burnrate.core.DeadLetterReason;
import dev.burnrate.core.SkipReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** The processor's own counters (Prometheus names in brackets). One instance per application, shared by all tasks. */
public final class ProcessorMetrics {
    private final MeterRegistry registry;
    private final Counter ingested;   // burnrate_events_ingested_total
    private final Counter late;       // burnrate_events_late_total
    private final Counter withoutDuration; // burnrate_events_without_duration_total
    private final Counter overflowed; // burnrate_routes_overflow_total
    private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);
    private final Map<SkipReason, Counter> skipped = new EnumMap<>(SkipReason.class); // burnrate_entries_skipped_total
    private final Counter firing;     // burnrate_alerts_emitted_total{status="firing"}
    private final Counter resolved;

    public ProcessorMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.config().meterFilter(new StoreMetricTags()); // before any meter: filters apply to meters registered later
        ingested = Counter.builder("burnrate.events.ingested").description("access-log events decoded and counted").register(registry);
        late = Counter.builder("burnrate.events.late").description("events older than lateness.grace behind their partition, left out of the windows").register(registry);
        withoutDuration = Counter.builder("burnrate.events.without.duration").description("events without a duration: left out of latency SLIs (unless their status makes them bad) and of percentiles").register(registry);
        overflowed = Counter.builder("burnrate.routes.overflow").description("events whose route was folded into the overflow route by ingest.route.cap").register(registry);
        for (DeadLetterReason r : DeadLetterReason.values()) {
            deadLetters.put(r, Counter.builder("burnrate.dead.letters").tag("reason", r.tag())
                    .description("records sent to the dead-letter topic").register(registry));
        }
        for (SkipReason r : SkipReason.values()) {
            skipped.put(r, Counter.builder("burnrate.entries.skipped").tag("reason", r.tag())
                    .description("entries of OTLP batches that are no HTTP request served, left out (not dead letters)").register(registry));
        }
        firing = Counter.builder("burnrate.alerts.emitted").tag("status", "firing").description("alert transitions written to the alerts topic").register(registry);
        resolved = Counter.builder("burnrate.alerts.emitted").tag("status", "resolved").description("alert transitions written to the alerts topic").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void ingested() {
        ingested.increment();
    }

    public void late() {
        late.increment();
    }

    public void withoutDuration() {
        withoutDuration.increment();
    }

    public void overflowed(long n) {
        overflowed.increment(n);
    }

    public void deadLetter(DeadLetterReason reason) {
        deadLetters.get(reason).increment();
    }

    public void skipped(SkipReason reason) {
        skipped.get(reason).increment();
    }

    public double skippedCount(SkipReason reason) {
        return skipped.get(reason).count();
    }

    public void alertEmitted(boolean isFiring) {
        (isFiring ? firing : resolved).increment();
    }

    public double ingestedCount() {
        return ingested.count();
    }

    public double lateCount() {
        return late.count();
    }

    public double deadLetterCount(DeadLetterReason reason) {
        return deadLetters.get(reason).count();
    }

    public double deadLetterTotal() {
        return deadLetters.values().stream().mapToDouble(Counter::count).sum();
    }

    public double alertsEmitted(boolean isFiring) {
        return (isFiring ? firing : resolved).count();
    }
}
