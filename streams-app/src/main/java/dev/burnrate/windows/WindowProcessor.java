package dev.burnrate.windows;

import dev.burnrate.core.LatencyCounting;
import dev.burnrate.core.Shuffled;
import dev.burnrate.core.StoreNames;
import dev.burnrate.core.TimeBuckets;
import dev.burnrate.metrics.ProcessorMetrics;
import dev.burnrate.state.WriteBehindStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Second stage, one task per by-service partition: adds the ingest stage's counts into the rolling buckets of
 * their service and route, and on each progress mark evaluates every evaluation instant the watermark has passed, in order.
 */
public final class WindowProcessor implements Processor<String, Shuffled, String, byte[]> {
    private static final Logger log = LoggerFactory.getLogger(WindowProcessor.class);
    private static final long EXPIRE_EVERY_MS = 3_600_000;
    private static final Duration RESUME_EVERY = Duration.ofMillis(100);

    private final TierPlan plan;
    private final int routeCap;
    private final String overflowRoute;
    private final ProcessorMetrics metrics;
    private final InstantEvaluator.Factory evaluatorFactory;
    private final long quietAfterMs;
    private final long sliceNanos;
    /** A watermark whose instants are not all evaluated yet (a catch-up cut into slices), or MIN_VALUE. */
    private long pending = Long.MIN_VALUE;
    /** Whether the instants up to pending are being evaluated across commits, and how many so far. */
    private boolean catchingUp;
    private long catchUpInstants;

    private RouteRegistry routes;
    private BucketStore buckets;
    private LatencyBuckets latency;
    private Watermark watermark;
    private InstantEvaluator evaluator;

    /**
     * @param quietAfter how long after the last event no rule condition can be true any more (the longest window a
     *                   minimum-request guard applies to, plus one bucket): past it, one evaluation stands for all
     * @param slice      the longest the windows tasks of a stream thread evaluate instants between two commits; the
     *                   rest continues after the commit (a wall-clock punctuation every 100 ms), so a catch-up over
     *                   hours of backlog never holds one exactly-once transaction past its timeout; null for no limit
     *                   (the backtest)
     */
    public WindowProcessor(TierPlan plan, int routeCap, String overflowRoute, ProcessorMetrics metrics,
                           InstantEvaluator.Factory evaluatorFactory, Duration quietAfter, Duration slice) {
        this.plan = plan;
        this.routeCap = routeCap;
        this.overflowRoute = overflowRoute;
        this.metrics = metrics;
        this.evaluatorFactory = evaluatorFactory;
        this.quietAfterMs = quietAfter.toMillis();
        this.sliceNanos = slice == null ? Long.MAX_VALUE : slice.toNanos();
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        KeyValueStore<String, List<String>> routeStore = context.getStateStore(StoreNames.ROUTES);
        WriteBehindStore<Bytes, byte[]> bucketStore = WriteBehindStore.of(context.getStateStore(StoreNames.BUCKETS));
        KeyValueStore<Integer, Long> progressStore = context.getStateStore(StoreNames.PROGRESS);
        routes = new RouteRegistry(routeStore, routeCap, overflowRoute, metrics);
        buckets = new BucketStore(bucketStore, plan);
        latency = new LatencyBuckets(bucketStore, service -> routes.routes(service).size());
        watermark = new Watermark(progressStore);
        bucketStore.beforeCommit(() -> {
            buckets.flushPending();
            latency.flushPending();
            routes.flushPending();
            watermark.flush(); // last: a reader finding the clock finds the counts it stands for
            CatchUpBudget.ofThread().renew();
        });
        buckets.rolledUpTo(watermark.lastEvaluated());
        evaluator = evaluatorFactory.create(context, routes, buckets);
        if (sliceNanos != Long.MAX_VALUE) context.schedule(RESUME_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> resume());
    }

    /** Completes the coarse buckets that end at instant t, for the keys with counts in them, before t is evaluated. */
    private void rollUp(long t) {
        buckets.rollUpDue(t);
        buckets.rolledUpTo(t);
    }

    @Override
    public void process(Record<String, Shuffled> record) {
        if (record.value() instanceof Shuffled.Batch b) {
            String service = b.service();
            b.forEachEntry((route, status, bucket, n) -> {
                // a route's pseudo-statuses (latency counts) follow its statuses, which admitted it: they are no requests
                boolean requests = status < LatencyCounting.HISTOGRAM_BASE;
                String admitted = routes.admit(service, route, requests ? n : 0);
                if (LatencyCounting.isHistogram(status)) {
                    latency.add(service, admitted, bucket, status - LatencyCounting.HISTOGRAM_BASE, n);
                    return;
                }
                buckets.add(service, admitted, bucket, status, n);
                watermark.sawEvent(bucket);
            });
        } else if (record.value() instanceof Shuffled.Progress p) {
            long w = watermark.update(p.sourcePartition(), p.sourcePartitions(), p.timeMs());
            if (w != Long.MIN_VALUE) pending = Math.max(pending, w);
            resume();
        }
    }

    /**
     * Evaluates up to the pending watermark, within what is left of the thread's slice for this transaction (see
     * {@link CatchUpBudget}); the rest goes on after the commit, from the next record or the 100 ms punctuation.
     */
    private void resume() {
        if (pending == Long.MIN_VALUE) return;
        CatchUpBudget budget = CatchUpBudget.ofThread();
        boolean reached = false;
        if (!budget.exhausted(sliceNanos)) {
            long started = System.nanoTime();
            try {
                reached = evaluateUpTo(pending, started, budget);
            } finally {
                budget.spend(System.nanoTime() - started);
            }
        }
        if (!reached) {
            if (!catchingUp) {
                log.info("catching up: the instants up to {} take longer than evaluation.catchup.slice; evaluating them across commits",
                        Instant.ofEpochMilli(TimeBuckets.start(pending, plan.stepMs())));
                catchingUp = true;
            }
            return;
        }
        if (catchingUp) {
            log.info("caught up: {} instants evaluated across commits, up to {}", catchUpInstants, Instant.ofEpochMilli(watermark.lastEvaluated()));
            catchingUp = false;
        }
        catchUpInstants = 0;
        pending = Long.MIN_VALUE;
    }

    /**
     * Evaluates every instant (multiple of the evaluation step) in (last evaluated, w], oldest first, and returns true;
     * or stops once the budget is spent with instants left, and returns false. When the watermark jumps far past the
     * last event (traffic stopped, or a replay ended and the wall clock took over), instants after the quiet point all
     * see empty guard windows, so the first of them stands for the rest.
     */
    private boolean evaluateUpTo(long w, long startedNanos, CatchUpBudget budget) {
        long step = plan.stepMs();
        long last = watermark.lastEvaluated();
        long target = TimeBuckets.start(w, step);
        // the first evaluation starts right after the earliest count, not at the watermark: a backlog ingested before
        // the first progress mark arrived must still be evaluated instant by instant
        long first = watermark.firstEvent();
        long next = last != Long.MIN_VALUE ? last + step
                : first == Long.MAX_VALUE ? target : Math.min(target, TimeBuckets.end(first, step));
        long quietFrom = watermark.lastEvent() == Long.MIN_VALUE ? Long.MIN_VALUE
                : TimeBuckets.end(watermark.lastEvent() + quietAfterMs, step);
        for (long t = next; t <= target; t += step) {
            if (t > quietFrom && t < target) t = target; // nothing can change between here and the target
            evaluateEarly(t - step, t - 1);
            rollUp(t);
            evaluator.evaluate(t);
            buckets.dropSubBuckets(t);
            if (last != Long.MIN_VALUE && TimeBuckets.start(t, EXPIRE_EVERY_MS) != TimeBuckets.start(last, EXPIRE_EVERY_MS)) {
                buckets.expire(t);
                latency.expire(t);
            }
            last = t;
            watermark.evaluated(t);
            catchUpInstants++;
            if (t < target && budget.exhaustedWith(startedNanos, sliceNanos)) return false;
        }
        if (last != Long.MIN_VALUE) evaluateEarly(last, w);
        return true;
    }

    /**
     * Early instants in (fromMs, toMs]: the end of each sub-bucket (of {@code evaluation.early.step}) that holds counts,
     * between evaluation instants, once the watermark has passed it. A group whose errors arrive there is evaluated
     * then instead of at the next evaluation instant: an alert fires within about one early step of the event that
     * tips it. Which instants these are depends only on the counts, so a replay evaluates the same ones.
     */
    private void evaluateEarly(long fromMs, long toMs) {
        long early = plan.earlyMs();
        if (early == plan.stepMs()) return;
        long from = Math.max(fromMs, watermark.earlyEvaluated());
        long to = TimeBuckets.start(toMs, early);
        if (to <= from) return;
        evaluator.evaluateEarly(from, to);
        watermark.earlyEvaluated(to);
    }
}
