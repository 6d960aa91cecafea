package dev.burnrate.windows;

import dev.burnrate.core.StoreNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The writer's remembered coarse-window sums against a read-only view of the same store, which reads every bucket
 * each time: equal at every instant of a run with on-time counts, late counts into rolled-up buckets, roll-ups and
 * expiry, for every window and key.
 */
class BucketStoreWindowSumsTest {
    private static final long STEP = 10_000;
    private static final long T0 = 1_772_409_600_000L;
    private static final List<Duration> WINDOWS = List.of(Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(2), Duration.ofHours(6), Duration.ofDays(1), Duration.ofDays(3));
    private static final List<String> ROUTES = List.of("/a", "/b", BucketStore.ALL_ROUTES);

    @Test
    void rememberedSumsEqualFreshReadsThroughLateCountsRollUpsAndExpiry() {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.BUCKETS),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        TierPlan plan = new TierPlan(Duration.ofMillis(STEP), WINDOWS);
        BucketStore writer = new BucketStore(store, plan);
        BucketStore fresh = new BucketStore(store, plan, true);
        SplittableRandom random = new SplittableRandom(42);
        long lateCounts = 0;
        long comparisons = 0;

        for (long t = T0 + STEP; t <= T0 + Duration.ofHours(30).toMillis(); t += STEP) {
            for (int i = 0; i < 3; i++) {
                boolean late = random.nextInt(20) == 0; // up to 2 hours back: into buckets already rolled up
                long at = t - 1 - (late ? random.nextLong(7_200_000) : random.nextLong(STEP));
                if (late) lateCounts++;
                writer.add("svc", ROUTES.get(random.nextInt(2)), Math.floorDiv(at, STEP) * STEP, random.nextInt(10) == 0 ? 503 : 200, 1 + random.nextInt(5));
            }
            // as WindowProcessor: roll up the coarse buckets ending at t, then evaluate t
            if (Math.floorMod(t, plan.tiers().get(1).resolutionMs()) == 0) {
                for (String r : ROUTES) writer.rollUp("svc", r, t);
            }
            writer.rolledUpTo(t);
            if (Math.floorMod(t, 3_600_000L) == 0) writer.expire(t);
            writer.flushPending(); // as before a commit: a read-only view sees the store as of the last commit
            for (String r : ROUTES) {
                for (Duration w : WINDOWS) {
                    assertEquals(fresh.window("svc", r, w, t), writer.window("svc", r, w, t), r + " " + w + " at " + (t - T0) / 1000 + "s");
                    comparisons++;
                }
            }
        }
        assertTrue(lateCounts > 1_000 && comparisons > 200_000, lateCounts + " late counts, " + comparisons + " comparisons");
    }
}
