package dev.burnrate.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.burnrate.core.LatencyHistogram;
import dev.burnrate.core.StoreNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The finest tier as the store holds it ({@link ServiceRecords}): a commit writes one record per (service, bucket,
 * shard of 32 keys), not one per key, and the counts read back the same through a restarted writer and a read-only
 * view, also after routes expired and others took their slots; state in the former layout (a key per route) is
 * rewritten by the first commit.
 */
class FinestRecordsTest {
    private static final long STEP = 10_000;
    private static final long T0 = 1_772_409_600_000L;
    private static final TierPlan PLAN = new TierPlan(Duration.ofMillis(STEP), List.of(Duration.ofMinutes(5), Duration.ofHours(1)));

    @Test
    void aCommitWritesOneRecordPerServiceBucketAndShard() {
        CountingStore store = new CountingStore();
        BucketStore writer = new BucketStore(store, PLAN);
        for (int r = 0; r < 40; r++) {
            writer.add("svc", route(r), T0 + 1_000, 200, r + 1);
            writer.add("svc", route(r), T0 + STEP + 1_000, 503, 1);
        }
        for (int r = 0; r < 3; r++) writer.add("other", route(r), T0 + 1_000, 200, 1);
        writer.flushPending();
        // svc: 2 buckets x 2 shards (the total and 31 routes, then 9 routes); other: 1 bucket x 1 shard
        assertEquals(5, store.puts);
        assertEquals(5, finestKeys(store).size());

        store.puts = 0;
        writer.add("svc", route(39), T0 + STEP + 2_000, 200, 1);
        writer.flushPending();
        assertEquals(2, store.puts, "the route's shard and the total's, for that bucket only");

        BucketStore restarted = new BucketStore(store, PLAN);
        BucketStore view = new BucketStore(store, PLAN, true);
        long at = T0 + 3 * STEP;
        for (int r = 0; r < 40; r++) {
            for (BucketStore reader : List.of(restarted, view, writer)) {
                assertEquals(r + 2 + (r == 39 ? 1 : 0), reader.window("svc", route(r), Duration.ofMinutes(5), at).requests(), route(r));
                assertEquals(1, reader.window("svc", route(r), Duration.ofMinutes(5), at).family(5), route(r));
            }
        }
        long total = 40 * 41 / 2 + 40 + 1;
        assertEquals(total, view.window("svc", BucketStore.ALL_ROUTES, Duration.ofMinutes(5), at).requests());
        assertEquals(total, restarted.window("svc", BucketStore.ALL_ROUTES, Duration.ofMinutes(5), at).requests());
        assertEquals(3, view.window("other", BucketStore.ALL_ROUTES, Duration.ofMinutes(5), at).requests());
        assertEquals(List.of(T0, T0 + STEP), view.buckets("svc", route(35), PLAN.tiers().get(0), T0, at).stream().map(kv -> kv.key).toList());

        // a restarted writer keeps each key in its slot: one more count rewrites the same two records, nothing else
        store.puts = 0;
        restarted.add("svc", route(35), T0 + STEP + 3_000, 200, 1);
        restarted.flushPending();
        assertEquals(2, store.puts);
        assertEquals(5, finestKeys(store).size());
        assertEquals(38, new BucketStore(store, PLAN, true).window("svc", route(35), Duration.ofMinutes(5), at).requests());
    }

    @Test
    void slotsOfExpiredRoutesAreTakenByNewOnesWithoutMixingTheirCounts() {
        CountingStore store = new CountingStore();
        BucketStore writer = new BucketStore(store, PLAN);
        for (int r = 0; r < 40; r++) writer.add("svc", "/old" + r, T0 + 1_000, 200, 1);
        writer.flushPending();
        long later = T0 + 2 * 3_600_000;
        writer.rolledUpTo(later);
        writer.expire(later); // the finest tier keeps minutes: every /old bucket and record is gone
        assertEquals(List.of(), finestKeys(store));

        for (int r = 0; r < 5; r++) writer.add("svc", "/new" + r, later + 1_000, 200, 10 + r);
        writer.flushPending();
        assertEquals(1, finestKeys(store).size(), "the new routes fill the freed low slots: one shard");
        BucketStore restarted = new BucketStore(store, PLAN);
        BucketStore view = new BucketStore(store, PLAN, true);
        long at = later + STEP;
        for (int r = 0; r < 5; r++) {
            assertEquals(10 + r, restarted.window("svc", "/new" + r, Duration.ofMinutes(5), at).requests());
            assertEquals(10 + r, view.window("svc", "/new" + r, Duration.ofMinutes(5), at).requests());
        }
        assertEquals(0, view.window("svc", "/old3", Duration.ofMinutes(5), at).requests());
        assertEquals(60, view.window("svc", BucketStore.ALL_ROUTES, Duration.ofMinutes(5), at).requests());
    }

    @Test
    void bucketsAndLatencyMinutesInTheFormerLayoutAreRewrittenByTheFirstCommit() {
        CountingStore store = new CountingStore();
        for (String route : List.of("/a", BucketStore.ALL_ROUTES)) { // one key per (service, route, bucket)
            Fine f = new Fine(1);
            f.add(0, 200, 7);
            f.add(0, 503, 2);
            store.put(BucketStore.key("svc", route, 0, T0), f.toBytes());
            LatencyHistogram h = new LatencyHistogram();
            h.add(LatencyHistogram.bin(100), 4);
            store.put(BucketStore.key("svc", route, LatencyBuckets.TIER, T0), LatencyBuckets.encode(h));
        }
        BucketStore writer = new BucketStore(store, PLAN);
        LatencyBuckets latency = new LatencyBuckets(store, service -> 1);
        writer.flushPending();
        latency.flushPending();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext()) assertFalse(ServiceRecords.isLegacy(it.next().key.get()));
        }
        assertEquals(1, finestKeys(store).size());
        BucketStore view = new BucketStore(store, PLAN, true);
        for (String route : List.of("/a", BucketStore.ALL_ROUTES)) {
            assertEquals(9, view.window("svc", route, Duration.ofMinutes(5), T0 + STEP).requests());
            assertEquals(2, view.window("svc", route, Duration.ofMinutes(5), T0 + STEP).family(5));
            assertEquals(4, new LatencyBuckets(store).histogram("svc", route, T0, T0 + 60_000).total());
        }
    }

    private static String route(int r) {
        return "/r" + r;
    }

    private static List<Bytes> finestKeys(KeyValueStore<Bytes, byte[]> store) {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(new byte[] {0}), Bytes.wrap(new byte[] {1}))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                if (kv.key.get()[0] == 0) keys.add(kv.key);
            }
        }
        return keys;
    }

    /** An in-memory store that counts the writes of finest records (tier 0). */
    private static final class CountingStore extends org.apache.kafka.streams.state.internals.WrappedStateStore<KeyValueStore<Bytes, byte[]>, Bytes, byte[]>
            implements KeyValueStore<Bytes, byte[]> {
        int puts;

        CountingStore() {
            super(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.BUCKETS), Serdes.Bytes(), Serdes.ByteArray())
                    .withLoggingDisabled().build());
            MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
            wrapped().init(context.getStateStoreContext(), wrapped());
        }

        @Override
        public void put(Bytes key, byte[] value) {
            if (key.get()[0] == 0) puts++;
            wrapped().put(key, value);
        }

        @Override
        public byte[] putIfAbsent(Bytes key, byte[] value) {
            return wrapped().putIfAbsent(key, value);
        }

        @Override
        public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
            entries.forEach(e -> put(e.key, e.value));
        }

        @Override
        public byte[] delete(Bytes key) {
            return wrapped().delete(key);
        }

        @Override
        public byte[] get(Bytes key) {
            return wrapped().get(key);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            return wrapped().range(from, to);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> all() {
            return wrapped().all();
        }

        @Override
        public long approximateNumEntries() {
            return wrapped().approximateNumEntries();
        }
    }
}
