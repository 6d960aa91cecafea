package dev.burnrate.windows;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How far every input partition has got, from the progress marks the ingest tasks broadcast, and the evaluation
 * clock. The watermark is the minimum over input partitions: every event before it has been counted (each input
 * partition is read in order), so evaluating up to it gives the same result whether the input is read live or as
 * a fast replay. Kept in a changelogged store so a restart neither re-evaluates nor skips an instant.
 */
public final class Watermark {
    /** Key of the last evaluated instant in the progress store (read by the query API). */
    public static final int CLOCK_KEY = -1;
    private static final int LAST_EVENT_KEY = -2;
    private static final int FIRST_EVENT_KEY = -3;
    private static final int EARLY_KEY = -4;

    private final KeyValueStore<Integer, Long> store;
    private long[] progress = new long[0];
    private long lastEvent = Long.MIN_VALUE;
    private boolean lastEventLoaded;
    private long firstEvent = Long.MAX_VALUE;
    private boolean firstEventLoaded;
    /** The evaluation clock (last instant, last early instant), written to the store by {@link #flush}. */
    private long clock = Long.MIN_VALUE;
    private long early = Long.MIN_VALUE;
    private boolean clocksLoaded;
    private boolean clocksChanged;

    public Watermark(KeyValueStore<Integer, Long> store) {
        this.store = store;
    }

    /** Records a mark; returns the watermark (min over all input partitions), or Long.MIN_VALUE while any is unknown. */
    public long update(int sourcePartition, int sourcePartitions, long timeMs) {
        if (progress.length != sourcePartitions) {
            progress = new long[sourcePartitions];
            for (int p = 0; p < sourcePartitions; p++) {
                Long v = store.get(p);
                progress[p] = v == null ? Long.MIN_VALUE : v;
            }
        }
        if (progress[sourcePartition] != timeMs) {
            progress[sourcePartition] = timeMs;
            store.put(sourcePartition, timeMs);
        }
        long min = Long.MAX_VALUE;
        for (long p : progress) min = Math.min(min, p);
        return min;
    }

    /** The last instant evaluated, or Long.MIN_VALUE. */
    public long lastEvaluated() {
        loadClocks();
        return clock;
    }

    public void evaluated(long instantMs) {
        loadClocks();
        clock = instantMs;
        clocksChanged = true;
    }

    /** Early instants up to this one have been evaluated (Long.MIN_VALUE: none yet). */
    public long earlyEvaluated() {
        loadClocks();
        return early;
    }

    public void earlyEvaluated(long instantMs) {
        loadClocks();
        early = instantMs;
        clocksChanged = true;
    }

    private void loadClocks() {
        if (clocksLoaded) return;
        Long c = store.get(CLOCK_KEY);
        Long e = store.get(EARLY_KEY);
        clock = c == null ? Long.MIN_VALUE : c;
        early = e == null ? Long.MIN_VALUE : e;
        clocksLoaded = true;
    }

    /**
     * Writes the clocks, before each commit and after the buckets they were evaluated on: the query API reads the
     * store as it is (not as of the last commit) and answers "as of" the clock it finds, so a clock written at
     * evaluation, ahead of counts still in the windows stage's memory, gave windows short of the counts they were
     * evaluated on.
     */
    public void flush() {
        if (!clocksChanged) return;
        store.put(CLOCK_KEY, clock);
        if (early != Long.MIN_VALUE) store.put(EARLY_KEY, early);
        if (lastEvent != Long.MIN_VALUE) store.put(LAST_EVENT_KEY, lastEvent);
        clocksChanged = false;
    }

    /**
     * Notes a count's time. The newest is kept in memory and stored with the clock; the earliest is stored when
     * it moves (rarely), because the first evaluation must start there even after a restart.
     */
    public void sawEvent(long timeMs) {
        if (timeMs > lastEvent()) lastEvent = timeMs;
        if (timeMs < firstEvent()) {
            firstEvent = timeMs;
            store.put(FIRST_EVENT_KEY, timeMs);
        }
    }

    /** The earliest count time this task has seen, or Long.MAX_VALUE. */
    public long firstEvent() {
        if (!firstEventLoaded) {
            Long v = store.get(FIRST_EVENT_KEY);
            if (v != null && v < firstEvent) firstEvent = v;
            firstEventLoaded = true;
        }
        return firstEvent;
    }

    /** The newest event time this task has counted, or Long.MIN_VALUE. */
    public long lastEvent() {
        if (!lastEventLoaded) {
            Long v = store.get(LAST_EVENT_KEY);
            if (v != null && v > lastEvent) lastEvent = v;
            lastEventLoaded = true;
        }
        return lastEvent;
    }
}
