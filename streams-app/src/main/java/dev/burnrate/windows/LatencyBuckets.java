package dev.burnrate.windows;

import dev.burnrate.core.TimeBuckets;
import dev.burnrate.core.Varints;
import dev.burnrate.core.LatencyCounting;
import dev.burnrate.core.LatencyHistogram;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Request durations per (service, route) and per service (route = {@link BucketStore#ALL_ROUTES}) in one-minute
 * {@link LatencyHistogram}s, kept for {@link #LONGEST_WINDOW}: latency percentiles of the windows up to that long,
 * to the minute (deleted with the counts' hourly expiry, so 60 to 120 minutes are held). They live in the buckets store under their own key prefix ({@link #TIER}, after
 * BucketStore's tiers, same layout), so they are changelogged, restored and queried with the counts.
 *
 * <p>Not on the alerting path (latency SLIs are counted exactly in {@link Counts}), and not in every tier: only the
 * minutes of the last hour, in the store, none in memory but what arrived since the last commit. Cost per key and
 * minute: a histogram of 1 + about 3 bytes per distinct bin (a distribution spanning a factor 10 fills at most 35
 * bins), plus the store's key (service and route names + 11 bytes).
 */
public final class LatencyBuckets {
    /** The key prefix: BucketStore's tiers are 0, 1, 2, ... */
    static final int TIER = 0x7F;
    /** Percentiles are offered for windows up to this long. */
    public static final Duration LONGEST_WINDOW = Duration.ofHours(1);
    private static final long MINUTE = LatencyCounting.HISTOGRAM_BUCKET_MS;

    private final ReadOnlyKeyValueStore<Bytes, byte[]> read;
    private final KeyValueStore<Bytes, byte[]> write; // null for queries
    /** What arrived since the last commit, by store key. */
    private final Map<Bytes, LatencyHistogram> pending = new HashMap<>();
    private String lastService;
    private String lastRoute;
    private long lastMinute;
    private LatencyHistogram lastOfRoute;
    private LatencyHistogram lastOfService;

    public LatencyBuckets(KeyValueStore<Bytes, byte[]> store) {
        this.read = store;
        this.write = store;
    }

    /** Read-only view, e.g. over an interactive-query store. */
    public LatencyBuckets(ReadOnlyKeyValueStore<Bytes, byte[]> store) {
        this.read = store;
        this.write = null;
    }

    /** Counts n durations of one bin in a minute, for the route and for the service. */
    public void add(String service, String route, long minuteMs, int bin, long n) {
        if (lastOfRoute == null || minuteMs != lastMinute || !route.equals(lastRoute) || !service.equals(lastService)) {
            lastOfRoute = pending.computeIfAbsent(BucketStore.key(service, route, TIER, minuteMs), k -> new LatencyHistogram());
            lastOfService = pending.computeIfAbsent(BucketStore.key(service, BucketStore.ALL_ROUTES, TIER, minuteMs), k -> new LatencyHistogram());
            lastService = service;
            lastRoute = route;
            lastMinute = minuteMs;
        }
        lastOfRoute.add(bin, n);
        lastOfService.add(bin, n);
    }

    /** Before each commit: what arrived since the last one, merged into the stored minutes. */
    public void flushPending() {
        for (Map.Entry<Bytes, LatencyHistogram> e : pending.entrySet()) {
            byte[] old = write.get(e.getKey());
            LatencyHistogram h = e.getValue();
            if (old != null) h.add(decode(old));
            write.put(e.getKey(), encode(h));
        }
        pending.clear();
        lastOfRoute = null;
        lastOfService = null;
    }

    /** Deletes the minutes no window at or after atMs reads. */
    public void expire(long atMs) {
        flushPending();
        long before = firstMinute(LONGEST_WINDOW, atMs);
        List<Bytes> dead = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = write.range(Bytes.wrap(new byte[] {TIER}), Bytes.wrap(new byte[] {(byte) (TIER + 1)}))) {
            while (it.hasNext()) {
                byte[] k = it.next().key.get();
                if (ByteBuffer.wrap(k, k.length - 8, 8).getLong() < before) dead.add(Bytes.wrap(k));
            }
        }
        dead.forEach(write::delete);
    }

    /** The durations of the minutes starting in [fromMs, toMs). */
    public LatencyHistogram histogram(String service, String route, long fromMs, long toMs) {
        LatencyHistogram sum = new LatencyHistogram();
        if (toMs <= fromMs) return sum;
        try (KeyValueIterator<Bytes, byte[]> it = read.range(BucketStore.key(service, route, TIER, fromMs), BucketStore.key(service, route, TIER, toMs - 1))) {
            while (it.hasNext()) sum.add(decode(it.next().value));
        }
        return sum;
    }

    /**
     * The durations of a window ending at atMs, to the minute: the minutes that start in [atMs - window, atMs) (the
     * last one holds what was counted of it so far). Null when the window is longer than the minutes are kept.
     */
    public LatencyHistogram window(String service, String route, Duration window, long atMs) {
        if (window.compareTo(LONGEST_WINDOW) > 0) return null;
        return histogram(service, route, firstMinute(window, atMs), atMs);
    }

    /** The start of the first minute {@link #window} reads. */
    public static long firstMinute(Duration window, long atMs) {
        return TimeBuckets.startAtOrAfter(atMs - window.toMillis(), MINUTE);
    }

    static byte[] encode(LatencyHistogram h) {
        ByteBuffer b = ByteBuffer.allocate(5 + h.size() * 15);
        Varints.put(b, h.size());
        int previous = 0;
        for (int i = 0; i < h.size(); i++) {
            Varints.put(b, h.binAt(i) - previous);
            Varints.put(b, h.countAt(i));
            previous = h.binAt(i);
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    static LatencyHistogram decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        LatencyHistogram h = new LatencyHistogram();
        int n = (int) Varints.get(b);
        int bin = 0;
        for (int i = 0; i < n; i++) {
            bin += (int) Varints.get(b);
            h.add(bin, Varints.get(b));
        }
        return h;
    }
}
