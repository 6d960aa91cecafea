package dev.burnrate.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class WriteBehindStoreTest {
    @Test
    void aClosedStoreRunsNoHookUntilItsOwnerRegistersOneAgain() {
        KeyValueStore<String, Long> built = WriteBehindStore.builder(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("s"), Serdes.String(), Serdes.Long()).withLoggingDisabled()).build();
        built.init(new MockProcessorContext<>().getStateStoreContext(), built);
        WriteBehindStore<String, Long> store = WriteBehindStore.of(built);
        AtomicInteger runs = new AtomicInteger();
        store.beforeCommit(runs::incrementAndGet);
        store.flushCache();
        assertEquals(1, runs.get());
        // closed with its task (dirty, say): the owner's in-memory state is the aborted transaction's
        store.close();
        store.flushCache();
        assertEquals(1, runs.get(), "the hook of the closed owner ran");
        built.init(new MockProcessorContext<>().getStateStoreContext(), built);
        store.beforeCommit(runs::incrementAndGet); // the owner's init, again
        store.flushCache();
        assertEquals(2, runs.get());
    }
}
