package dev.burnrate.ingest;

/**
 * What the ingest stage sends through the by-service topic: counts keyed by service, and progress marks.
 * The ingest stage pre-aggregates events into deltas per (service, route, status, finest bucket), so the hand-over
 * carries one record per distinct key and bucket instead of one per request. A progress mark is broadcast to every
 * partition so each windows task learns how far every input partition has got; the minimum over input partitions
 * is the watermark below which no more events will arrive (see windows.Watermark).
 */
public sealed interface Shuffled {
    /** {@code count} requests of one service and route with one status code in the bucket starting at bucketStartMs. */
    record Delta(String service, String route, int status, long bucketStartMs, long count) implements Shuffled {
    }

    /**
     * @param sourcePartition  the input partition this mark speaks for
     * @param sourcePartitions how many input partitions there are (the watermark needs a mark from each)
     * @param timeMs           all events of that partition up to this event time have been sent before this mark
     */
    record Progress(int sourcePartition, int sourcePartitions, long timeMs) implements Shuffled {
    }
}
