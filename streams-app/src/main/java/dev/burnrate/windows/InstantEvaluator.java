package dev.burnrate.windows;

import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * What the windows stage hands its evaluation instants to. The windows stage decides when (the watermark, the
 * evaluation interval, early instants); the alerts stage, which implements this, decides what an instant means.
 */
public interface InstantEvaluator {
    /** Evaluates every alert group at instant atMs, over windows ending there. */
    void evaluate(long atMs);

    /**
     * Evaluates at the early instants in (fromMs, toMs]: the ends of the sub-buckets of the finest tier where errors
     * arrived (see {@link WindowProcessor}).
     */
    void evaluateEarly(long fromMs, long toMs);

    /** Creates the evaluator of one task, once its stores are available. */
    @FunctionalInterface
    interface Factory {
        InstantEvaluator create(ProcessorContext<String, byte[]> context, RouteRegistry routes, BucketStore buckets);
    }
}
