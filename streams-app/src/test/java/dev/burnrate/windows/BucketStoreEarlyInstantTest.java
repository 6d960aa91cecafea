package dev.burnrate.windows;

import dev.burnrate.core.StoreNames;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.burnrate.core.Counts;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** Windows ending at early instants (inside a 10s bucket): exact to the 250ms sub-bucket, for the writer and a reader. */
class BucketStoreEarlyInstantTest {
    static final long T0 = 1_772_409_600_000L;

    @Test
    void aWindowEndingInsideABucketCountsTheSubBucketsBeforeItsEnd() {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.BUCKETS),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        TierPlan plan = new TierPlan(Duration.ofSeconds(10), Duration.ofMillis(250), List.of(Duration.ofMinutes(5), Duration.ofHours(1)));
        BucketStore writer = new BucketStore(store, plan);
        writer.add("svc", "/a", T0 + 1000, 503, 1);  // sub-bucket [T0+1000, T0+1250)
        writer.add("svc", "/a", T0 + 9999, 200, 2);  // the bucket's last sub-bucket
        writer.add("svc", "/b", T0 + 12_000, 200, 4); // the next bucket; /a has nothing there
        writer.add("svc", "/c", T0 + 20_100, 404, 2);  // statuses outside 2xx keep their family and exact code
        writer.add("svc", "/c", T0 + 20_200, 301, 1);
        writer.add("svc", "/c", T0 + 20_240, 204, 3);
        writer.add("svc", "/c", T0 + 20_250, 500, 1);  // the next sub-bucket
        writer.flushPending();
        BucketStore reader = new BucketStore(store, plan, true);
        for (BucketStore b : List.of(writer, reader)) {
            for (Duration w : List.of(Duration.ofMinutes(5), Duration.ofHours(1))) {
                assertEquals(0, b.window("svc", "/a", w, T0 + 1000).requests(), "the sub-bucket starts at the instant: not in it");
                assertEquals(1, b.window("svc", "/a", w, T0 + 1250).requests());
                assertEquals(1, b.window("svc", "/a", w, T0 + 1250).family(5));
                assertEquals(1, b.window("svc", "/a", w, T0 + 9750).requests());
                assertEquals(3, b.window("svc", "/a", w, T0 + 10_000).requests(), "an evaluation instant: the whole bucket");
                assertEquals(3, b.window("svc", "/a", w, T0 + 12_500).requests(), "no sub-bucket of /a in the next bucket");
                assertEquals(7, b.window("svc", BucketStore.ALL_ROUTES, w, T0 + 12_250).requests());
                assertEquals(3, b.window("svc", BucketStore.ALL_ROUTES, w, T0 + 12_000).requests());
                Counts c = b.window("svc", "/c", w, T0 + 20_250);
                assertEquals(6, c.requests());
                assertEquals(2, c.family(4));
                assertEquals(2, c.code(404));
                assertEquals(1, c.family(3));
                assertEquals(3, c.family(2));
                assertEquals(0, c.family(5), "the 500 is in the next sub-bucket");
                assertEquals(1, b.window("svc", "/c", w, T0 + 20_500).family(5));
            }
        }
    }

    @Test
    void aKeyQuietLongerThanTheFinestTierKeepsItsCoarseWindowsAfterExpiry() {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.BUCKETS),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        TierPlan plan = new TierPlan(Duration.ofSeconds(10), Duration.ofMillis(250), List.of(Duration.ofMinutes(5), Duration.ofDays(1)));
        BucketStore writer = new BucketStore(store, plan);
        writer.add("svc", "/a", T0 + 1000, 503, 5);
        // the evaluation clock runs on for two hours without another count: roll-ups, then the hourly expiry, which
        // drops the key's finest buckets (and its in-memory state) but not its coarse ones
        for (long t = T0 + 10_000; t <= T0 + 7_200_000; t += 10_000) {
            if (t % 60_000 == 0) writer.rollUp("svc", "/a", t);
            writer.rolledUpTo(t);
            if (t % 3_600_000 == 0) writer.expire(t);
        }
        writer.flushPending();
        long at = T0 + 7_200_000;
        assertEquals(5, writer.window("svc", "/a", Duration.ofDays(1), at).requests(), "the writer still sees the coarse buckets");
        assertEquals(5, new BucketStore(store, plan, true).window("svc", "/a", Duration.ofDays(1), at).requests());
        assertEquals(0, writer.window("svc", "/a", Duration.ofMinutes(5), at).requests());
    }
}
