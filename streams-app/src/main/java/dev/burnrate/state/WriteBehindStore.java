package dev.burnrate.state;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A changelogged key-value store whose owner keeps its live state in memory and writes what changed just before
 * each commit: counting needs no store operation per event, and what a commit covers is durable with it.
 *
 * <p>Why an internal Kafka Streams type: in 4.3 the one hook that runs before a task's input offsets go into its
 * transaction is {@code ProcessorStateManager.flushCache()}, called from {@code StreamTask.prepareCommit}, which
 * calls {@code CachedStateStore.flushCache()} on every registered store implementing it (Kafka's own caching stores
 * emit through it). {@code StateStore.flush()} / {@code commit()} run after the transaction: writes made there
 * would land in the next transaction, and a crash in between would lose counts whose input offsets were already
 * committed. {@link WrappedStateStore} implements {@code CachedStateStore}; this class is the only place that
 * relies on it, and {@code WriteBehindCommitOrderTest} (a real broker, exactly-once) fails if an upgrade changes
 * the order. {@link #beforeCommitForwarding} also sets the current processor node, through Kafka Streams'
 * internal processor context, so the hook may forward; the same test pins that what it forwards commits with the
 * offsets.
 */
public final class WriteBehindStore<K, V> extends WrappedStateStore<KeyValueStore<K, V>, K, V> implements KeyValueStore<K, V> {
    private Runnable beforeCommit = () -> { };

    private WriteBehindStore(KeyValueStore<K, V> inner) {
        super(inner);
    }

    /**
     * Wraps a store builder: the built store is this class around what {@code inner} builds (give it logging, so
     * what the owner writes before a commit reaches the changelog in the same transaction).
     */
    public static <K, V> StoreBuilder<KeyValueStore<K, V>> builder(StoreBuilder<KeyValueStore<K, V>> inner) {
        return new Builder<>(inner);
    }

    /** The write-behind store behind what {@code ProcessorContext.getStateStore} returned (it may be wrapped). */
    @SuppressWarnings("unchecked")
    public static <K, V> WriteBehindStore<K, V> of(StateStore store) {
        if (store instanceof WriteBehindStore<?, ?> w) return (WriteBehindStore<K, V>) w;
        if (store instanceof WrappedStateStore<?, ?, ?> wrapped) {
            WriteBehindStore<?, ?> inner = wrapped.findInner(WriteBehindStore.class);
            if (inner != null) return (WriteBehindStore<K, V>) inner;
        }
        throw new IllegalArgumentException("store " + store.name() + " is not a write-behind store");
    }

    /** What the owner runs before each commit of its task: write the in-memory changes to this store. */
    public void beforeCommit(Runnable action) {
        this.beforeCommit = action;
    }

    /**
     * As {@link #beforeCommit}, for an owner that forwards records from the hook: what it forwards goes into the
     * transaction of the commit, with the input offsets it covers. Outside {@code process()} and {@code punctuate()}
     * Kafka Streams has no current processor node and {@code forward()} refuses; Kafka's caching stores set the node
     * (and a record context, as for a punctuation) around their pre-commit emits ({@code TimestampedCacheFlushListener}),
     * and so does this. Call it from the owner's {@code init()}, where the current node is the owner. A context that is
     * not Kafka Streams' own (a mock, the backtest's) needs none of it.
     */
    public void beforeCommitForwarding(ProcessorContext<?, ?> context, Runnable action) {
        if (!(context instanceof InternalProcessorContext<?, ?> internal)) {
            beforeCommit(action);
            return;
        }
        ProcessorNode<?, ?, ?, ?> owner = internal.currentNode();
        beforeCommit(() -> {
            ProcessorNode<?, ?, ?, ?> node = internal.currentNode();
            ProcessorRecordContext record = internal.recordContext();
            internal.setCurrentNode(owner);
            internal.setRecordContext(new ProcessorRecordContext(internal.currentSystemTimeMs(), -1, -1, null, new RecordHeaders()));
            try {
                action.run();
            } finally {
                internal.setCurrentNode(node);
                internal.setRecordContext(record);
            }
        });
    }

    /**
     * Forgets the hook: a store is closed when its task is, and a task closed dirty (an aborted transaction) keeps
     * its processors until they are initialized again. Their in-memory state belongs to the aborted transaction; a
     * pre-commit flush before that init must not write or forward it. Init registers the hook again.
     */
    @Override
    public void close() {
        beforeCommit = () -> { };
        super.close();
    }

    @Override
    public void flushCache() {
        beforeCommit.run();
        super.flushCache(); // a cache below, if any, flushes what was just written
    }

    @Override
    public void put(K key, V value) {
        wrapped().put(key, value);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return wrapped().putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        wrapped().putAll(entries);
    }

    @Override
    public V delete(K key) {
        return wrapped().delete(key);
    }

    @Override
    public V get(K key) {
        return wrapped().get(key);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return wrapped().all();
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
    }

    private record Builder<K, V>(StoreBuilder<KeyValueStore<K, V>> inner) implements StoreBuilder<KeyValueStore<K, V>> {
        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
            return new Builder<>(inner.withCachingEnabled());
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
            return new Builder<>(inner.withCachingDisabled());
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(Map<String, String> config) {
            return new Builder<>(inner.withLoggingEnabled(config));
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
            return new Builder<>(inner.withLoggingDisabled());
        }

        @Override
        public KeyValueStore<K, V> build() {
            return new WriteBehindStore<>(inner.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
