package dev.burnrate.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * The RocksDB memory of all the processor's stores in one JVM, bounded: one block cache shared by every store, with
 * the index and filter blocks in it, and the memtables charged to it through one write buffer manager (Kafka
 * Streams' documented pattern for bounded memory). Kafka Streams' default gives each store instance its own 50 MB
 * cache and up to three 16 MB memtables: with 4 persistent stores per task and 4 tasks that is up to 1.5 GB, and
 * after a 30-day replay at 10k keys they held 390 MB for 22 MB of data on disk.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {
    /** Share of the cache kept for index and filter blocks, which every read needs. */
    private static final double INDEX_AND_FILTER_SHARE = 0.1;

    private record Shared(Cache cache, WriteBufferManager memtables) {
    }

    private static volatile Shared shared;

    /**
     * Sets the bound before Kafka Streams opens a store. One cache per JVM: processors started later in the same JVM
     * (tests, the benchmark) share the first one's.
     */
    public static synchronized void bound(long bytes) {
        if (shared != null) return;
        RocksDB.loadLibrary(); // before any store has opened, the native code is not loaded yet
        Cache cache = new LRUCache(bytes, -1, false, INDEX_AND_FILTER_SHARE);
        // memtables may take up to half; what they take is charged to the cache, so the total stays within bytes
        shared = new Shared(cache, new WriteBufferManager(bytes / 2, cache));
    }

    /** Bytes in the shared cache now (blocks, index and filter blocks, memtables), or -1 when no bound is set. */
    public static long usage() {
        Shared s = shared;
        return s == null ? -1 : s.cache().getUsage();
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Shared s = shared;
        if (s == null) return; // no bound set in this JVM: Kafka Streams' defaults
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(s.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(s.memtables());
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write buffer manager are shared by every store: they live as long as the JVM
    }
}
