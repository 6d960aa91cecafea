package dev.burnrate.windows;

import dev.burnrate.core.TimeBuckets;
import dev.burnrate.core.Counts;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Rolling time buckets of {@link Counts} per (service, route) and per service (route = {@link #ALL_ROUTES}), one
 * series per tier of the {@link TierPlan}, in a changelogged key-value store so another instance can take over.
 * Key layout: tier(1 byte) service 0x00 route 0x00 bucketStart(8 bytes big-endian), so one key's buckets of one
 * tier are contiguous and in time order (a window is one range scan per tier) and one tier is one range.
 *
 * <p>The writer (the windows stage) keeps the finest tier, the only one written per count, wholly in memory: a
 * count is a hash lookup and an increment, and before each commit ({@link #flushPending}) the finest buckets that
 * changed are written, without reading the store, grouped as {@link ServiceRecords} (one record per service, bucket
 * and shard of up to 32 keys, not one per key: the finest tier's key layout differs from the other tiers'). Coarser tiers are written when a bucket completes
 * ({@link #rollUp}) or, rarely, by a late count; they are read from the store, and their range sums are remembered
 * until the key's coarse buckets change. A read-only view (the query API) reads every tier from the store: it sees
 * the writer's state as of its last commit, and computes windows with the same code.
 */
public final class BucketStore {
    /** The route under which a service's total is kept. Normalized routes are never empty. */
    public static final String ALL_ROUTES = "";

    private final ReadOnlyKeyValueStore<Bytes, byte[]> read;
    private final KeyValueStore<Bytes, byte[]> write; // null when used for queries only
    private final TierPlan plan;
    /** Coarse buckets ending at or before this instant have been rolled up (Long.MIN_VALUE: none yet). */
    private long rolledUpTo = Long.MIN_VALUE;
    /** The writer's in-memory state per (service, route). */
    private final Map<Owner, Series> series = new HashMap<>();
    /** The keys with counts since the last commit: a commit writes these, not every key. */
    private final List<Series> toFlush = new ArrayList<>();
    /** Per service, which key holds which slot of its finest records. */
    private final Map<String, Slots> slots = new HashMap<>();
    private final ServiceRecords.Writer recordWriter = new ServiceRecords.Writer();
    /** Finest buckets found in the layout before {@link ServiceRecords}: deleted by the first commit, which rewrites them. */
    private final List<Bytes> legacy = new ArrayList<>();
    /** The keys counted into last: a hand-over brings a service's counts route by route. */
    private String lastService;
    private String lastRoute;
    private Series lastOfRoute;
    private Series lastOfService;
    /** Finest buckets that still hold sub-buckets: bucket start to those buckets (dropped in time order, see {@link #dropSubBuckets}). */
    private final LongSortedMap<List<Fine>> withSubs = new LongSortedMap<>();
    /**
     * Per coarse tier (by index; 0 unused): bucket end to the keys with counts in it, whose roll-up at that end has
     * work to do. A roll-up touches only these keys, not every key of the task (see {@link #rollUpDue}).
     */
    private final List<TreeMap<Long, Set<Owner>>> due = new ArrayList<>();
    /**
     * Per key, per tier, the oldest bucket start this store may hold (Long.MAX_VALUE: none), so that expiry visits only
     * the keys with buckets to delete; null until the first expiry after a start has scanned the whole store.
     */
    private Map<Owner, long[]> oldest;

    private record Owner(String service, String route) {
    }

    private record Range(int tier, long from, long to) {
    }

    /** One finest record: a service's bucket and shard. */
    private record FinestRecord(Slots slots, int shard, long start) {
    }

    /**
     * A service's keys by slot in its {@link ServiceRecords}: the total holds slot 0, a route the lowest free one from
     * its first finest bucket until its last expires (then no record holds it any more, and the slot is free again).
     */
    private static final class Slots {
        final Owner total;
        final byte[] totalPrefix;
        final BitSet used = new BitSet();
        Series[] bySlot = new Series[ServiceRecords.SLOTS];

        Slots(String service) {
            total = new Owner(service, ALL_ROUTES);
            totalPrefix = prefix(service, ALL_ROUTES);
        }

        void assign(Series s) {
            take(s.owner.route().equals(ALL_ROUTES) ? 0 : used.nextClearBit(1), s);
        }

        /** s holds slot from now on (a restart reads the slots back from the records). */
        void take(int slot, Series s) {
            if (slot >= bySlot.length) bySlot = java.util.Arrays.copyOf(bySlot, Math.max(slot + 1, bySlot.length * 2));
            Series before = bySlot[slot];
            if (before != null && before != s) before.slot = -1;
            if (s.slot >= 0 && s.slot != slot) release(s);
            bySlot[slot] = s;
            used.set(slot);
            s.slot = slot;
        }

        void release(Series s) {
            if (s.slot < 0) return;
            bySlot[s.slot] = null;
            used.clear(s.slot);
            s.slot = -1;
        }
    }

    /** One key's state in the writer's memory. */
    private static final class Series {
        /** Recent finest buckets by bucket number modulo this: a hand-over's counts of a key span a few buckets. */
        private static final int RECENT = 16;
        final Owner owner;
        /** The key's store-key prefix (tier byte left 0), encoded once. */
        final byte[] keyPrefix;
        final byte[] routeBytes;
        final Slots slots;
        /** The key's place in its service's finest records (see {@link Slots}), -1 until it has a finest bucket. */
        int slot = -1;
        /** Per tier, the end of the coarse bucket this key was last registered as due for (see {@link #due}). */
        final long[] lastDue;
        /** The finest tier, whole: bucket start to counts. */
        final LongSortedMap<Fine> finest = new LongSortedMap<>();
        /** A direct-mapped cache of {@link #finest}'s recent buckets, so a count needs no search. */
        final Fine[] recent = new Fine[RECENT];
        final long[] recentStart = new long[RECENT];
        /** Finest buckets changed since the last commit (each once: {@link Fine#dirty}). */
        Fine[] dirty = new Fine[4];
        long[] dirtyStart = new long[4];
        int dirtyCount;
        /** Whether this key is in {@link #toFlush}. */
        boolean toFlush;
        /** Counts added straight into coarse buckets since the last commit (late ones), per tier, by bucket start. */
        Map<Range, Counts> coarseDeltas;
        /** Remembered coarse range sums: a long window covers the same coarse buckets for many instants in a row. */
        Map<Range, Counts> sums;

        Series(Owner owner, int tiers, Slots slots) {
            this.owner = owner;
            this.keyPrefix = prefix(owner.service(), owner.route());
            this.routeBytes = owner.route().getBytes(StandardCharsets.UTF_8);
            this.lastDue = new long[tiers];
            this.slots = slots;
        }

        /** A bucket of the tier changed: its remembered sums are stale. */
        void changed(int tier) {
            if (sums != null) sums.keySet().removeIf(r -> r.tier() == tier);
        }

        /** The finest bucket starting at start (bucket number n of the finest tier), created when new. */
        Fine fine(long start, long n, int subBuckets, LongSortedMap<List<Fine>> withSubs) {
            int i = (int) (n & (RECENT - 1));
            Fine f = recent[i];
            if (f != null && recentStart[i] == start) return f;
            f = finest.get(start);
            if (f == null) hold(start, f = new Fine(subBuckets), withSubs);
            recent[i] = f;
            recentStart[i] = start;
            return f;
        }

        void markDirty(long start, Fine f) {
            if (f.dirty) return;
            f.dirty = true;
            if (dirtyCount == dirty.length) {
                dirty = java.util.Arrays.copyOf(dirty, dirtyCount * 2);
                dirtyStart = java.util.Arrays.copyOf(dirtyStart, dirtyCount * 2);
            }
            dirty[dirtyCount] = f;
            dirtyStart[dirtyCount++] = start;
        }

        /** Adds a finest bucket, new or read back; while it has sub-buckets, withSubs lists it for their drop. */
        void hold(long start, Fine f, LongSortedMap<List<Fine>> withSubs) {
            finest.put(start, f);
            if (f.hasSubs()) withSubs.computeIfAbsent(start, k -> new ArrayList<>()).add(f);
        }

        /** Buckets left {@link #finest}: forget the cache. */
        void forgetRecent() {
            java.util.Arrays.fill(recent, null);
        }
    }

    public BucketStore(KeyValueStore<Bytes, byte[]> store, TierPlan plan) {
        this.read = store;
        this.write = store;
        this.plan = plan;
        for (int i = 0; i < plan.tiers().size(); i++) due.add(new TreeMap<>());
        try (KeyValueIterator<Bytes, byte[]> it = store.range(tierStart(0), tierStart(1))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                byte[] k = kv.key.get();
                String service = ServiceRecords.service(k);
                if (ServiceRecords.isLegacy(k)) { // one key per (service, route, bucket), as written before: rewritten
                    long start = ByteBuffer.wrap(k, k.length - 8, 8).getLong();
                    Series s = series(new Owner(service, ServiceRecords.legacyRoute(k)));
                    s.slots.assign(s);
                    s.markDirty(start, restore(s, start, ByteBuffer.wrap(kv.value)));
                    flushLater(s);
                    legacy.add(kv.key);
                    continue;
                }
                long start = ServiceRecords.start(k);
                ServiceRecords.forEach(kv.value, (slot, route, bytes) -> {
                    Series s = series(new Owner(service, route));
                    s.slots.take(slot, s);
                    restore(s, start, bytes);
                });
            }
        }
    }

    private Fine restore(Series s, long start, ByteBuffer bytes) {
        Fine f = Fine.fromBytes(bytes, subBuckets());
        s.hold(start, f, withSubs);
        // every count of a coarse bucket not yet rolled up is still in a finest bucket (the finest tier is expired
        // hourly, after the roll-ups of the hour): registered again, a restart loses no roll-up
        registerDue(s, start);
        return f;
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


    private Series series(Owner o) {
        return series.computeIfAbsent(o, k -> new Series(k, plan.tiers().size(), slots.computeIfAbsent(k.service(), Slots::new)));
    }

    /**
     * Counts n requests into the finest tier, for the route and for the service total. Coarser tiers are filled by
     * {@link #rollUp} when the evaluation clock passes the end of their buckets; a count for a coarse bucket that
     * is already rolled up (a late one), or any count before the clock has started, goes into it directly.
     */
    public void add(String service, String route, long timeMs, int status, long n) {
        if (!service.equals(lastService)) {
            lastOfService = series(new Owner(service, ALL_ROUTES));
            lastService = service;
            lastRoute = null;
        }
        if (!route.equals(lastRoute)) {
            lastOfRoute = series(new Owner(service, route));
            lastRoute = route;
        }
        addTo(lastOfRoute, timeMs, status, n);
        addTo(lastOfService, timeMs, status, n);
    }

    private void addTo(Series s, long timeMs, int status, long n) {
        List<TierPlan.Tier> tiers = plan.tiers();
        long step = tiers.get(0).resolutionMs();
        long bucket = Math.floorDiv(timeMs, step);
        long start = bucket * step;
        Fine f = s.fine(start, bucket, subBuckets(), withSubs);
        if (s.slot < 0) s.slots.assign(s);
        f.add((int) ((timeMs - start) / plan.earlyMs()), status, n);
        s.markDirty(start, f);
        flushLater(s);
        registerDue(s, timeMs);
        for (int i = 1; i < tiers.size(); i++) {
            TierPlan.Tier t = tiers.get(i);
            long cs = t.bucketStart(timeMs);
            if (rolledUpTo != Long.MIN_VALUE && cs + t.resolutionMs() > rolledUpTo) continue; // the roll-up will count it
            if (s.coarseDeltas == null) s.coarseDeltas = new HashMap<>();
            s.coarseDeltas.computeIfAbsent(new Range(i, cs, cs + t.resolutionMs()), k -> new Counts()).add(status, n);
            s.changed(i);
        }
    }

    /** The key has changes for the next commit to write. */
    private void flushLater(Series s) {
        if (s.toFlush) return;
        s.toFlush = true;
        toFlush.add(s);
    }

    /** A count at timeMs: the key's coarse buckets holding it have work for their roll-ups (once per bucket). */
    private void registerDue(Series s, long timeMs) {
        for (int i = 1; i < plan.tiers().size(); i++) {
            TierPlan.Tier t = plan.tiers().get(i);
            long end = t.bucketStart(timeMs) + t.resolutionMs();
            if (s.lastDue[i] == end || (rolledUpTo != Long.MIN_VALUE && end <= rolledUpTo)) continue;
            due.get(i).computeIfAbsent(end, k -> new HashSet<>()).add(s.owner);
            s.lastDue[i] = end;
        }
    }

    /**
     * Rolls up every coarse bucket of one key that ends at instant atMs from the next finer tier (finer tiers first,
     * so each roll-up reads complete buckets).
     */
    public void rollUp(String service, String route, long atMs) {
        Owner o = new Owner(service, route);
        for (int i = 1; i < plan.tiers().size(); i++) {
            if (Math.floorMod(atMs, plan.tiers().get(i).resolutionMs()) == 0) rollUp(o, i, atMs);
        }
    }

    private void rollUp(Owner o, int tier, long end) {
        long start = end - plan.tiers().get(tier).resolutionMs();
        Counts sum = range(o.service(), o.route(), plan.tiers().get(tier - 1), start, end);
        if (sum.isEmpty()) return;
        // the finer tier holds every count of this bucket, including any that went into it directly
        put(o, tier, start, sum.toBytes());
        Series s = series.get(o); // null for a key with no recent counts: its coarse tiers still roll up
        if (s != null) {
            if (s.coarseDeltas != null) s.coarseDeltas.remove(new Range(tier, start, end));
            s.changed(tier);
        }
    }

    /**
     * Rolls up, for the evaluation instant atMs, the coarse buckets ending at or before it that hold counts since they
     * were last rolled up: only the keys that had counts there, finer tiers first (a restarted writer registers the
     * finest buckets it reads back, see the constructor).
     */
    public void rollUpDue(long atMs) {
        for (int i = 1; i < plan.tiers().size(); i++) {
            TreeMap<Long, Set<Owner>> d = due.get(i);
            while (!d.isEmpty() && d.firstKey() <= atMs) {
                Map.Entry<Long, Set<Owner>> e = d.pollFirstEntry();
                if (rolledUpTo != Long.MIN_VALUE && e.getKey() <= rolledUpTo) continue; // rolled up before a restart
                for (Owner o : e.getValue()) rollUp(o, i, e.getKey());
            }
        }
    }

    private void put(Owner o, int tier, long start, byte[] value) {
        put(o, key(o.service(), o.route(), tier, start), tier, start, value);
    }

    private void put(Series s, int tier, long start, byte[] value) {
        put(s.owner, key(s.keyPrefix, tier, start), tier, start, value);
    }

    private void put(Owner o, Bytes key, int tier, long start, byte[] value) {
        write.put(key, value);
        if (oldest != null) {
            long[] held = oldest.computeIfAbsent(o, k -> none());
            held[tier] = Math.min(held[tier], start);
        }
    }

    private long[] none() {
        long[] held = new long[plan.tiers().size()];
        java.util.Arrays.fill(held, Long.MAX_VALUE);
        return held;
    }

    /** The evaluation clock has reached atMs: every roll-up of buckets ending at or before it is done. */
    public void rolledUpTo(long atMs) {
        rolledUpTo = atMs;
    }

    /**
     * Before each commit of the task: the finest records holding changed buckets, and the late coarse counts, into
     * the store.
     */
    public void flushPending() {
        if (write == null) return;
        Set<FinestRecord> records = new HashSet<>();
        for (Series s : toFlush) {
            s.toFlush = false;
            for (int i = 0; i < s.dirtyCount; i++) {
                s.dirty[i].dirty = false;
                s.dirty[i] = null;
                records.add(new FinestRecord(s.slots, s.slot / ServiceRecords.SLOTS, s.dirtyStart[i]));
            }
            s.dirtyCount = 0;
            if (s.coarseDeltas == null) continue;
            for (Map.Entry<Range, Counts> d : s.coarseDeltas.entrySet()) {
                byte[] old = write.get(key(s.keyPrefix, d.getKey().tier(), d.getKey().from()));
                Counts c = d.getValue();
                if (old != null) c.add(Counts.fromBytes(old));
                put(s, d.getKey().tier(), d.getKey().from(), c.toBytes());
            }
            s.coarseDeltas = null;
        }
        toFlush.clear();
        for (FinestRecord r : records) writeFinest(r);
        legacy.forEach(write::delete);
        legacy.clear();
    }

    /** Writes one finest record whole, from the buckets in memory of the keys of its slots. */
    private void writeFinest(FinestRecord r) {
        ServiceRecords.Writer w = recordWriter.clear();
        Series[] bySlot = r.slots().bySlot;
        int from = r.shard() * ServiceRecords.SLOTS;
        for (int slot = from; slot < Math.min(from + ServiceRecords.SLOTS, bySlot.length); slot++) {
            Series s = bySlot[slot];
            Fine f = s == null ? null : s.finest.get(r.start());
            if (f != null) w.add(slot, s.routeBytes, ByteBuffer.wrap(f.toBytes()));
        }
        Bytes key = ServiceRecords.key(r.slots().totalPrefix, 0, r.start(), r.shard());
        if (w.isEmpty()) {
            write.delete(key);
            return;
        }
        put(r.slots().total, key, 0, r.start(), w.toBytes());
    }

    /** The stored finest buckets of one key with start in [fromMs, toMs), in time order: (Fine bytes, start). */
    private void storedFinest(String service, String route, long fromMs, long toMs, java.util.function.ObjLongConsumer<ByteBuffer> out) {
        ServiceRecords.read(read, service, route, 0, fromMs, toMs, out);
    }

    /**
     * Counts of the window (atMs - window, atMs] at an evaluation instant: exact at the recent end, where the complete
     * buckets of the window's tier are followed by the finer tiers down to the evaluation step; at the old end, when
     * the window does not start on a bucket of its tier, the covered fraction of that oldest bucket (so the error is
     * at most one bucket of the window's tier: 1/24 of the window or less, see {@link TierPlan}).
     */
    public Counts window(String service, String route, Duration window, long atMs) {
        TierPlan.Tier coarse = plan.tierFor(window);
        long from = atMs - window.toMillis();
        long res = coarse.resolutionMs();
        long firstWhole = coarse.bucketStartAtOrAfter(from);
        Counts sum = upTo(service, route, coarse, firstWhole, atMs);
        if (firstWhole > from) {
            Counts oldest = range(service, route, coarse, firstWhole - res, firstWhole);
            sum.add(oldest.scaled(firstWhole - from, res));
        }
        return sum;
    }

    /**
     * Counts of [fromMs, atMs), fromMs on a bucket of tier {@code body}: that tier's complete buckets, then each finer
     * tier from where the coarser one ends to its own last complete bucket, and at an early instant the sub-buckets
     * of the last finest bucket. Exact: every bucket read ends at or before atMs, which the evaluation clock has
     * completed, so the result does not depend on how fast the input was read.
     */
    public Counts upTo(String service, String route, TierPlan.Tier body, long fromMs, long atMs) {
        long end = body.bucketStart(atMs);
        Counts sum = range(service, route, body, fromMs, end);
        for (int i = body.index() - 1; i >= 0; i--) { // the partial recent part, finer and finer
            TierPlan.Tier t = plan.tiers().get(i);
            long fineEnd = t.bucketStart(atMs);
            sum.add(range(service, route, t, Math.max(end, fromMs), fineEnd));
            end = Math.max(fineEnd, fromMs);
        }
        if (atMs > end) { // an early instant: part of a finest bucket
            Counts part = subBuckets(service, route, plan.tiers().get(0).bucketStart(atMs), end, atMs);
            if (part != null) sum.add(part);
        }
        return sum;
    }

    /** Sub-buckets per finest bucket (1: none). */
    private int subBuckets() {
        return (int) (plan.stepMs() / plan.earlyMs());
    }

    /**
     * The counts of the sub-buckets of the finest bucket starting at bucketMs that cover [fromMs, toMs), or null when
     * that bucket has none there. Sub-buckets are kept while the bucket is recent (see {@link #dropSubBuckets}).
     */
    public Counts subBuckets(String service, String route, long bucketMs, long fromMs, long toMs) {
        Fine f;
        if (write == null) {
            Fine[] found = new Fine[1];
            storedFinest(service, route, bucketMs, bucketMs + 1, (bytes, start) -> found[0] = Fine.fromBytes(bytes, subBuckets()));
            f = found[0];
        } else {
            Series s = series.get(new Owner(service, route));
            f = s == null ? null : s.finest.get(bucketMs);
        }
        return f == null ? null : f.subs((int) ((fromMs - bucketMs) / plan.earlyMs()), (int) ((toMs - bucketMs) / plan.earlyMs()));
    }

    /**
     * Starts of the sub-buckets in [fromMs, toMs) of one key that hold counts, ascending: the candidates for early
     * evaluation.
     */
    public List<Long> subBucketsWithCounts(String service, String route, long fromMs, long toMs) {
        List<Long> out = new ArrayList<>();
        Series s = series.get(new Owner(service, route));
        if (s == null || toMs <= fromMs) return out;
        long step = plan.stepMs();
        s.finest.forEach(TimeBuckets.start(fromMs, step), toMs, (start, f) -> f.nonEmpty(start, plan.earlyMs(), fromMs, toMs, out));
        return out;
    }

    /** Drops the sub-buckets of finest buckets ending at or before atMs: every instant inside them has been evaluated. */
    public void dropSubBuckets(long atMs) {
        if (subBuckets() == 1) return;
        long before = atMs - plan.stepMs() + 1;
        while (!withSubs.isEmpty() && withSubs.firstKey() < before) withSubs.pollFirst().forEach(Fine::dropSubs);
    }

    /**
     * Whether {@link #window} at a past instant atMs still gives what it gave at atMs, as of instant nowMs: its tier still
     * holds its buckets and every finer tier the recent part it adds (older instants' recent parts have expired from the finer tiers).
     */
    public boolean exactAt(Duration window, long atMs, long nowMs) {
        TierPlan.Tier coarse = plan.tierFor(window);
        if (coarse.bucketStart(atMs - window.toMillis()) < coarse.oldestHeld(nowMs)) return false;
        for (int i = coarse.index() - 1; i >= 0; i--) {
            if (plan.tiers().get(i + 1).bucketStart(atMs) < plan.tiers().get(i).oldestHeld(nowMs)) return false;
        }
        return true;
    }

    /** Sum of the buckets of a tier with start in [fromMs, toMs). */
    public Counts range(String service, String route, TierPlan.Tier t, long fromMs, long toMs) {
        Counts sum = new Counts();
        if (toMs <= fromMs) return sum;
        if (write == null) {
            if (t.index() == 0) {
                storedFinest(service, route, fromMs, toMs, (bytes, start) -> sum.add(Counts.read(bytes)));
                return sum;
            }
            try (KeyValueIterator<Bytes, byte[]> it = read.range(key(service, route, t.index(), fromMs), key(service, route, t.index(), toMs - 1))) {
                while (it.hasNext()) sum.add(Counts.fromBytes(it.next().value));
            }
            return sum;
        }
        if (t.index() == 0) { // wholly in memory
            Series s = series.get(new Owner(service, route));
            if (s != null) s.finest.forEach(fromMs, toMs, (start, f) -> sum.add(f.total()));
            return sum;
        }
        Series s = series(new Owner(service, route)); // a key without recent counts still has coarse buckets
        Range r = new Range(t.index(), fromMs, toMs);
        Counts stored = s.sums == null ? null : s.sums.get(r);
        if (stored == null) {
            stored = new Counts();
            try (KeyValueIterator<Bytes, byte[]> it = read.range(key(service, route, t.index(), fromMs), key(service, route, t.index(), toMs - 1))) {
                while (it.hasNext()) stored.add(Counts.fromBytes(it.next().value));
            }
            if (s.coarseDeltas != null) {
                for (Map.Entry<Range, Counts> d : s.coarseDeltas.entrySet()) {
                    Range k = d.getKey();
                    if (k.tier() == t.index() && k.from() >= fromMs && k.from() < toMs) stored.add(d.getValue());
                }
            }
            // sums of ranges no longer asked for (the clock moved on) go when the map grows: a few dozen are live
            if (s.sums == null || s.sums.size() >= 64) s.sums = new HashMap<>(16);
            s.sums.put(r, stored);
        }
        sum.add(stored);
        return sum;
    }

    /** Buckets of one tier with start in [fromMs, toMs), in time order, as (bucketStart, counts). */
    public List<KeyValue<Long, Counts>> buckets(String service, String route, TierPlan.Tier t, long fromMs, long toMs) {
        List<KeyValue<Long, Counts>> out = new ArrayList<>();
        if (toMs <= fromMs) return out;
        flushPending(); // read-only views (the query API) have none; a writer's reader sees its own counts
        if (t.index() == 0) {
            storedFinest(service, route, fromMs, toMs, (bytes, start) -> out.add(KeyValue.pair(start, Counts.read(bytes))));
            return out;
        }
        try (KeyValueIterator<Bytes, byte[]> it = read.range(key(service, route, t.index(), fromMs), key(service, route, t.index(), toMs - 1))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                byte[] k = kv.key.get();
                out.add(KeyValue.pair(ByteBuffer.wrap(k, k.length - 8, 8).getLong(), Counts.fromBytes(kv.value)));
            }
        }
        return out;
    }

    /**
     * Deletes every bucket that has left its tier's retention as of instant atMs. Returns how many. The first call
     * after a start scans the whole store and learns each key's oldest bucket per tier; later ones visit only the
     * keys whose oldest bucket has expired.
     */
    public int expire(long atMs) {
        List<Bytes> dead = new ArrayList<>();
        flushPending();
        if (oldest == null) {
            oldest = new HashMap<>();
            try (KeyValueIterator<Bytes, byte[]> it = write.all()) {
                while (it.hasNext()) {
                    byte[] k = it.next().key.get();
                    if (k[0] >= plan.tiers().size()) continue; // not a tier: LatencyBuckets' keys, which expire on their own
                    long start = startOf(k);
                    int a = indexOf(k, 1);
                    int b = indexOf(k, a + 1);
                    Owner o = new Owner(new String(k, 1, a - 1, StandardCharsets.UTF_8), new String(k, a + 1, b - a - 1, StandardCharsets.UTF_8));
                    if (start < cutoff(k[0], o, atMs)) {
                        dead.add(Bytes.wrap(k));
                        continue;
                    }
                    long[] held = oldest.computeIfAbsent(o, x -> none());
                    held[k[0]] = Math.min(held[k[0]], start);
                }
            }
        } else {
            oldest.entrySet().removeIf(e -> {
                Owner o = e.getKey();
                long[] held = e.getValue();
                boolean any = false;
                for (int i = 0; i < held.length; i++) {
                    long cut = cutoff(i, o, atMs);
                    if (held[i] < cut) {
                        // the finest tier's keys end in a shard byte: its bare key at cut sorts before them
                        Bytes to = i == 0 ? key(o.service(), o.route(), 0, cut) : key(o.service(), o.route(), i, cut - 1);
                        try (KeyValueIterator<Bytes, byte[]> it = write.range(key(o.service(), o.route(), i, held[i]), to)) {
                            while (it.hasNext()) dead.add(it.next().key);
                        }
                        held[i] = Long.MAX_VALUE;
                        try (KeyValueIterator<Bytes, byte[]> it = write.range(key(o.service(), o.route(), i, cut), key(o.service(), o.route(), i, Long.MAX_VALUE))) {
                            if (it.hasNext()) {
                                held[i] = startOf(it.next().key.get());
                            }
                        }
                    }
                    any |= held[i] != Long.MAX_VALUE;
                }
                return !any;
            });
        }
        dead.forEach(write::delete);
        long finestBefore = plan.tiers().get(0).bucketStart(atMs) - plan.tiers().get(0).retentionMs();
        lastService = null; // the keys remembered may be removed here
        series.values().removeIf(s -> {
            s.finest.removeBefore(finestBefore);
            s.forgetRecent();
            s.sums = null;
            if (s.finest.isEmpty()) s.slots.release(s); // its last finest record went with the store's expiry above
            return s.finest.isEmpty() && s.coarseDeltas == null;
        });
        return dead.size();
    }

    /** A stored bucket's start, from its key (a finest record's key ends in its shard). */
    private static long startOf(byte[] k) {
        return k[0] == 0 ? ServiceRecords.start(k) : ByteBuffer.wrap(k, k.length - 8, 8).getLong();
    }

    /** The key's buckets of the tier starting before this have left its retention at instant atMs. */
    private long cutoff(int tier, Owner o, long atMs) {
        TierPlan.Tier t = plan.tiers().get(tier);
        return t.bucketStart(atMs) - plan.retentionMs(t, o.service(), o.route());
    }

    static Bytes key(String service, String route, int tier, long start) {
        return key(prefix(service, route), tier, start);
    }

    /** A key's bytes before its bucket start, with tier 0: tier(1) service 0x00 route 0x00. */
    static byte[] prefix(String service, String route) {
        byte[] s = service.getBytes(StandardCharsets.UTF_8);
        byte[] r = route.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[1 + s.length + 1 + r.length + 1];
        System.arraycopy(s, 0, p, 1, s.length);
        System.arraycopy(r, 0, p, 2 + s.length, r.length);
        return p;
    }

    private static Bytes key(byte[] prefix, int tier, long start) {
        byte[] k = java.util.Arrays.copyOf(prefix, prefix.length + 8);
        k[0] = (byte) tier;
        ByteBuffer.wrap(k, prefix.length, 8).putLong(start);
        return Bytes.wrap(k);
    }

    private static Bytes tierStart(int tier) {
        return Bytes.wrap(new byte[] {(byte) tier});
    }

    static int indexOf(byte[] k, int from) {
        for (int i = from; i < k.length; i++) if (k[i] == 0) return i;
        throw new IllegalStateException("malformed bucket key");
    }
}
