package dev.burnrate.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.core.Shuffled;
import dev.burnrate.core.ShuffledSerde;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class IngestBufferTest {
    private static final long B = 1_800_000_000_000L;

    private static KeyValueStore<String, byte[]> store() {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("buffer"),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().withCachingDisabled().build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    private static Map<String, Long> counts(List<Shuffled.Batch> batches) {
        Map<String, Long> out = new TreeMap<>();
        for (Shuffled.Batch b : batches) b.forEach((route, status, bucket, n) -> out.merge(b.service() + route + " " + status, n, Long::sum));
        return out;
    }

    @Test
    void drainHandsOnEverythingOnceAndNeverWritesTheStore() {
        KeyValueStore<String, byte[]> store = store();
        IngestBuffer buffer = new IngestBuffer(store);
        buffer.add("auth", "/login", 200, B);
        buffer.add("auth", "/login", 503, B);
        buffer.add("cart", "/add", 200, B);
        buffer.add("auth", "/login", 200, B);
        assertEquals(0, store.approximateNumEntries(), "counting writes nothing to the store");
        assertEquals(Map.of("auth/login 200", 2L, "auth/login 503", 1L, "cart/add 200", 1L), counts(buffer.drain()));
        assertTrue(buffer.drain().isEmpty(), "drained: nothing twice");
        buffer.add("auth", "/login", 200, B);
        assertEquals(Map.of("auth/login 200", 1L), counts(buffer.drain()));
    }

    @Test
    void batchesAnEarlierVersionLeftInTheStoreAreHandedOnWithTheFirstDrainAndDeleted() {
        KeyValueStore<String, byte[]> store = store();
        Shuffled.Batch left = new Shuffled.Batch("auth");
        left.add("/login", 503, B, 4);
        store.put("auth", ShuffledSerde.encode(left));
        IngestBuffer buffer = new IngestBuffer(store);
        buffer.add("auth", "/login", 503, B);
        buffer.add("auth", "/login", 200, B);
        assertEquals(Map.of("auth/login 200", 1L, "auth/login 503", 5L), counts(buffer.drain()));
        assertNull(store.get("auth"), "deleted with the hand-over that sent it");
        assertTrue(buffer.drain().isEmpty());
    }
}
