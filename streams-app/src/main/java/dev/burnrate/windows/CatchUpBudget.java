package dev.burnrate.windows;

/**
 * How long the windows tasks of one stream thread have evaluated since the thread's last commit. Under exactly-once
 * all tasks of a thread write in one transaction, and Kafka Streams processes up to N records per task before it
 * checks whether to commit (N grows while records are cheap): a catch-up slice per call let one transaction gather
 * N x tasks slices and outlive its timeout (the producer was fenced in a 30-day replay). One budget per thread, spent
 * by every evaluation and renewed before every commit, bounds the evaluation in a transaction instead.
 */
final class CatchUpBudget {
    private static final ThreadLocal<CatchUpBudget> OF_THREAD = ThreadLocal.withInitial(CatchUpBudget::new);

    private long spentNanos;

    /** The budget of the calling thread (a task runs on one stream thread; the commit too). */
    static CatchUpBudget ofThread() {
        return OF_THREAD.get();
    }

    /** Whether evaluation since the last commit has used up the slice; a fresh budget always allows one instant. */
    boolean exhausted(long sliceNanos) {
        return spentNanos > 0 && spentNanos >= sliceNanos;
    }

    /** Whether evaluation running since startedNanos, on top of what was spent before it, has used up the slice. */
    boolean exhaustedWith(long startedNanos, long sliceNanos) {
        return spentNanos + (System.nanoTime() - startedNanos) > sliceNanos;
    }

    void spend(long nanos) {
        spentNanos += nanos;
    }

    /** A commit is about to close the transaction. */
    void renew() {
        spentNanos = 0;
    }
}
