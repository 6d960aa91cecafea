package dev.burnrate.alerts;

import dev.burnrate.metrics.ProcessorMetrics;
import dev.burnrate.schema.SloAlert;
import dev.burnrate.slo.AlertRule;
import dev.burnrate.slo.AlertRule.WindowRule;
import dev.burnrate.slo.GroupBy;
import dev.burnrate.slo.Slo;
import dev.burnrate.slo.SloConfig;
import dev.burnrate.windows.BucketStore;
import dev.burnrate.windows.Counts;
import dev.burnrate.windows.RouteRegistry;
import dev.burnrate.windows.SpanCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every SLO rule for every alert group of this task at one evaluation instant, steps each alert's state
 * machine (kept in a changelogged store, so a restart neither re-fires nor forgets a resolve) and writes one
 * record per transition to the alerts topic, keyed by the alert's identity.
 */
public final class AlertEvaluator {
    public static final String STATE_STORE = "alert-state";
    public static final String TO_ALERTS = "alerts";
    private static final Logger log = LoggerFactory.getLogger(AlertEvaluator.class);

    /** Creates the evaluator of one task, once its stores are available. */
    @FunctionalInterface
    public interface Factory {
        AlertEvaluator create(ProcessorContext<String, byte[]> context, RouteRegistry routes, BucketStore buckets);
    }

    private final SloConfig slos;
    private final AlertRecords records;
    private final AlertEncoder encoder;
    private final Duration resolvedRetention;
    private final ProcessorMetrics metrics;
    private final ProcessorContext<String, byte[]> context;
    private final RouteRegistry routes;
    private final BucketStore buckets;
    private final KeyValueStore<String, byte[]> states;

    public AlertEvaluator(SloConfig slos, AlertRecords records, AlertEncoder encoder, Duration resolvedRetention,
                          ProcessorMetrics metrics, ProcessorContext<String, byte[]> context, RouteRegistry routes,
                          BucketStore buckets) {
        this.slos = slos;
        this.records = records;
        this.encoder = encoder;
        this.resolvedRetention = resolvedRetention;
        this.metrics = metrics;
        this.context = context;
        this.routes = routes;
        this.buckets = buckets;
        this.states = context.getStateStore(STATE_STORE);
    }

    public void evaluate(long atMs) {
        for (String service : routes.services()) {
            for (Slo slo : slos.slos()) {
                if (!slo.coversService(service)) continue;
                if (slo.groupBy() == GroupBy.SERVICE) {
                    evaluateGroup(slo, service, null, atMs);
                } else {
                    for (String route : routes.routes(service)) {
                        if (slo.matches(service, route)) evaluateGroup(slo, service, route, atMs);
                    }
                }
            }
        }
    }

    private void evaluateGroup(Slo slo, String service, String route, long atMs) {
        Set<String> serviceRoutes = routes.routes(service);
        Map<Duration, Counts> memo = new HashMap<>();
        Function<Duration, Counts> window = w -> memo.computeIfAbsent(w,
                d -> GroupCounts.of(slo, buckets, serviceRoutes, service, route, d, atMs));
        Counts[] periodMemo = new Counts[1]; // read once, and only if a budget rule asks
        Supplier<Counts> period = () -> periodMemo[0] != null ? periodMemo[0]
                : (periodMemo[0] = GroupCounts.period(slo, buckets, serviceRoutes, service, route, atMs));
        for (AlertRule rule : slo.rules()) {
            String id = AlertRecords.identity(slo, rule, service, route);
            byte[] prevBytes = states.get(id);
            AlertState prev = prevBytes == null ? null : AlertState.fromBytes(prevBytes);
            // an active no-traffic alert stays so until traffic returns, however long the group has been quiet
            RuleEvaluator.RuleResult result = RuleEvaluator.evaluate(slo, rule, window, period,
                    () -> (prev != null && prev.active()) || GroupCounts.hadTraffic(slo, buckets, serviceRoutes, service, route, atMs));
            if (prev == null && !result.conditionTrue()) continue; // inactive and staying so: nothing to store
            AlertStateMachine.Step step = AlertStateMachine.step(prev, result.conditionTrue(), atMs, rule.hold(), resolvedRetention);
            if (step.next().deletable() || step.next().phase() == AlertState.Phase.INACTIVE) states.delete(id);
            else states.put(id, step.next().toBytes());
            if (step.emitted() == Transition.NONE) continue;
            boolean firing = step.emitted() == Transition.FIRING;
            // the evidence (top routes, dominant codes) is over the rule's guard window, or the period for a budget rule
            Counts guard;
            Function<String, Counts> routeCounts;
            if (rule instanceof WindowRule w) {
                guard = window.apply(w.guardWindow());
                routeCounts = r -> buckets.window(service, r, w.guardWindow(), atMs);
            } else {
                guard = period.get();
                long from = slo.period().start(atMs);
                routeCounts = r -> SpanCounts.since(buckets, service, r, from, atMs);
            }
            SloAlert alert = records.build(slo, rule, service, route, step.next(), firing, atMs, result, guard, routeCounts, serviceRoutes);
            context.forward(new Record<>(id, encoder.encode(alert), atMs));
            metrics.alertEmitted(firing);
            log.info("alert {} {} at {}: {}", firing ? "FIRING" : "RESOLVED", id, Instant.ofEpochMilli(atMs),
                    alert.getAnnotations().get("summary"));
        }
    }
}
