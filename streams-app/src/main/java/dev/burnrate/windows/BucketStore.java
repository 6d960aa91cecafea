package dev.burnrate.windows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Rolling time buckets of {@link Counts} per (service, route) and per service (route = {@link #ALL_ROUTES}), one
 * series per tier of the {@link TierPlan}, in a changelogged key-value store so another instance can take over.
 * Key layout: service 0x00 route 0x00 tier(1 byte) bucketStart(8 bytes big-endian), so one key's buckets of one
 * tier are contiguous and in time order: a window is one range scan.
 */
public final class BucketStore {
    public static final String NAME = "buckets";
    /** The route under which a service's total is kept. Normalized routes are never empty. */
    public static final String ALL_ROUTES = "";

    private final ReadOnlyKeyValueStore<Bytes, byte[]> read;
    private final KeyValueStore<Bytes, byte[]> write; // null when used for queries only
    private final TierPlan plan;
    /** Coarse buckets ending at or before this instant have been rolled up (Long.MIN_VALUE: none yet). */
    private long rolledUpTo = Long.MIN_VALUE;
    /**
     * Sums of coarse-tier windows (tiers coarser than the evaluation step) per (service, route) and window length, as
     * of their tier's bucket end. Such a window covers the same buckets for many instants in a row (a 3d window of
     * 1h buckets for 360 ten-second instants) and evaluation asks for it at every one; a backtest spends most of
     * its time re-reading them otherwise. A write into a coarse bucket of the key (a roll-up, a late count) drops
     * that key's sums of that tier. Kept only by the writer: a read-only view cannot see the writes.
     */
    private final Map<Owner, Map<Long, Sum>> sums = new HashMap<>();
    /**
     * Counts added since the last commit, as deltas per (service, route), tier and bucket start: the store gets one
     * write per changed bucket and commit (before the commit, see {@link #flushPending}) instead of a read and a
     * write per count, and reads add the deltas of their range to what the store holds.
     */
    private Map<Owner, Pending> pending = new HashMap<>();

    /** One key's pending deltas, per tier, by bucket start. */
    private static final class Pending {
        final TreeMap<Long, Counts>[] byTier;

        @SuppressWarnings("unchecked")
        Pending(int tiers) {
            byTier = new TreeMap[tiers];
        }
    }

    private record Owner(String service, String route) {
    }

    private record Sum(int tier, long end, Counts counts) {
    }

    public BucketStore(KeyValueStore<Bytes, byte[]> store, TierPlan plan) {
        this.read = store;
        this.write = store;
        this.plan = plan;
    }

    /** Read-only view, e.g. over an interactive-query store. */
    public BucketStore(ReadOnlyKeyValueStore<Bytes, byte[]> store, TierPlan plan, boolean readOnly) {
        this.read = store;
        this.write = null;
        this.plan = plan;
    }

    public TierPlan plan() {
        return plan;
    }

    /**
     * Counts n requests into the finest tier, for the route and for the service total. Coarser tiers are filled by
     * {@link #rollUp} when the evaluation clock passes the end of their buckets; a count for a coarse bucket that
     * is already rolled up (a late one), or any count before the clock has started, goes into it directly.
     */
    public void add(String service, String route, long timeMs, int status, long n) {
        for (TierPlan.Tier t : plan.tiers()) {
            long start = t.bucketStart(timeMs);
            boolean direct = t.index() == 0 || rolledUpTo == Long.MIN_VALUE || start + t.resolutionMs() <= rolledUpTo;
            if (!direct) continue;
            increment(service, route, t.index(), start, status, n);
            increment(service, ALL_ROUTES, t.index(), start, status, n);
            written(service, route, t.index());
            written(service, ALL_ROUTES, t.index());
        }
    }

    /** A bucket of the tier changed for (service, route): its window sums are stale. */
    private void written(String service, String route, int tier) {
        if (tier == 0) return; // not kept
        Map<Long, Sum> mine = sums.get(new Owner(service, route));
        if (mine != null) mine.values().removeIf(s -> s.tier() == tier);
    }

    /**
     * Rolls up every coarse bucket of one key that ends at instant atMs from the next finer tier (finer tiers first,
     * so each roll-up reads complete buckets), and records that the clock has reached atMs.
     */
    public void rollUp(String service, String route, long atMs) {
        for (int i = 1; i < plan.tiers().size(); i++) {
            TierPlan.Tier t = plan.tiers().get(i);
            if (Math.floorMod(atMs, t.resolutionMs()) != 0) continue;
            long start = atMs - t.resolutionMs();
            Counts sum = range(service, route, plan.tiers().get(i - 1), start, atMs);
            if (!sum.isEmpty()) {
                // the finer tier holds every count of this bucket, including any that went into it directly
                Pending p = pending.get(new Owner(service, route));
                if (p != null && p.byTier[t.index()] != null) p.byTier[t.index()].remove(start);
                write.put(key(service, route, t.index(), start), sum.toBytes());
                written(service, route, t.index());
            }
        }
    }

    /** The evaluation clock has reached atMs: every roll-up of buckets ending at or before it is done. */
    public void rolledUpTo(long atMs) {
        rolledUpTo = atMs;
    }

    private void increment(String service, String route, int tier, long start, int status, long n) {
        Pending p = pending.computeIfAbsent(new Owner(service, route), k -> new Pending(plan.tiers().size()));
        TreeMap<Long, Counts> deltas = p.byTier[tier];
        if (deltas == null) deltas = p.byTier[tier] = new TreeMap<>();
        Counts c = deltas.get(start);
        if (c == null) deltas.put(start, c = new Counts());
        c.add(status, n);
    }

    /** Before each commit of the task: adds the pending deltas into the store (and so its changelog). */
    public void flushPending() {
        if (pending.isEmpty()) return;
        for (Map.Entry<Owner, Pending> e : pending.entrySet()) {
            Owner o = e.getKey();
            TreeMap<Long, Counts>[] byTier = e.getValue().byTier;
            for (int tier = 0; tier < byTier.length; tier++) {
                if (byTier[tier] == null) continue;
                for (Map.Entry<Long, Counts> d : byTier[tier].entrySet()) {
                    Bytes key = key(o.service(), o.route(), tier, d.getKey());
                    byte[] old = write.get(key);
                    Counts c = d.getValue();
                    if (old != null) c.add(Counts.fromBytes(old));
                    write.put(key, c.toBytes());
                }
            }
        }
        pending = new HashMap<>();
    }

    /** Adds the pending deltas of one key and tier with bucket start in [fromMs, toMs) to sum. */
    private void addPending(Counts sum, String service, String route, int tier, long fromMs, long toMs) {
        if (pending.isEmpty()) return;
        Pending p = pending.get(new Owner(service, route));
        if (p == null || p.byTier[tier] == null) return;
        for (Counts c : p.byTier[tier].subMap(fromMs, toMs).values()) sum.add(c);
    }

    /**
     * Counts of a window ending at instant {@code atMs}: the complete buckets of the window's tier in
     * [end - window, end), where end is atMs rounded down to the tier's resolution.
     */
    public Counts window(String service, String route, Duration window, long atMs) {
        TierPlan.Tier t = plan.tierFor(window);
        long end = t.bucketStart(atMs);
        if (write == null || t.index() == 0) return range(service, route, t, end - window.toMillis(), end);
        Map<Long, Sum> mine = sums.computeIfAbsent(new Owner(service, route), k -> new HashMap<>(8));
        Sum sum = mine.get(window.toMillis());
        if (sum == null || sum.end() != end) {
            sum = new Sum(t.index(), end, range(service, route, t, end - window.toMillis(), end));
            mine.put(window.toMillis(), sum);
        }
        Counts copy = new Counts(); // callers may add to what they get
        copy.add(sum.counts());
        return copy;
    }

    /**
     * A window as fresh as the buckets allow, for display (the SLO period's remaining budget): the window's complete
     * coarse buckets except the oldest, plus the current partial coarse bucket from the finest tier that still
     * holds it. Its length stays within one coarse bucket of the window, and it is at most one fine bucket old,
     * where {@link #window} may be a whole coarse bucket old. Alert rules use {@link #window}: its result does not
     * depend on which tiers still hold what.
     */
    public Counts freshWindow(String service, String route, Duration window, long atMs) {
        TierPlan.Tier coarse = plan.tierFor(window);
        long end = coarse.bucketStart(atMs);
        Counts sum = range(service, route, coarse, end - window.toMillis() + coarse.resolutionMs(), end);
        TierPlan.Tier fine = null;
        for (TierPlan.Tier t : plan.tiers()) {
            if (t.resolutionMs() < coarse.resolutionMs() && t.retentionMs() >= coarse.resolutionMs()
                    && (fine == null || t.resolutionMs() < fine.resolutionMs())) fine = t;
        }
        if (fine == null) return window(service, route, window, atMs);
        sum.add(range(service, route, fine, end, fine.bucketStart(atMs)));
        return sum;
    }

    /** Sum of the buckets of a tier with start in [fromMs, toMs). */
    public Counts range(String service, String route, TierPlan.Tier t, long fromMs, long toMs) {
        Counts sum = new Counts();
        if (toMs <= fromMs) return sum;
        try (KeyValueIterator<Bytes, byte[]> it = read.range(key(service, route, t.index(), fromMs), key(service, route, t.index(), toMs - 1))) {
            while (it.hasNext()) sum.add(Counts.fromBytes(it.next().value));
        }
        addPending(sum, service, route, t.index(), fromMs, toMs);
        return sum;
    }

    /** Buckets of one tier with start in [fromMs, toMs), in time order, as (bucketStart, counts). */
    public java.util.List<KeyValue<Long, Counts>> buckets(String service, String route, TierPlan.Tier t, long fromMs, long toMs) {
        java.util.List<KeyValue<Long, Counts>> out = new java.util.ArrayList<>();
        if (toMs <= fromMs) return out;
        flushPending(); // read-only views (the query API) have none; a writer's reader sees its own counts
        try (KeyValueIterator<Bytes, byte[]> it = read.range(key(service, route, t.index(), fromMs), key(service, route, t.index(), toMs - 1))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                byte[] k = kv.key.get();
                out.add(KeyValue.pair(ByteBuffer.wrap(k, k.length - 8, 8).getLong(), Counts.fromBytes(kv.value)));
            }
        }
        return out;
    }

    /** Deletes every bucket that has left its tier's retention as of instant atMs. Returns how many. */
    public int expire(long atMs) {
        java.util.List<Bytes> dead = new java.util.ArrayList<>();
        flushPending();
        try (KeyValueIterator<Bytes, byte[]> it = write.all()) {
            while (it.hasNext()) {
                byte[] k = it.next().key.get();
                TierPlan.Tier t = plan.tiers().get(k[k.length - 9]);
                long start = ByteBuffer.wrap(k, k.length - 8, 8).getLong();
                if (start < t.bucketStart(atMs) - t.retentionMs()) dead.add(Bytes.wrap(k));
            }
        }
        dead.forEach(write::delete);
        if (!dead.isEmpty()) sums.clear();
        return dead.size();
    }

    static Bytes key(String service, String route, int tier, long start) {
        byte[] s = service.getBytes(StandardCharsets.UTF_8);
        byte[] r = route.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(s.length + 1 + r.length + 1 + 1 + 8);
        b.put(s).put((byte) 0).put(r).put((byte) 0).put((byte) tier).putLong(start);
        return Bytes.wrap(b.array());
    }
}
