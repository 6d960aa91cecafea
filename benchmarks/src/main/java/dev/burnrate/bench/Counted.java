package dev.burnrate.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The check that makes a part's figures mean something: the app accounted for exactly the records it was given.
 * A rate over an input the broker deleted half of (time retention on old timestamps), over records a window
 * dropped as late, or over records counted twice is not a rate of this input; the part fails instead of reporting it.
 */
final class Counted {
    private Counted() {
    }

    /**
     * Throws unless the counts add up to the input exactly.
     *
     * @param part   the part, for the message
     * @param input  records the part was given
     * @param counts the app's own counters, each record in exactly one of them (e.g. ingested, late, dead letters)
     * @return the counts, for the result
     */
    static Map<String, Long> exactly(String part, long input, Map<String, Long> counts) {
        long sum = sum(counts);
        if (sum != input) {
            throw new IllegalStateException(part + ": counted " + sum + " of " + input + " input records " + counts
                    + (sum < input ? ": records were lost or never read (deleted by retention? dropped as late?)" : ": records were counted twice")
                    + "; its figures would not describe this input");
        }
        return new LinkedHashMap<>(counts);
    }

    /** The records a part's counters account for (each record in exactly one of them). */
    static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
