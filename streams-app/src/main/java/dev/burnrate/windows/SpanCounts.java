package dev.burnrate.windows;

/**
 * Counts from an instant to the evaluation instant, for spans no rule window has: an SLO's period so far (a
 * calendar month from its first midnight; a rolling 30 days). Built on {@link BucketStore#range} only: the bulk
 * from the coarsest tier that still holds the span's start, then each finer tier from where the coarser one ends
 * to its own last complete bucket, down to the evaluation step. So the span is exact at its recent end, like a
 * rule's window, and reads only buckets that end at or before the instant, which the evaluation clock has
 * completed: the result does not depend on how fast the input was read.
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
     * @param atMs an evaluation instant (a multiple of the evaluation step)
     * @throws IllegalStateException when no tier keeps buckets back to fromMs (the tier plan must have a window at
     *                               least as long as the span)
     */
    public static Counts since(BucketStore buckets, String service, String route, long fromMs, long atMs) {
        var tiers = buckets.plan().tiers(); // finest first
        int coarse = -1;
        for (int i = tiers.size() - 1; i >= 0 && coarse < 0; i--) {
            TierPlan.Tier t = tiers.get(i);
            if (ceil(fromMs, t.resolutionMs()) >= t.bucketStart(atMs) - t.retentionMs()) coarse = i;
        }
        if (coarse < 0) throw new IllegalStateException("no bucket tier keeps counts back to " + java.time.Instant.ofEpochMilli(fromMs));
        Counts sum = new Counts();
        long cursor = ceil(fromMs, tiers.get(coarse).resolutionMs());
        for (int i = coarse; i >= 0; i--) {
            TierPlan.Tier t = tiers.get(i);
            long end = t.bucketStart(atMs);
            if (end > cursor) {
                sum.add(buckets.range(service, route, t, cursor, end));
                cursor = end;
            }
        }
        return sum;
    }

    private static long ceil(long ms, long resolution) {
        return -Math.floorDiv(-ms, resolution) * resolution;
    }
}
