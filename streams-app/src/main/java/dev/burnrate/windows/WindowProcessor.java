package dev.burnrate.windows;

import dev.burnrate.alerts.AlertEvaluator;
import dev.burnrate.ingest.AccessEvent;
import dev.burnrate.ingest.Shuffled;
import dev.burnrate.metrics.ProcessorMetrics;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Second stage, one task per by-service partition: counts events into the rolling buckets of their service and
 * route, and on each progress mark evaluates every evaluation instant the watermark has passed, in order.
 */
public final class WindowProcessor implements Processor<String, Shuffled, String, byte[]> {
    private static final long EXPIRE_EVERY_MS = 3_600_000;

    private final TierPlan plan;
    private final int routeCap;
    private final String overflowRoute;
    private final ProcessorMetrics metrics;
    private final AlertEvaluator.Factory evaluatorFactory;

    private RouteRegistry routes;
    private BucketStore buckets;
    private Watermark watermark;
    private AlertEvaluator evaluator;

    public WindowProcessor(TierPlan plan, int routeCap, String overflowRoute, ProcessorMetrics metrics,
                           AlertEvaluator.Factory evaluatorFactory) {
        this.plan = plan;
        this.routeCap = routeCap;
        this.overflowRoute = overflowRoute;
        this.metrics = metrics;
        this.evaluatorFactory = evaluatorFactory;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        KeyValueStore<String, byte[]> routeStore = context.getStateStore(RouteRegistry.NAME);
        KeyValueStore<Bytes, byte[]> bucketStore = context.getStateStore(BucketStore.NAME);
        KeyValueStore<Integer, Long> progressStore = context.getStateStore(Watermark.NAME);
        routes = new RouteRegistry(routeStore, routeCap, overflowRoute, metrics);
        buckets = new BucketStore(bucketStore, plan);
        watermark = new Watermark(progressStore);
        evaluator = evaluatorFactory.create(context, routes, buckets);
    }

    @Override
    public void process(Record<String, Shuffled> record) {
        if (record.value() instanceof Shuffled.Event e) {
            AccessEvent ev = e.event();
            String route = routes.admit(ev.service(), ev.route());
            buckets.add(ev.service(), route, ev.timestampMs(), ev.status(), 1);
        } else if (record.value() instanceof Shuffled.Progress p) {
            long w = watermark.update(p.sourcePartition(), p.sourcePartitions(), p.timeMs());
            if (w != Long.MIN_VALUE) evaluateUpTo(w);
        }
    }

    /** Evaluates every instant (multiple of the evaluation step) in (last evaluated, w], oldest first. */
    private void evaluateUpTo(long w) {
        long step = plan.stepMs();
        long last = watermark.lastEvaluated();
        long target = Math.floorDiv(w, step) * step;
        long next = last == Long.MIN_VALUE ? target : last + step;
        for (long t = next; t <= target; t += step) {
            evaluator.evaluate(t);
            if (last != Long.MIN_VALUE && Math.floorDiv(t, EXPIRE_EVERY_MS) != Math.floorDiv(t - step, EXPIRE_EVERY_MS)) {
                buckets.expire(t);
            }
            watermark.evaluated(t);
        }
    }
}
