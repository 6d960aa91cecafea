package dev.burnrate.app;

import dev.burnrate.core.StoreNames;
import dev.burnrate.alerts.AlertState;
import dev.burnrate.alerts.AlertId;
import dev.burnrate.alerts.AlertEncoder;
import dev.burnrate.alerts.AlertEvaluator;
import dev.burnrate.alerts.AlertRecords;
import dev.burnrate.ingest.EventDecoder;
import dev.burnrate.ingest.IngestProcessor;
import dev.burnrate.core.LatencyCounting;
import dev.burnrate.ingest.RouteNormalizer;
import dev.burnrate.core.Shuffled;
import dev.burnrate.core.ByServicePartitioner;
import dev.burnrate.core.ShuffledSerde;
import dev.burnrate.metrics.ProcessorMetrics;
import dev.burnrate.slo.AlertRule;
import dev.burnrate.slo.LatencySli;
import dev.burnrate.slo.GroupBy;
import dev.burnrate.slo.SloConfig;
import dev.burnrate.state.WriteBehindStore;
import dev.burnrate.windows.RouteRegistry;
import dev.burnrate.windows.TierPlan;
import dev.burnrate.windows.WindowProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The processor's topology, in two stages joined by the by-service topic:
 * <pre>
 *   access-logs -> ingest [ingest-buffer] --(dead letters)--> access-logs-dlq
 *                        \--(counts by service, progress marks to all)--> &lt;app-id&gt;-by-service
 *   &lt;app-id&gt;-by-service -> windows [routes, buckets, progress, alert-state] --> slo-alerts
 * </pre>
 */
public final class TopologyFactory {
    /** Windows the query API always offers, on top of those the SLO rules need. */
    public static final Set<Duration> STANDARD_WINDOWS = Set.of(Duration.ofMinutes(5), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(6), Duration.ofDays(1), Duration.ofDays(3));

    private TopologyFactory() {
    }

    public static String byServiceTopic(String applicationId) {
        return applicationId + "-by-service";
    }

    public static TierPlan tierPlan(AppConfig cfg, SloConfig slos) {
        Set<Duration> windows = new TreeSet<>(STANDARD_WINDOWS);
        windows.addAll(slos.allWindows());
        // the longest stretch of each SLO's period (a calendar month: 31 days and a DST hour), so its counts are kept
        Set<Duration> routeWindows = new TreeSet<>(windows);
        slos.slos().forEach(s -> windows.add(s.period().longest()));
        return new TierPlan(cfg.getDuration(AppKey.EVALUATION_INTERVAL), cfg.getDuration(AppKey.EVALUATION_EARLY_STEP), windows,
                routeWindows, service -> routesNeedPeriod(slos, service));
    }

    /**
     * Whether a service's routes are read over the SLO period: they are alert groups (groupBy service+route) or part
     * of one (a route selector), or a budget rule's evidence names the top routes over the period. Otherwise only the
     * service's total is (budget, period-long no-traffic guard), and its routes keep the shorter windows only.
     */
    static boolean routesNeedPeriod(SloConfig slos, String service) {
        return slos.slos().stream().anyMatch(s -> s.coversService(service) && (s.groupBy() != GroupBy.SERVICE
                || !s.selector().routes().isEmpty() || s.rules().stream().anyMatch(r -> r instanceof AlertRule.BudgetRule)));
    }

    /**
     * The longest guard window of any rule (the period for a budget rule) plus its bucket: after that long without
     * events no rule's condition changes any more (a no-traffic rule's stays true until traffic returns).
     */
    static Duration quietAfter(SloConfig slos, TierPlan plan) {
        Duration longest = Duration.ZERO;
        for (var slo : slos.slos()) {
            for (var rule : slo.rules()) {
                Duration guard = rule instanceof AlertRule.WindowRule w ? w.guardWindow() : slo.period().longest();
                Duration d = guard.plusMillis(plan.tierFor(guard).resolutionMs());
                if (d.compareTo(longest) > 0) longest = d;
            }
        }
        return longest;
    }

    /** Where the windows stage keeps its state. */
    public enum StateStores {
        /** Changelogged RocksDB stores without record cache: the processor's, restorable and movable. */
        PERSISTENT,
        /**
         * In-memory stores without changelog or cache, for a one-shot run in one process that never restores
         * (the backtest): same keys, same ordering (both sort by the serialized key), same code on top.
         */
        IN_MEMORY
    }

    /**
     * The two stages: their processors and the stores each one owns. {@link #build} joins them with topics; the
     * backtest drives the very same processors and stores directly, in one thread (see BacktestRunner).
     */
    public record Stages(ProcessorSupplier<byte[], byte[], Object, Object> ingest, List<StoreBuilder<?>> ingestStores,
                         ProcessorSupplier<String, Shuffled, String, byte[]> windows, List<StoreBuilder<?>> windowsStores) {
    }

    public static Stages stages(AppConfig cfg, SloConfig slos, int inputPartitions, EventDecoder decoder,
                                AlertEncoder alertEncoder, ProcessorMetrics metrics, StateStores stores) {
        TierPlan plan = tierPlan(cfg, slos);
        RouteNormalizer normalizer = RouteNormalizer.fromProperties(cfg.appValues());
        AlertRecords records = new AlertRecords(cfg.get(AppKey.ALERTS_GENERATOR_URL));
        Duration resolvedRetention = cfg.getDuration(AppKey.ALERTS_RESOLVED_RETENTION);
        LatencyCounting latency = LatencySli.counting(slos);
        // counted in memory and handed on before each commit; the store carries that pre-commit hook, and its
        // changelog gives back what an earlier version had left in it (a one-shot in-memory run needs no changelog)
        StoreBuilder<KeyValueStore<String, byte[]>> buffer = WriteBehindStore.builder(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.INGEST_BUFFER), Serdes.String(), Serdes.ByteArray())
                        .withLoggingEnabled(REWRITTEN_CHANGELOG));
        return new Stages(
                () -> new IngestProcessor(decoder, normalizer, cfg.getDuration(AppKey.LATENESS_GRACE),
                        cfg.getDuration(AppKey.IDLE_TIMEOUT), cfg.getDuration(AppKey.PROGRESS_INTERVAL), inputPartitions, metrics,
                        Duration.ofMillis(plan.earlyMs()), latency),
                List.of(stores == StateStores.IN_MEMORY ? buffer.withLoggingDisabled() : buffer),
                () -> new WindowProcessor(plan, cfg.getInt(AppKey.INGEST_ROUTE_CAP), cfg.get(AppKey.INGEST_ROUTE_OVERFLOW), metrics,
                        (context, routes, buckets) -> new AlertEvaluator(slos, records, alertEncoder, resolvedRetention, metrics, context, routes, buckets),
                        quietAfter(slos, plan),
                        // the backtest evaluates in one thread without transactions: nothing to slice
                        stores == StateStores.IN_MEMORY ? null : cfg.getDuration(AppKey.EVALUATION_CATCHUP_SLICE)),
                // counts are merged in memory and written before each commit: no record cache needed
                List.of(WriteBehindStore.builder(store(stores, StoreNames.BUCKETS, Serdes.Bytes(), Serdes.ByteArray(), BUCKETS_CHANGELOG)),
                        store(stores, StoreNames.ROUTES, Serdes.String(), RouteRegistry.ROUTES_SERDE),
                        store(stores, StoreNames.PROGRESS, Serdes.Integer(), Serdes.Long(), REWRITTEN_CHANGELOG),
                        store(stores, StoreNames.ALERT_STATE, AlertId.SERDE, AlertState.SERDE, REWRITTEN_CHANGELOG)));
    }

    public static Topology build(AppConfig cfg, SloConfig slos, String applicationId, int inputPartitions,
                                 EventDecoder decoder, AlertEncoder alertEncoder, ProcessorMetrics metrics) {
        Stages stages = stages(cfg, slos, inputPartitions, decoder, alertEncoder, metrics, StateStores.PERSISTENT);
        String byService = byServiceTopic(applicationId);
        Topology t = new Topology();
        t.addSource("access-logs", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), cfg.get(AppKey.INPUT_TOPIC));
        t.addProcessor("ingest", stages.ingest(), "access-logs");
        stages.ingestStores().forEach(s -> t.addStateStore(s, "ingest"));
        t.addSink(IngestProcessor.TO_DEAD_LETTERS, cfg.get(AppKey.DLQ_TOPIC), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), "ingest");
        t.addSink(IngestProcessor.TO_BY_SERVICE, byService, Serdes.String().serializer(), new ShuffledSerde().serializer(), new ByServicePartitioner(), "ingest");

        t.addSource("by-service-source", Serdes.String().deserializer(), new ShuffledSerde().deserializer(), byService);
        t.addProcessor("windows", stages.windows(), "by-service-source");
        stages.windowsStores().forEach(s -> t.addStateStore(s, "windows"));
        t.addSink(AlertEvaluator.TO_ALERTS, cfg.get(AppKey.ALERTS_TOPIC), Serdes.String().serializer(), Serdes.ByteArray().serializer(), "windows");
        return t;
    }

    private static <K, V> StoreBuilder<KeyValueStore<K, V>> store(StateStores kind, String name, Serde<K> keys, Serde<V> values) {
        return store(kind, name, keys, values, Map.of());
    }

    private static <K, V> StoreBuilder<KeyValueStore<K, V>> store(StateStores kind, String name, Serde<K> keys, Serde<V> values,
                                                                  Map<String, String> changelog) {
        if (kind == StateStores.IN_MEMORY) {
            return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values).withLoggingDisabled();
        }
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), keys, values).withLoggingEnabled(changelog);
    }

    /**
     * Changelog settings of the stores rewritten at every commit or instant (the ingest buffer, the buckets, the
     * progress marks and clocks, the states of active alerts). A restore reads the whole changelog, and the log
     * cleaner never compacts the active segment: with Kafka's defaults (segment.ms 7 days, segment.bytes 1 GiB) it
     * held hours of rewrites of the same keys (a 30-day replay at 10k keys restored 33.5M records into stores holding
     * about 0.3M buckets). A segment per minute and a cleaner that starts at 20% dirty keep a restore near the live
     * state. Applied when Kafka Streams creates the topics; existing changelogs keep theirs.
     */
    static final Map<String, String> REWRITTEN_CHANGELOG = Map.of(
            TopicConfig.SEGMENT_MS_CONFIG, "60000",
            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.2");

    /**
     * The buckets' keys hold their bucket's start, so an expired bucket's delete is the last record of its key, kept
     * by compaction for delete.retention.ms (1 day by default: a day of 10s buckets per key, more than all live
     * buckets together). A minute is enough here: a restore that misses a delete gets back a bucket older than every
     * window it could be read for, and the first expiry after the start, which scans the whole store, deletes it.
     */
    static final Map<String, String> BUCKETS_CHANGELOG = withEntry(REWRITTEN_CHANGELOG, TopicConfig.DELETE_RETENTION_MS_CONFIG, "60000");

    private static Map<String, String> withEntry(Map<String, String> base, String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(base);
        m.put(key, value);
        return Map.copyOf(m);
    }
}
