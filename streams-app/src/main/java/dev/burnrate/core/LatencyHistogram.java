package dev.burnrate.core;

import java.util.Arrays;

/**
 * Request durations of one key and one time bucket, log-linear and sparse, for latency percentiles. A bin is one of
 * {@value #SUB} equal slices of a power of two of milliseconds: at most 1/{@value #SUB} of its lower edge wide, so
 * its midpoint (what {@link #percentile} reports) is within 1/(2 x {@value #SUB}) = 5% of any duration in it, at any
 * duration from 1 us to 35 min (below: bin 0, reported as 0; above: the last bin, reported as its lower edge). Only
 * the bins that hold requests are kept, as sorted (bin, count) arrays: a bin is found by a binary search and counted
 * by an increment, no object per request. Latency SLOs do not use it (they count exactly, see {@link LatencyCounting}).
 */
public final class LatencyHistogram {
    static final int SUB = 10;
    private static final int MIN_EXP = -10; // 2^-10 ms, about 1 us
    private static final int MAX_EXP = 21;  // 2^21 ms, about 35 min
    public static final int BINS = 2 + (MAX_EXP - MIN_EXP) * SUB;
    private static final long MANTISSA = (1L << 52) - 1;

    private int[] bins = new int[8];
    private long[] counts = new long[8];
    private int size;
    private long total;

    /** The bin of a duration in milliseconds (>= 0). */
    public static int bin(double ms) {
        if (!(ms >= 0x1p-10)) return 0;
        long bits = Double.doubleToRawLongBits(ms);
        int exp = (int) (bits >>> 52) - 1023;
        if (exp >= MAX_EXP) return BINS - 1;
        return 1 + (exp - MIN_EXP) * SUB + (int) (((bits & MANTISSA) * SUB) >>> 52);
    }

    /** The smallest duration in a bin (ms). */
    public static double lowerEdge(int bin) {
        if (bin <= 0) return 0;
        int exp = (bin - 1) / SUB + MIN_EXP;
        return Math.scalb(1.0 + (double) ((bin - 1) % SUB) / SUB, exp);
    }

    /** What a percentile falling in the bin reports (ms): its midpoint; 0 for bin 0, the lower edge for the last. */
    public static double value(int bin) {
        if (bin <= 0) return 0;
        if (bin >= BINS - 1) return lowerEdge(BINS - 1);
        return (lowerEdge(bin) + lowerEdge(bin + 1)) / 2;
    }

    public void add(int bin, long n) {
        int i = Arrays.binarySearch(bins, 0, size, bin);
        if (i < 0) {
            i = -i - 1;
            if (size == bins.length) {
                bins = Arrays.copyOf(bins, size * 2);
                counts = Arrays.copyOf(counts, size * 2);
            }
            System.arraycopy(bins, i, bins, i + 1, size - i);
            System.arraycopy(counts, i, counts, i + 1, size - i);
            bins[i] = bin;
            counts[i] = 0;
            size++;
        }
        counts[i] += n;
        total += n;
    }

    public void add(LatencyHistogram other) {
        for (int i = 0; i < other.size; i++) add(other.bins[i], other.counts[i]);
    }

    /** How many durations it holds. */
    public long total() {
        return total;
    }

    /** Distinct bins held. */
    public int size() {
        return size;
    }

    public int binAt(int i) {
        return bins[i];
    }

    public long countAt(int i) {
        return counts[i];
    }

    /** The nearest rank of the q-quantile of n values, 1..n (q x n rounded up, ignoring floating-point noise). */
    public static long rank(double q, long n) {
        return Math.min(n, Math.max(1, (long) Math.ceil(q * n - 1e-9)));
    }

    /**
     * The q-quantile (0 < q <= 1) by nearest rank: the midpoint of the bin holding the ceil(q x total)-th smallest
     * duration, so within 5% of that exact duration (see the class comment); NaN when empty.
     */
    public double percentile(double q) {
        if (total == 0) return Double.NaN;
        long rank = rank(q, total);
        long seen = 0;
        for (int i = 0; i < size; i++) {
            seen += counts[i];
            if (seen >= rank) return value(bins[i]);
        }
        return value(bins[size - 1]);
    }
}
