package dev.burnrate.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.burnrate.core.Counts;
import dev.burnrate.core.StoreNames;
import dev.burnrate.core.LatencyCounting;
import dev.burnrate.core.LatencyHistogram;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** Latency SLI counts in the bucket state (restored from the store, by sub-bucket) and the percentile histograms. */
class LatencyStateTest {
    static final long T0 = 1_772_409_600_000L;
    static final int BAD = LatencyCounting.badKey(12_345);
    static final int EXCLUDED = LatencyCounting.excludedKey(12_345);

    static KeyValueStore<Bytes, byte[]> store() {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.BUCKETS),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }

    @Test
    void sliCountsAreNoRequestsAndSurviveTheStoreAndTheSubBuckets() {
        KeyValueStore<Bytes, byte[]> store = store();
        TierPlan plan = new TierPlan(Duration.ofSeconds(10), Duration.ofMillis(250), List.of(Duration.ofMinutes(5), Duration.ofHours(1)));
        BucketStore writer = new BucketStore(store, plan);
        writer.add("svc", "/a", T0 + 1000, 200, 5);
        writer.add("svc", "/a", T0 + 1000, BAD, 2);      // 2 of them slow, in sub-bucket [T0+1000, T0+1250)
        writer.add("svc", "/a", T0 + 3000, 503, 1);
        writer.add("svc", "/a", T0 + 3000, EXCLUDED, 1); // without duration
        writer.flushPending();
        BucketStore restored = new BucketStore(store, plan); // a restart: the finest tier read back from the store
        for (BucketStore b : List.of(writer, restored, new BucketStore(store, plan, true))) {
            Counts early = b.window("svc", "/a", Duration.ofMinutes(5), T0 + 1250);
            assertEquals(5, early.requests());
            assertEquals(2, early.code(BAD), "an early instant sees the slow requests of its sub-buckets");
            assertEquals(0, early.code(EXCLUDED));
            Counts whole = b.window("svc", "/a", Duration.ofMinutes(5), T0 + 10_000);
            assertEquals(6, whole.requests());
            assertEquals(2, whole.code(BAD));
            assertEquals(1, whole.code(EXCLUDED));
            assertArrayEquals(new int[] {503}, whole.codes(), "SLI keys are no status codes");
        }
        assertEquals(2, restored.subBuckets("svc", "/a", T0, T0 + 1000, T0 + 1250).code(BAD));
    }

    @Test
    void countsWrittenBeforeLatencySlisAreReadAsBefore() {
        // the encoding without SLI counts: requests, 5 families, code count, (code, count) pairs
        ByteBuffer old = ByteBuffer.allocate(8 * 6 + 2 + 10);
        old.putLong(3).putLong(0).putLong(2).putLong(0).putLong(0).putLong(1).putShort((short) 1).putShort((short) 502).putLong(1);
        Counts c = Counts.fromBytes(old.array());
        assertEquals(3, c.requests());
        assertEquals(1, c.code(502));
        Counts withSli = Counts.fromBytes(c.toBytes());
        assertEquals(c, withSli);
        c.add(BAD, 4);
        Counts back = Counts.fromBytes(c.toBytes());
        assertEquals(c, back);
        assertEquals(4, back.code(BAD));
        assertEquals(3, back.requests());
        assertEquals(2, back.scaled(1, 2).code(BAD));
    }

    @Test
    void histogramsMergeAcrossCommitsAndExpireAfterAnHour() {
        KeyValueStore<Bytes, byte[]> store = store();
        TierPlan plan = new TierPlan(Duration.ofSeconds(10), List.of(Duration.ofMinutes(5)));
        LatencyBuckets writer = new LatencyBuckets(store, service -> 2);
        int b100 = LatencyHistogram.bin(100);
        writer.add("svc", "/a", T0, b100, 3);
        writer.flushPending();
        writer.add("svc", "/a", T0, b100, 1);                 // the same minute after a commit: merged
        writer.add("svc", "/b", T0 + 60_000, LatencyHistogram.bin(900), 1);
        writer.flushPending();
        LatencyBuckets reader = new LatencyBuckets(store);
        assertEquals(4, reader.histogram("svc", "/a", T0, T0 + 60_000).total());
        LatencyHistogram service = reader.window("svc", BucketStore.ALL_ROUTES, Duration.ofMinutes(5), T0 + 120_000);
        assertEquals(5, service.total());
        assertEquals(LatencyHistogram.value(b100), service.percentile(0.5));
        assertNull(reader.window("svc", "/a", Duration.ofHours(6), T0 + 120_000), "not kept for windows over 1h");
        new BucketStore(store, plan).expire(T0 + 3 * 3_600_000); // the counts' expiry leaves the histograms alone
        assertEquals(4, reader.histogram("svc", "/a", T0, T0 + 60_000).total());
        writer.expire(T0 + 61 * 60_000);
        assertEquals(0, reader.histogram("svc", "/a", T0, T0 + 60_000).total(), "no 1h window from T0+61m reads it: gone");
        assertEquals(1, reader.histogram("svc", "/b", T0, T0 + 120_000).total());
    }

    @Test
    void theNewestRecordsKeptInMemoryAddUpWithLateCountsAndAfterARestart() {
        KeyValueStore<Bytes, byte[]> store = store();
        LatencyBuckets writer = new LatencyBuckets(store, service -> 2);
        int fast = LatencyHistogram.bin(50);
        int slow = LatencyHistogram.bin(900);
        long m0 = T0;
        long m2 = T0 + 120_000;
        writer.add("svc", "/a", m0, fast, 1);
        writer.add("svc", "/b", m0, slow, 2);
        writer.flushPending();
        writer.add("svc", "/a", m0, slow, 1);  // the same record, commits later: added to what was written
        writer.flushPending();
        writer.add("svc", "/c", m2, fast, 1);  // two minutes on: m0's record is no longer held in memory
        writer.flushPending();
        writer.add("svc", "/d", m2, slow, 1);  // a route new to a held record
        writer.add("svc", "/a", m0, fast, 1);  // a late count for m0: read back from the store
        writer.flushPending();
        writer.add("svc", "/c", m2, slow, 1);
        writer.flushPending();
        LatencyBuckets restarted = new LatencyBuckets(store, service -> 2); // nothing held: reads what it adds to
        restarted.add("svc", "/d", m2, fast, 4);
        restarted.add("svc", "/b", m0, fast, 1);
        restarted.flushPending();
        LatencyBuckets reader = new LatencyBuckets(store);
        assertEquals(3, reader.histogram("svc", "/a", m0, m0 + 60_000).total());
        assertEquals(3, reader.histogram("svc", "/b", m0, m0 + 60_000).total());
        assertEquals(6, reader.histogram("svc", BucketStore.ALL_ROUTES, m0, m0 + 60_000).total());
        assertEquals(2, reader.histogram("svc", "/c", m2, m2 + 60_000).total());
        assertEquals(5, reader.histogram("svc", "/d", m2, m2 + 60_000).total());
        assertEquals(7, reader.histogram("svc", BucketStore.ALL_ROUTES, m2, m2 + 60_000).total());
        LatencyHistogram d = reader.histogram("svc", "/d", m2, m2 + 60_000);
        assertEquals(LatencyHistogram.value(fast), d.percentile(0.5), "4 fast and 1 slow");
        assertEquals(LatencyHistogram.value(slow), d.percentile(1.0));
    }

    @Test
    void aRouteWhoseShardMovedAsItsServiceGrewStillAddsUp() {
        KeyValueStore<Bytes, byte[]> store = store();
        int[] routes = {1};
        LatencyBuckets writer = new LatencyBuckets(store, service -> routes[0]);
        int bin = LatencyHistogram.bin(100);
        for (int r = 0; r < 100; r++) writer.add("svc", "/r" + r, T0, bin, 1);
        writer.flushPending();
        routes[0] = 100; // 4 shards now: most routes hash elsewhere within the same minute
        for (int r = 0; r < 100; r++) writer.add("svc", "/r" + r, T0, bin, 2);
        writer.flushPending();
        LatencyBuckets reader = new LatencyBuckets(store);
        for (int r = 0; r < 100; r++) assertEquals(3, reader.histogram("svc", "/r" + r, T0, T0 + 60_000).total(), "/r" + r);
        assertEquals(300, reader.histogram("svc", BucketStore.ALL_ROUTES, T0, T0 + 60_000).total());
        int records = 0;
        try (var it = store.all()) {
            while (it.hasNext()) records += it.next().key.get()[0] == LatencyBuckets.TIER ? 1 : 0;
        }
        assertEquals(4, records, "one record per shard of the minute, not one per route");
    }
}
