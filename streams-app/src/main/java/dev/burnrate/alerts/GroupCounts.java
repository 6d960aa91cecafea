package dev.burnrate.alerts;

import dev.burnrate.slo.Slo;
import dev.burnrate.windows.BucketStore;
import dev.burnrate.core.Counts;
import dev.burnrate.windows.SpanCounts;
import java.time.Duration;

/** The counts an SLO sees for one alert group over a window: used by evaluation and by the query API alike. */
public final class GroupCounts {
    private GroupCounts() {
    }

    /**
     * @param route  the group's route (service+route grouping), or null for the service as a whole
     * @param routes the service's routes (to sum the ones a route selector picks)
     */
    public static Counts of(Slo slo, BucketStore buckets, Iterable<String> routes, String service, String route,
                            Duration window, long atMs) {
        return of(slo, routes, service, route, r -> buckets.window(service, r, window, atMs));
    }

    /**
     * The group's counts over the SLO's period so far ({@link dev.burnrate.slo.SloPeriod#start} to atMs, see
     * {@link SpanCounts}): what budget rules, the remaining budget in the API and the budget gauges read.
     */
    public static Counts period(Slo slo, BucketStore buckets, Iterable<String> routes, String service, String route, long atMs) {
        return since(slo, buckets, routes, service, route, slo.period().start(atMs), atMs);
    }

    /**
     * Whether the group had any request in the SLO's longest period before atMs: the premise of a no-traffic rule
     * (a group whose first requests are not yet before the evaluation instant has not gone quiet). Read as the
     * period-long window (hourly buckets, whose sums the writer keeps: a route that stays quiet costs little at each
     * instant) plus the counts since that window's end.
     */
    public static boolean hadTraffic(Slo slo, BucketStore buckets, Iterable<String> routes, String service, String route, long atMs) {
        Duration longest = slo.period().longest();
        if (!of(slo, buckets, routes, service, route, longest, atMs).isEmpty()) return true;
        long windowEnd = buckets.plan().tierFor(longest).bucketStart(atMs);
        return !since(slo, buckets, routes, service, route, windowEnd, atMs).isEmpty();
    }

    private static Counts since(Slo slo, BucketStore buckets, Iterable<String> routes, String service, String route, long fromMs, long atMs) {
        return of(slo, routes, service, route, r -> SpanCounts.since(buckets, service, r, fromMs, atMs));
    }

    private static Counts of(Slo slo, Iterable<String> routes, String service, String route, java.util.function.Function<String, Counts> window) {
        if (route != null) return window.apply(route);
        if (slo.selector().routes().isEmpty()) return window.apply(BucketStore.ALL_ROUTES);
        Counts sum = new Counts();
        for (String r : routes) {
            if (slo.matches(service, r)) sum.add(window.apply(r));
        }
        return sum;
    }
}
