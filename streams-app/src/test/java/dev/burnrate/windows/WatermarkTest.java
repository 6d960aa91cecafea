package dev.burnrate.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.burnrate.core.StoreNames;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The evaluation clock reaches the store (which the query API reads as it is) only when flushed before a commit,
 * with the buckets it was evaluated on; the windows stage itself sees it at once, and a restart reads what was flushed.
 */
class WatermarkTest {
    @Test
    void clockReachesTheStoreOnlyWithTheFlushBeforeACommit() {
        KeyValueStore<Integer, Long> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.PROGRESS),
                Serdes.Integer(), Serdes.Long()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        Watermark w = new Watermark(store);
        w.sawEvent(5_000);
        w.evaluated(10_000);
        w.earlyEvaluated(10_500);
        assertEquals(10_000, w.lastEvaluated());
        assertEquals(10_500, w.earlyEvaluated());
        assertNull(store.get(Watermark.CLOCK_KEY), "a reader finding the clock before the flush would miss counts still in memory");

        w.flush();
        assertEquals(10_000L, store.get(Watermark.CLOCK_KEY));
        w.evaluated(20_000);
        assertEquals(10_000L, store.get(Watermark.CLOCK_KEY));

        Watermark restarted = new Watermark(store); // a crash before the next commit: back to the flushed clocks
        assertEquals(10_000, restarted.lastEvaluated());
        assertEquals(10_500, restarted.earlyEvaluated());
        assertEquals(5_000, restarted.lastEvent());
        assertEquals(5_000, restarted.firstEvent());
    }
}
