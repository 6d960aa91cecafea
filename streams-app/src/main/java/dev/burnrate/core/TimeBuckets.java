package dev.burnrate.core;

/**
 * Bucket arithmetic on epoch milliseconds, in one place: bucket starts are multiples of the bucket size, and times
 * before 1970 round down too (floorDiv, not division).
 */
public final class TimeBuckets {
    private TimeBuckets() {
    }

    /** The start of the bucket of the given size holding timeMs (a multiple of sizeMs, at or before timeMs). */
    public static long start(long timeMs, long sizeMs) {
        return Math.floorDiv(timeMs, sizeMs) * sizeMs;
    }

    /** The first bucket start at or after timeMs. */
    public static long startAtOrAfter(long timeMs, long sizeMs) {
        return -Math.floorDiv(-timeMs, sizeMs) * sizeMs;
    }

    /** The end of the bucket holding timeMs (exclusive): the first bucket start after timeMs. */
    public static long end(long timeMs, long sizeMs) {
        return start(timeMs, sizeMs) + sizeMs;
    }
}
