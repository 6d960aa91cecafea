package dev.burnrate.windows;

import dev.burnrate.core.TimeBuckets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Which bucket resolution serves which window. Each window is summed from the buckets of one tier: the coarsest
 * resolution of the ladder (evaluation interval, 1m, 5m, 1h) that still gives the window at least
 * {@value #MIN_BUCKETS_PER_WINDOW} buckets. So 5m uses 10s buckets, 30m and 1h use 1m, 2h and 6h use 5m, 1d and
 * longer use 1h. A window's body is complete buckets of its tier; its recent end is completed from the finer tiers
 * down to the evaluation step, so it is exact there (see {@link BucketStore#window}); only its oldest bucket may be
 * partly covered, at most 1/24 of the window. Each resolution divides the next, so a coarse bucket is the sum of
 * finer ones, and each tier keeps at least one bucket of the next coarser tier.
 *
 * <p>Route keys keep less where they can: a route's buckets are read for the windows the query API shows per route
 * and the rules' windows (evidence: top routes), and for the SLO period only where a route is an alert group or
 * part of one (see {@link #retentionMs(Tier, String, String)}). Elsewhere a route's coarsest tier keeps its longest
 * such window (3 days) instead of the period (30 days): the bulk of the state at 100k routes.
 */
public final class TierPlan {
    static final int MIN_BUCKETS_PER_WINDOW = 24;

    /** One bucket resolution and how long its buckets are kept. */
    public record Tier(int index, long resolutionMs, long retentionMs) {
        public long bucketStart(long timeMs) {
            return TimeBuckets.start(timeMs, resolutionMs);
        }

        /** The first bucket start at or after timeMs. */
        public long bucketStartAtOrAfter(long timeMs) {
            return TimeBuckets.startAtOrAfter(timeMs, resolutionMs);
        }

        /** The oldest bucket start surely still held at instant nowMs (expiry runs hourly, so some older may be left). */
        public long oldestHeld(long nowMs) {
            return bucketStart(nowMs) - retentionMs + resolutionMs;
        }
    }

    private final List<Tier> tiers;
    /** Per tier, how long route keys keep buckets when their service's routes need no period (see the class comment). */
    private final long[] routeRetentionMs;
    private final Predicate<String> routesNeedPeriod;
    private final Map<String, Boolean> routesNeedPeriodMemo = new ConcurrentHashMap<>();
    private final Map<Duration, Tier> byWindow;
    private final long stepMs;
    private final long earlyMs;

    public TierPlan(Duration evaluationStep, Collection<Duration> windows) {
        this(evaluationStep, evaluationStep, windows);
    }

    /**
     * @param earlyStep the sub-bucket of the finest tier: a group with errors in one is evaluated at its end (see
     *                  {@code WindowProcessor}); equal to the evaluation step for no early evaluation
     */
    public TierPlan(Duration evaluationStep, Duration earlyStep, Collection<Duration> windows) {
        this(evaluationStep, earlyStep, windows, windows, service -> true);
    }

    /**
     * @param routeWindows     the windows read per route (a subset of windows)
     * @param routesNeedPeriod whether a service's routes are read over all windows (its SLOs group by route, select
     *                         routes or have budget rules); its routes keep what its total keeps
     */
    public TierPlan(Duration evaluationStep, Duration earlyStep, Collection<Duration> windows, Collection<Duration> routeWindows,
                    Predicate<String> routesNeedPeriod) {
        this.routesNeedPeriod = routesNeedPeriod;
        this.stepMs = evaluationStep.toMillis();
        this.earlyMs = earlyStep.toMillis();
        if (earlyMs <= 0 || stepMs % earlyMs != 0) {
            throw new IllegalArgumentException("the early evaluation step must divide the evaluation interval " + evaluationStep + ", got " + earlyStep);
        }
        if (stepMs <= 0 || 60_000 % stepMs != 0) {
            throw new IllegalArgumentException("the evaluation interval must divide 1m (e.g. 1s, 5s, 10s, 15s, 30s, 1m), got " + evaluationStep);
        }
        long[] ladder = {stepMs, 60_000, 300_000, 3_600_000};
        TreeMap<Long, Long> retentionByResolution = new TreeMap<>();
        Map<Duration, Long> resolutionOf = new TreeMap<>();
        for (Duration w : new TreeSet<>(windows)) {
            long ms = w.toMillis();
            if (ms % stepMs != 0) throw new IllegalArgumentException("window " + w + " is not a multiple of the evaluation interval");
            long chosen = stepMs;
            for (long r : ladder) if (r >= stepMs && ms % r == 0 && ms / r >= MIN_BUCKETS_PER_WINDOW) chosen = Math.max(chosen, r);
            resolutionOf.put(w, chosen);
            retentionByResolution.merge(chosen, ms + chosen, Math::max);
        }
        // coarser buckets are rolled up from the next finer tier, so that tier is kept for one coarse bucket at least;
        // the finest tier (the evaluation step) always exists: every count lands there first
        retentionByResolution.putIfAbsent(stepMs, stepMs);
        List<Long> resolutions = new ArrayList<>(retentionByResolution.keySet());
        for (int i = 0; i + 1 < resolutions.size(); i++) {
            long fine = resolutions.get(i);
            retentionByResolution.merge(fine, resolutions.get(i + 1) + fine, Math::max);
        }
        List<Tier> list = new ArrayList<>();
        Map<Long, Tier> byRes = new TreeMap<>();
        for (Map.Entry<Long, Long> e : retentionByResolution.entrySet()) {
            Tier t = new Tier(list.size(), e.getKey(), e.getValue());
            list.add(t);
            byRes.put(e.getKey(), t);
        }
        this.tiers = List.copyOf(list);
        Map<Duration, Tier> bw = new TreeMap<>();
        resolutionOf.forEach((w, r) -> bw.put(w, byRes.get(r)));
        this.byWindow = Map.copyOf(bw);
        this.routeRetentionMs = new long[list.size()];
        for (Tier t : list) { // one bucket of the next coarser tier, for the roll-up, and the route windows of this tier
            routeRetentionMs[t.index()] = t.index() + 1 < list.size() ? list.get(t.index() + 1).resolutionMs() + t.resolutionMs() : t.resolutionMs();
        }
        for (Duration w : routeWindows) {
            Tier t = tierFor(w);
            routeRetentionMs[t.index()] = Math.max(routeRetentionMs[t.index()], w.toMillis() + t.resolutionMs());
        }
    }

    /** How long a key keeps the tier's buckets: a route of a service whose routes need no period keeps less. */
    public long retentionMs(Tier t, String service, String route) {
        if (route.equals(BucketStore.ALL_ROUTES) || routesNeedPeriodMemo.computeIfAbsent(service, routesNeedPeriod::test)) {
            return t.retentionMs();
        }
        return Math.min(t.retentionMs(), routeRetentionMs[t.index()]);
    }

    public List<Tier> tiers() {
        return tiers;
    }

    public Tier tierFor(Duration window) {
        Tier t = byWindow.get(window);
        if (t == null) throw new IllegalArgumentException("no tier planned for window " + window);
        return t;
    }



    /** Evaluation instants are multiples of this; it is also the finest bucket. */
    public long stepMs() {
        return stepMs;
    }

    /** The finest buckets' sub-buckets, to which events are counted (equal to {@link #stepMs}: none). */
    public long earlyMs() {
        return earlyMs;
    }
}
