package dev.burnrate.windows;

import dev.burnrate.core.StoreNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Roll-ups of only the keys with counts ({@link BucketStore#rollUpDue}) and expiry of only the keys with old buckets
 * leave the store exactly as rolling up and scanning every key did: two writers get the same counts (on time, late
 * into rolled-up buckets, ahead of the clock), one rolls up every key at every boundary, the other as
 * {@code WindowProcessor} does, and is restarted twice (a new writer over its store, as after a crash); their
 * stores are compared entry by entry after each hour's expiry.
 */
class BucketStoreRollUpDueTest {
    private static final long STEP = 10_000;
    private static final long T0 = 1_772_409_600_000L;
    private static final List<Duration> WINDOWS = List.of(Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(6), Duration.ofDays(1));
    private static final List<String> ROUTES = List.of("/a", "/b", "/c", BucketStore.ALL_ROUTES);

    @Test
    void trackedRollUpsAndExpiryEqualVisitingEveryKey() {
        TierPlan plan = new TierPlan(Duration.ofMillis(STEP), Duration.ofMillis(250), WINDOWS);
        KeyValueStore<Bytes, byte[]> allStore = store(), dueStore = store();
        BucketStore all = new BucketStore(allStore, plan);
        BucketStore tracked = new BucketStore(dueStore, plan);
        SplittableRandom random = new SplittableRandom(7);
        int compared = 0;
        long end = T0 + Duration.ofHours(40).toMillis();
        long restart1 = T0 + Duration.ofMinutes(317).toMillis() + 20_000, restart2 = T0 + Duration.ofHours(21).toMillis() + 30_000;
        for (long t = T0 + STEP; t <= end; t += STEP) {
            // quiet stretches: /c only until the first restart (its last buckets are rolled up by the new writer), and
            // everything pauses for 3 hours in the middle
            boolean pause = t > T0 + Duration.ofHours(20).toMillis() && t < T0 + Duration.ofHours(23).toMillis();
            for (int i = 0; i < 3 && !pause; i++) {
                int kind = random.nextInt(20);
                long at = kind == 0 ? t - 1 - random.nextLong(7_200_000) // late, into rolled-up buckets
                        : kind == 1 ? t + random.nextLong(600_000)         // ahead of the clock
                        : t - 1 - random.nextLong(STEP);
                String route = ROUTES.get(random.nextInt(t <= restart1 ? 3 : 2));
                int status = random.nextInt(10) == 0 ? 503 : 200;
                long n = 1 + random.nextInt(5);
                all.add("svc", route, at, status, n);
                tracked.add("svc", route, at, status, n);
            }
            if (Math.floorMod(t, 60_000L) == 0) for (String r : ROUTES) all.rollUp("svc", r, t);
            all.rolledUpTo(t);
            tracked.rollUpDue(t);
            tracked.rolledUpTo(t);
            if (Math.floorMod(t, 3_600_000L) == 0) {
                assertEquals(all.expire(t), tracked.expire(t), "buckets expired at " + (t - T0) / 1000 + "s");
                all.flushPending();
                tracked.flushPending();
                assertEquals(entries(allStore), entries(dueStore), "store at " + (t - T0) / 1000 + "s");
                compared++;
            }
            if (t == restart1 || t == restart2) {
                tracked.flushPending(); // a commit, then a crash: a new writer over the same store
                tracked = new BucketStore(dueStore, plan);
                tracked.rolledUpTo(t);
            }
        }
        assertTrue(compared == 40 && entries(dueStore).size() > 500, compared + " comparisons, " + entries(dueStore).size() + " entries");
    }

    private static KeyValueStore<Bytes, byte[]> store() {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.BUCKETS),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }

    private static List<String> entries(KeyValueStore<Bytes, byte[]> store) {
        List<String> out = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                out.add(kv.key + "=" + Arrays.toString(kv.value));
            }
        }
        return out;
    }
}
