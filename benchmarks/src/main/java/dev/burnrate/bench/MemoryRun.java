package dev.burnrate.bench;

import dev.burnrate.core.StoreNames;
import dev.burnrate.app.AppConfig;
import dev.burnrate.app.Application;
import dev.burnrate.app.TopologyFactory;
import dev.burnrate.metrics.ProcessorMetrics;
import dev.burnrate.slo.SloConfig;
import dev.burnrate.windows.Watermark;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.common.utils.Bytes;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heap and state per active (service, route) key with a full SLO period of history, and restore time. K keys =
 * {@code --memory-services} (20) services x K/20 routes (the route cap raised to match), {@code --memory-days} (30) of
 * Zipf-distributed requests ending now ({@link History}): the period window is full. Few services with many routes,
 * because the replay's cost is mostly evaluation, once per service per 10 s instant: 30 days of 1,000 services
 * would take hours here; the state per route key does not depend on how routes spread over services. The processor runs with its defaults and replays it; once it has processed everything
 * (and accounted for every input record):
 * <ul>
 *   <li>heap: used heap after full GCs minus the same before the processor started (the broker shares the heap;
 *       its share is in the baseline);</li>
 *   <li>state: off-heap, the usage of the one RocksDB cache all stores share (state.memory.mb, the default; it holds
 *       the memtables and the index and filter blocks too; in one JVM it may still hold blocks of an earlier
 *       part's closed stores, never more than its capacity), or without it RocksDB's own figures summed over all
 *       stores and tasks (Kafka Streams' KIP-607 metrics: memtables, block cache, table readers); on disk, the
 *       state directory; and the number of keys;</li>
 *   <li>restore: the instance is closed, its state directory deleted, and a new instance with the same
 *       application.id started: seconds from start until RUNNING (all changelogs restored), with the records
 *       restored.</li>
 * </ul>
 */
final class MemoryRun {
    private static final Logger log = LoggerFactory.getLogger(MemoryRun.class);
    private static final List<String> ROCKS = List.of("size-all-mem-tables", "block-cache-usage", "estimate-table-readers-mem",
            "total-sst-files-size", "estimate-num-keys");

    private final String bootstrap;
    private final Admin admin;
    private final Path work;
    private final String rid;
    private final Benchmark.Options o;
    private final int keys;

    MemoryRun(String bootstrap, Admin admin, Path work, String rid, Benchmark.Options o, int keys) {
        this.bootstrap = bootstrap;
        this.admin = admin;
        this.work = work;
        this.rid = rid;
        this.o = o;
        this.keys = keys;
    }

    Map<String, Object> run() throws Exception {
        String appId = "bench-mem" + keys + "-" + rid;
        String input = appId + "-in";
        Kafka.createTopic(admin, input, o.partitions, Map.of(org.apache.kafka.common.config.TopicConfig.RETENTION_MS_CONFIG, "-1"));
        int services = Math.min(o.memoryServices, keys);
        History history = new History(services, keys / services, o.memoryDays, o.memoryTopRate);
        long tp = System.nanoTime();
        long events;
        long historyEnd = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> p = Kafka.bulkProducer(bootstrap)) {
            events = history.produce(p, input, o.partitions, historyEnd);
        }
        log.info("memory {}: {} events over {} days produced in {} s", keys, events, o.memoryDays, Benchmark.round((System.nanoTime() - tp) / 1e9, 1));
        long heapBefore = usedHeapAfterGc();
        // nothing the broker's retention could delete: the input topic has retention.ms=-1
        Map<String, String> cfg = Benchmark.processorConfig(bootstrap, appId, work, input);
        cfg.put("ingest.route.cap", Integer.toString(keys / services)); // every route its own key, none in the overflow route
        ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());
        Application app = Application.start(AppConfig.ofMap(cfg), SloConfig.defaultConfig(), metrics);
        long t0 = System.nanoTime();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keys", history.keys());
        m.put("services", services);
        m.put("routesPerService", keys / services);
        m.put("historyDays", o.memoryDays);
        m.put("topKeyRequestsPerHour", o.memoryTopRate);
        m.put("events", events);
        try {
            long t1 = Kafka.awaitProcessed(admin, appId, input, List.of(TopologyFactory.byServiceTopic(appId)),
                    Duration.ofSeconds(Math.max(180, events / 1000)), () -> (long) metrics.ingestedCount());
            // consumed is not done: a catch-up over 30 days goes on evaluating (in slices, across commits) after
            // the last record is read, and expiry only runs as the evaluation clock passes the hours
            t1 = awaitEvaluated(app.streams(), o.partitions, historyEnd - 60_000, t1 + Duration.ofSeconds(Math.max(600, events / 500)).toNanos());
            m.put("processSeconds", Benchmark.round((t1 - t0) / 1e9, 1));
            log.info("memory {}: processed and evaluated to the end of the history in {} s", keys, m.get("processSeconds"));
            m.put("counted", Counted.exactly("memory " + keys, events, Benchmark.counts(metrics)));
            Thread.sleep(1000);
            long heapAfter = usedHeapAfterGc();
            Map<String, Long> rocks = rocksMetrics(app.streams());
            long stateDirBytes = dirBytes(work.resolve(appId));
            long heapDelta = heapAfter - heapBefore;
            // with state.memory.mb (the default) every store reports the one shared cache, which also holds the
            // memtables and the index and filter blocks: its usage, once, is the RocksDB memory
            long shared = dev.burnrate.state.BoundedRocksDb.usage();
            long rocksMem = shared >= 0 ? shared
                    : rocks.get("size-all-mem-tables") + rocks.get("block-cache-usage") + rocks.get("estimate-table-readers-mem");
            m.put("rocksdbMemory", shared >= 0 ? "one shared cache (state.memory.mb): its usage" : "per-store caches and memtables, summed");
            int k = history.keys();
            m.put("heapDeltaBytes", heapDelta);
            m.put("heapBytesPerKey", heapDelta / k);
            m.put("rocksdb", rocks);
            m.put("rocksdbMemoryBytesPerKey", rocksMem / k);
            m.put("stateDirBytes", stateDirBytes);
            m.put("stateDirBytesPerKey", stateDirBytes / k);
            m.put("storeKeysPerActiveKey", Benchmark.round((double) rocks.get("estimate-num-keys") / k, 1));
            m.put("bucketEntries", bucketEntries(app.streams(), k, services));
            m.put("changelogRecords", changelogRecords(appId));
            long total = heapDelta + rocksMem + stateDirBytes;
            m.put("heapPlusStateBytes", total);
            m.put("heapPlusStateMiB", total >> 20);
        } finally {
            // leave the group on close: otherwise the restored instance waits out the old member's session timeout
            // (45 s) before it gets the tasks, and that wait would be measured as restore time
            app.streams().close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                    org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
            app.close();
        }
        m.put("restore", restore(cfg, appId));
        return m;
    }

    private Map<String, Object> restore(Map<String, String> cfgMap, String appId) throws Exception {
        Benchmark.deleteQuietly(work.resolve(appId));
        AppConfig cfg = AppConfig.ofMap(cfgMap);
        SloConfig slos = SloConfig.defaultConfig();
        ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());
        Topology topology = TopologyFactory.build(cfg, slos, appId, o.partitions, Application.decoder(cfg), Application.alertEncoder(cfg), metrics);
        KafkaStreams streams = new KafkaStreams(topology, Application.streamsProperties(cfg));
        AtomicLong restored = new AtomicLong();
        AtomicLong restoreNanos = new AtomicLong();
        AtomicLong firstStart = new AtomicLong(), lastEnd = new AtomicLong();
        Map<TopicPartition, Long> startedAt = new java.util.concurrent.ConcurrentHashMap<>();
        streams.setGlobalStateRestoreListener(new StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition tp, String store, long start, long end) {
                long now = System.nanoTime();
                startedAt.put(tp, now);
                firstStart.compareAndSet(0, now);
            }

            @Override
            public void onBatchRestored(TopicPartition tp, String store, long batchEnd, long n) {
                restored.addAndGet(n);
            }

            @Override
            public void onRestoreEnd(TopicPartition tp, String store, long total) {
                Long s = startedAt.get(tp);
                long now = System.nanoTime();
                if (s != null) restoreNanos.addAndGet(now - s);
                lastEnd.set(now);
            }
        });
        long t0 = System.nanoTime();
        streams.start();
        try {
            long deadline = t0 + Duration.ofSeconds(600).toNanos();
            while (streams.state() != KafkaStreams.State.RUNNING) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("not RUNNING after restore: " + streams.state());
                Thread.sleep(20);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("secondsToRunning", Benchmark.round((System.nanoTime() - t0) / 1e9, 2));
            m.put("restoringSeconds", firstStart.get() == 0 ? 0 : Benchmark.round((lastEnd.get() - firstStart.get()) / 1e9, 2));
            m.put("recordsRestored", restored.get());
            m.put("sumOfPartitionRestoreSeconds", Benchmark.round(restoreNanos.get() / 1e9, 2));
            m.put("how", "old instance closed leaving the group; state dir deleted; new KafkaStreams with the same application.id: "
                    + "secondsToRunning = start() until RUNNING (rebalance + restore), restoringSeconds = first changelog restore start to last end");
            return m;
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
    }

    /**
     * The bucket store's entries by tier, for the route keys and for the services' totals: how many per key and
     * their bytes (key + value as stored), read through interactive queries.
     */
    static Map<String, Object> bucketEntries(KafkaStreams streams, int routeKeys, int services) {
        ReadOnlyKeyValueStore<Bytes, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(StoreNames.BUCKETS,
                QueryableStoreTypes.<Bytes, byte[]>keyValueStore()));
        Map<Integer, long[]> routes = new TreeMap<>(), totals = new TreeMap<>(); // tier -> (entries, bytes)
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                byte[] key = kv.key.get();
                int sep = 1;
                while (key[sep] != 0) sep++;
                long[] c = (key[sep + 1] == 0 ? totals : routes).computeIfAbsent((int) key[0], t -> new long[2]);
                c[0]++;
                c[1] += key.length + kv.value.length;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("perRouteKey", perKey(routes, routeKeys));
        out.put("perServiceTotal", perKey(totals, services));
        return out;
    }

    private static Map<String, Object> perKey(Map<Integer, long[]> byTier, int keys) {
        Map<String, Object> out = new LinkedHashMap<>();
        long entries = 0, bytes = 0;
        for (Map.Entry<Integer, long[]> e : byTier.entrySet()) {
            long[] c = e.getValue();
            out.put("tier" + e.getKey(), Map.of("entriesPerKey", Benchmark.round((double) c[0] / keys, 2),
                    "bytesPerEntry", c[0] == 0 ? 0 : c[1] / c[0]));
            entries += c[0];
            bytes += c[1];
        }
        out.put("entries", entries);
        out.put("bytes", bytes);
        return out;
    }

    /** Records in each changelog topic of the app (end offsets: what a restore from scratch reads, compaction aside). */
    private Map<String, Long> changelogRecords(String appId) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        for (String t : Kafka.topics(admin, appId, "-changelog")) {
            out.put(t.substring(appId.length() + 1), Kafka.sum(Kafka.endOffsets(admin, Kafka.partitions(admin, t))));
        }
        return out;
    }

    static Map<String, Long> rocksMetrics(KafkaStreams streams) {
        Map<String, Long> out = new LinkedHashMap<>();
        ROCKS.forEach(n -> out.put(n, 0L));
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName n = e.getKey();
            if (!n.group().equals("stream-state-metrics") || !ROCKS.contains(n.name())) continue;
            Object v = e.getValue().metricValue();
            if (v instanceof Number num) out.merge(n.name(), num.longValue(), Long::sum);
        }
        return out;
    }

    /** Waits until every windows partition has evaluated the instants up to instantMs; returns when (nanoTime). */
    static long awaitEvaluated(KafkaStreams streams, int partitions, long instantMs, long deadlineNanos) throws InterruptedException {
        while (true) {
            boolean all = true;
            for (int p = 0; all && p < partitions; p++) {
                try {
                    ReadOnlyKeyValueStore<Integer, Long> progress = streams.store(StoreQueryParameters.fromNameAndType(
                            StoreNames.PROGRESS, QueryableStoreTypes.<Integer, Long>keyValueStore()).withPartition(p));
                    Long clock = progress.get(Watermark.CLOCK_KEY);
                    all = clock != null && clock >= instantMs;
                } catch (RuntimeException e) { // not queryable this moment
                    all = false;
                }
            }
            long now = System.nanoTime();
            if (all) return now;
            if (now > deadlineNanos) throw new IllegalStateException("the windows stage did not evaluate up to " + java.time.Instant.ofEpochMilli(instantMs) + " in time");
            Thread.sleep(200);
        }
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long dirBytes(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (Exception e) {
            return -1;
        }
    }
}
