package dev.burnrate.alerts;

import dev.burnrate.core.StoreNames;
import dev.burnrate.core.TimeBuckets;
import dev.burnrate.metrics.ProcessorMetrics;
import dev.burnrate.schema.SloAlert;
import dev.burnrate.slo.AlertRule;
import dev.burnrate.slo.AlertRule.WindowRule;
import dev.burnrate.slo.GroupBy;
import dev.burnrate.slo.Slo;
import dev.burnrate.slo.SloConfig;
import dev.burnrate.windows.BucketStore;
import dev.burnrate.windows.InstantEvaluator;
import dev.burnrate.core.Counts;
import dev.burnrate.windows.RouteRegistry;
import dev.burnrate.windows.SpanCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
public final class AlertEvaluator implements InstantEvaluator {
    public static final String TO_ALERTS = "alerts";
    private static final Logger log = LoggerFactory.getLogger(AlertEvaluator.class);

    private final SloConfig slos;
    private final AlertRecords records;
    private final AlertEncoder encoder;
    private final Duration resolvedRetention;
    private final ProcessorMetrics metrics;
    private final ProcessorContext<String, byte[]> context;
    private final RouteRegistry routes;
    private final BucketStore buckets;
    private final KeyValueStore<AlertId, AlertState> states;

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
        this.states = context.getStateStore(StoreNames.ALERT_STATE);
    }

    @Override
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

    /**
     * Evaluates, at each early instant in (fromMs, toMs], the groups whose errors arrived in the sub-bucket ending
     * there (see {@code WindowProcessor}), oldest first. Only rules that are not firing are evaluated: an early
     * instant can fire or advance a pending alert; resolving waits for the evaluation instants.
     */
    @Override
    public void evaluateEarly(long fromMs, long toMs) {
        List<Early> due = new ArrayList<>();
        for (String service : routes.services()) {
            for (Slo slo : slos.slos()) {
                if (!slo.coversService(service)) continue;
                if (slo.groupBy() == GroupBy.SERVICE) {
                    earlyInstants(slo, service, null, BucketStore.ALL_ROUTES, fromMs, toMs, due);
                } else {
                    for (String r : routes.routes(service)) if (slo.matches(service, r)) earlyInstants(slo, service, r, r, fromMs, toMs, due);
                }
            }
        }
        due.sort(java.util.Comparator.comparingLong(Early::atMs));
        for (Early e : due) evaluateGroup(e.slo(), e.service(), e.route(), e.atMs(), true);
    }

    private record Early(long atMs, Slo slo, String service, String route) {
    }

    private void earlyInstants(Slo slo, String service, String route, String key, long fromMs, long toMs, List<Early> due) {
        long early = buckets.plan().earlyMs();
        long step = buckets.plan().stepMs();
        for (long start : buckets.subBucketsWithCounts(service, key, fromMs, toMs - early + 1)) {
            long at = start + early;
            if (Math.floorMod(at, step) == 0) continue; // an evaluation instant: every group is evaluated there
            Counts c = buckets.subBuckets(service, key, TimeBuckets.start(start, step), start, at);
            if (c != null && slo.badEvents(c) > 0) due.add(new Early(at, slo, service, route));
        }
    }

    private void evaluateGroup(Slo slo, String service, String route, long atMs) {
        evaluateGroup(slo, service, route, atMs, false);
    }

    private void evaluateGroup(Slo slo, String service, String route, long atMs, boolean early) {
        Set<String> serviceRoutes = routes.routes(service);
        Map<Duration, Counts> memo = new HashMap<>();
        Function<Duration, Counts> window = w -> memo.computeIfAbsent(w,
                d -> GroupCounts.of(slo, buckets, serviceRoutes, service, route, d, atMs));
        Counts[] periodMemo = new Counts[1]; // read once, and only if a budget rule asks
        Supplier<Counts> period = () -> periodMemo[0] != null ? periodMemo[0]
                : (periodMemo[0] = GroupCounts.period(slo, buckets, serviceRoutes, service, route, atMs));
        for (AlertRule rule : slo.rules()) {
            AlertId id = AlertRecords.identity(slo, rule, service, route);
            AlertState prev = states.get(id);
            if (early && prev != null && prev.phase() == AlertState.Phase.FIRING) continue;
            // an active no-traffic alert stays so until traffic returns, however long the group has been quiet
            RuleEvaluator.RuleResult result = RuleEvaluator.evaluate(slo, rule, window, period,
                    () -> (prev != null && prev.active()) || GroupCounts.hadTraffic(slo, buckets, serviceRoutes, service, route, atMs));
            if (prev == null && !result.conditionTrue()) continue; // inactive and staying so: nothing to store
            AlertStateMachine.Step step = AlertStateMachine.step(prev, result.conditionTrue(), atMs, rule.hold(), rule.keepFiringFor(),
                    resolvedRetention);
            if (step.next().deletable() || step.next().phase() == AlertState.Phase.INACTIVE) states.delete(id);
            else if (!step.next().sameBut(prev)) states.put(id, step.next());
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
            context.forward(new Record<>(id.toString(), encoder.encode(alert), atMs));
            metrics.alertEmitted(firing);
            log.info("alert {} {} at {}: {}", firing ? "FIRING" : "RESOLVED", id, Instant.ofEpochMilli(atMs),
                    alert.getAnnotations().get("summary"));
        }
    }
}
