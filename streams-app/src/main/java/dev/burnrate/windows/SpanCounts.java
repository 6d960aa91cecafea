package dev.burnrate.windows;

import dev.burnrate.core.Counts;

/**
 * Counts from an instant to the evaluation instant, for spans no rule window has: an SLO's period so far (a
 * calendar month from its first midnight; a rolling 30 days). The bulk from the coarsest tier that still holds the
 * span's start, then the same recent end as a rule's window ({@link BucketStore#upTo}): exact there, and independent
 * of how fast the input was read.
 *
 * <p>The old end is rounded UP to the coarse tier's bucket (1h for periods): exact for a calendar period whose
 * local midnight falls on a UTC hour; in a zone with a :30 or :45 offset (Asia/Kolkata) the period's first 30 or 45
 * minutes are left out. A rolling period of length L spans between L minus one coarse bucket and L.
 */
public final class SpanCounts {
    private SpanCounts() {
    }

    /**
     * Sum of the counts in [fromMs, atMs) (fromMs rounded up as above).
     *
     * @param atMs an evaluation instant (or an early instant)
     * @throws IllegalStateException when no tier keeps buckets back to fromMs (the tier plan must have a window at
     *                               least as long as the span)
     */
    public static Counts since(BucketStore buckets, String service, String route, long fromMs, long atMs) {
        var tiers = buckets.plan().tiers(); // finest first
        int coarse = -1;
        for (int i = tiers.size() - 1; i >= 0 && coarse < 0; i--) {
            TierPlan.Tier t = tiers.get(i);
            if (t.bucketStartAtOrAfter(fromMs) >= t.bucketStart(atMs) - buckets.plan().retentionMs(t, service, route)) coarse = i;
        }
        if (coarse < 0) {
            throw new IllegalStateException("no bucket tier keeps counts of " + service + (route.isEmpty() ? "" : " " + route)
                    + " back to " + java.time.Instant.ofEpochMilli(fromMs));
        }
        TierPlan.Tier body = tiers.get(coarse);
        return buckets.upTo(service, route, body, body.bucketStartAtOrAfter(fromMs), atMs);
    }
}
