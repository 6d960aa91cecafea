package dev.burnrate.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.core.StoreNames;
import dev.burnrate.slo.SloConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** Buckets that left their tier's retention are deleted from the store as the evaluation clock passes the hours. */
class ExpiryTopologyTest {
    static final long S = PipelineTopologyTest.S;

    private static Map<Integer, Integer> entriesByTier(TopologyHarness h) {
        KeyValueStore<Bytes, byte[]> store = h.driver.getKeyValueStore(StoreNames.BUCKETS);
        Map<Integer, Integer> out = new TreeMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                out.merge((int) kv.key.get()[0], 1, Integer::sum);
            }
        }
        return out;
    }

    @Test
    void oldBucketsLeaveTheStore() {
        try (TopologyHarness h = new TopologyHarness(SloConfig.defaultConfig(), Map.of(), Instant.ofEpochMilli(S))) {
            for (long bucket = S; bucket < S + 5 * 3_600_000L; bucket += 10_000) {
                h.send(bucket, "checkout", "/api/pay", 200, 12.0);
                h.driver.advanceWallClockTime(Duration.ofSeconds(10));
            }
            Map<Integer, Integer> n = entriesByTier(h);
            // two keys (the route and the service total): 10s buckets kept 5m + a coarse bucket, 1m ones 1h + a 5m
            // bucket, latency histograms (tier 127) 1-2 h; all of it hourly at most
            assertTrue(n.getOrDefault(0, 0) <= 2 * (6 * 60 + 40), "10s buckets: " + n);
            assertTrue(n.getOrDefault(1, 0) <= 2 * 130, "1m buckets: " + n);
            assertTrue(n.getOrDefault(127, 0) <= 2 * 130, "latency histograms: " + n);
        }
    }
}
