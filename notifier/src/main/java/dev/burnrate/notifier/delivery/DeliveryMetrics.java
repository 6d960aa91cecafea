package dev.burnrate.notifier.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The notifier's own metrics: delivered, retried and finally failed messages per target, delivery latency (from the
 * alert record's append to the receiver's acceptance), re-sends, dead letters, and the active alerts it knows.
 */
public final class DeliveryMetrics {
    private final MeterRegistry registry;

    public DeliveryMetrics(MeterRegistry registry, Supplier<Number> activeAlerts) {
        this.registry = registry;
        // a supplier gauge holds its supplier strongly (registry.gauge(...) keeps only a weak reference: NaN after a GC)
        Gauge.builder("burnrate_notifier_active_alerts", activeAlerts).description("firing alerts in the alerts topic's table")
                .strongReference(true).register(registry);
    }

    void delivered(String target, Duration latency) {
        Counter.builder("burnrate_notifier_delivered_total").description("transitions a target accepted")
                .tag("target", target).register(registry).increment();
        Timer.builder("burnrate_notifier_delivery_latency").description("from the alert record's append time to acceptance")
                .tag("target", target).register(registry).record(latency.isNegative() ? Duration.ZERO : latency);
    }

    void retried(String target) {
        Counter.builder("burnrate_notifier_retries_total").tag("target", target).register(registry).increment();
    }

    void failed(String target, String reason) {
        Counter.builder("burnrate_notifier_failed_total").description("transitions that failed finally (dead-lettered)")
                .tag("target", target).tag("reason", reason).register(registry).increment();
    }

    void resent(String target, boolean ok) {
        Counter.builder("burnrate_notifier_resends_total").tag("target", target).tag("outcome", ok ? "accepted" : "failed")
                .register(registry).increment();
    }

    public void deadLetter(String reason) {
        Counter.builder("burnrate_notifier_dead_letters_total").tag("reason", reason).register(registry).increment();
    }

    public double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }
}
