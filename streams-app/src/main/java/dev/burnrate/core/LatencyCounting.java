package dev.burnrate.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What the ingest stage counts of each request's duration, besides its status: for each latency SLI of the SLO file
 * (a threshold, optionally with the statuses that are errors) the requests it counts as bad and those it leaves out,
 * exactly, and a {@link LatencyHistogram} per route and minute for percentiles.
 *
 * <p>Both travel the same way as status counts: as (pseudo-status, bucket, count) entries of a {@link Shuffled.Batch}.
 * Pseudo-statuses from {@value #HISTOGRAM_BASE} are histogram bins (bucket: the minute), from {@value #SLI_BASE}
 * SLI counts (bucket: the event's, like its status), which the windows keep in {@code Counts} beside the statuses,
 * so every window, tier, sub-bucket and early instant that serves status counts serves them too. An SLI's counts
 * are keyed by its {@code id} (a hash of its definition, see slo.LatencySli): counts stored under one threshold are
 * never read as another's after the SLO file changes.
 */
public final class LatencyCounting {
    public static final int HISTOGRAM_BASE = 1000;
    public static final int SLI_BASE = 2000;
    /** Ids are below this: keys stay ints. */
    public static final int MAX_ID = 1 << 20;
    /** The time bucket of the histograms. */
    public static final long HISTOGRAM_BUCKET_MS = 60_000;
    public static final LatencyCounting NONE = new LatencyCounting(List.of());
    private static final int[] NO_SPECS = new int[0];

    /**
     * @param id            the SLI's stable id, 0 <= id < {@link #MAX_ID}
     * @param thresholdMs   a request slower than this is bad
     * @param errorStatus   indexed by status 100-599: also bad whatever its duration; null for a latency-only SLI
     * @param coversService whether any SLO with this SLI covers a service (others are not counted)
     */
    public record Spec(int id, double thresholdMs, boolean[] errorStatus, Predicate<String> coversService) {
    }

    private final Spec[] specs;
    private final Map<String, int[]> byService = new ConcurrentHashMap<>();

    public LatencyCounting(List<Spec> specs) {
        this.specs = specs.toArray(new Spec[0]);
    }

    /** The key under which Counts keeps an SLI's requests left out (no duration, and not bad by status). */
    public static int excludedKey(int id) {
        return SLI_BASE + 2 * id;
    }

    /** The key under which Counts keeps an SLI's bad requests. */
    public static int badKey(int id) {
        return SLI_BASE + 2 * id + 1;
    }

    public static boolean isHistogram(int status) {
        return status >= HISTOGRAM_BASE && status < SLI_BASE;
    }

    /** The specs (indexes) that apply to a service's requests. */
    public int[] specsFor(String service) {
        if (specs.length == 0) return NO_SPECS;
        int[] s = byService.get(service);
        if (s != null) return s;
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < specs.length; i++) if (specs[i].coversService().test(service)) out.add(i);
        s = out.stream().mapToInt(Integer::intValue).toArray();
        byService.put(service, s);
        return s;
    }

    /**
     * The key to count one request under for spec i, or 0 for none (a good request). Without a duration (NaN) a
     * request is left out, unless its status makes it bad anyway. Slower means strictly slower than the threshold.
     */
    int classify(int i, int status, double durationMs) {
        Spec s = specs[i];
        boolean errorStatus = s.errorStatus != null && s.errorStatus[status];
        if (durationMs != durationMs) return errorStatus ? badKey(s.id) : excludedKey(s.id);
        return errorStatus || durationMs > s.thresholdMs ? badKey(s.id) : 0;
    }
}
