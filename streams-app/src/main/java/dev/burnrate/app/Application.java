package dev.burnrate.app;

import dev.burnrate.state.BoundedRocksDb;
import dev.burnrate.alerts.AlertEncoder;
import dev.burnrate.alerts.AlertJson;
import dev.burnrate.ingest.AvroAccessLogDecoder;
import dev.burnrate.ingest.EventDecoder;
import dev.burnrate.ingest.OtlpDecoder;
import dev.burnrate.ingest.FieldMappings;
import dev.burnrate.ingest.JsonAccessLogParser;
import dev.burnrate.metrics.ProcessorMetrics;
import dev.burnrate.serde.AlertAvroSerde;
import dev.burnrate.serde.SchemaResolver;
import dev.burnrate.slo.SloConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.burnrate.query.SliGauges;
import dev.burnrate.query.AlertHistory;
import dev.burnrate.query.AlertHistoryReader;
import dev.burnrate.query.Cluster;
import dev.burnrate.query.HttpApi;
import dev.burnrate.query.LocalQueries;
import dev.burnrate.query.QueryService;
import dev.burnrate.query.QueryUnavailableException;
import dev.burnrate.query.StreamsStoreAccess;
import dev.burnrate.windows.Watermark;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running instance of the processor: topics checked, topology built, Kafka Streams started. */
public final class Application implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Application.class);
    public static final String DEFAULT_APPLICATION_ID = "burnrate";
    /** Alert episodes the page's history keeps in memory (the newest). */
    static final int ALERT_HISTORY_EPISODES = 5000;

    private final KafkaStreams streams;
    private final boolean firstRun;
    private final HttpApi http;
    private final AlertHistoryReader historyReader;
    private final int httpPort;
    private final LocalState localState;

    private Application(KafkaStreams streams, boolean firstRun, HttpApi http, AlertHistoryReader historyReader, int httpPort,
                        LocalState localState) {
        this.localState = localState;
        this.streams = streams;
        this.firstRun = firstRun;
        this.http = http;
        this.historyReader = historyReader;
        this.httpPort = httpPort;
    }

    public static Application start(AppConfig cfg, SloConfig slos, ProcessorMetrics metrics) throws InterruptedException {
        Properties props = streamsProperties(cfg);
        String appId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        TopicSetup.Result topics;
        try (Admin admin = Admin.create(adminProperties(props))) {
            topics = TopicSetup.ensure(admin, cfg, appId);
        }
        int inputPartitions = topics.inputPartitions();
        Topology topology = TopologyFactory.build(cfg, slos, appId, inputPartitions, decoder(cfg), alertEncoder(cfg), metrics);

        // the HTTP server starts first: with http.port=0 its port is only known then, and Kafka Streams must be
        // told (application.server) where other instances reach this one before it starts
        HttpApi http = null;
        AlertHistoryReader historyReader = null;
        int httpPort = -1;
        if (cfg.getBoolean(AppKey.HTTP_ENABLED)) {
            if (!(metrics.registry() instanceof PrometheusMeterRegistry prometheus)) {
                throw new IllegalArgumentException("the HTTP API needs a Prometheus meter registry for /metrics");
            }
            http = new HttpApi(prometheus, new HttpApi.Limits(cfg.getDuration(AppKey.QUERY_MAX_RANGE), cfg.getInt(AppKey.QUERY_MAX_POINTS),
                    cfg.getInt(AppKey.QUERY_MAX_ROUTES), cfg.getDuration(AppKey.EVALUATION_INTERVAL)), cfg.get(AppKey.HTTP_AUTH_TOKEN));
            String bind = cfg.get(AppKey.HTTP_BIND_ADDRESS);
            try {
                httpPort = http.start(bind, cfg.getInt(AppKey.HTTP_PORT));
            } catch (RuntimeException e) {
                throw new ConfigException("http.port: cannot listen on " + bind + ":" + cfg.getInt(AppKey.HTTP_PORT) + ": " + e.getMessage());
            }
            String host = bind.equals("0.0.0.0") || bind.equals("::") ? "localhost" : bind;
            props.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, host + ":" + httpPort);
        }
        InstanceIdentity.apply(props); // static membership: a restarted instance is the same member at once
        LocalState localState = LocalState.open(props); // before Kafka Streams opens the state of a crashed run
        if (cfg.getInt(AppKey.STATE_MEMORY_MB) > 0) BoundedRocksDb.bound((long) cfg.getInt(AppKey.STATE_MEMORY_MB) << 20);
        KafkaStreams streams = new KafkaStreams(topology, props);
        new KafkaStreamsMetrics(streams).bindTo(metrics.registry());
        if (http != null) {
            StreamsStoreAccess stores = new StreamsStoreAccess(streams, TopologyFactory.byServiceTopic(appId), inputPartitions);
            LocalQueries local = new LocalQueries(slos, TopologyFactory.tierPlan(cfg, slos), stores, TopologyFactory.STANDARD_WINDOWS);
            HostInfo self = HostInfo.buildFromEndpoint(props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG));
            SliGauges sli = new SliGauges(metrics.registry(), local::summaries, local::alerts, cfg.getInt(AppKey.METRICS_SLI_MAX_SERVICES));
            AlertHistory history = new AlertHistory(alertDecoder(cfg), ALERT_HISTORY_EPISODES);
            historyReader = new AlertHistoryReader(props, cfg.get(AppKey.ALERTS_TOPIC), history).start();
            http.attach(new QueryService(local, history, Cluster.of(streams, self), cfg.get(AppKey.HTTP_AUTH_TOKEN), new ObjectMapper()),
                    () -> notReadyReason(streams, stores), sli::refresh);
        }
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        log.info("processor started: application.id={}, input {} ({} partitions), alerts to {} as {}, {} SLO(s), guarantee {}",
                appId, cfg.get(AppKey.INPUT_TOPIC), inputPartitions, cfg.get(AppKey.ALERTS_TOPIC), cfg.get(AppKey.ALERTS_FORMAT),
                slos.slos().size(), props.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        if (http != null) {
            log.info("on-call page on http://{}:{}/ui/, query API under /api/services (also /api/alerts, /health, /ready, /metrics); application.server={}",
                    cfg.get(AppKey.HTTP_BIND_ADDRESS), httpPort, props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG));
        }
        return new Application(streams, topics.inputCreated(), http, historyReader, httpPort, localState);
    }

    /** Ready = RUNNING and every local windows store queryable; otherwise the reason. */
    private static String notReadyReason(KafkaStreams streams, StreamsStoreAccess stores) {
        if (streams.state() != KafkaStreams.State.RUNNING) return "Kafka Streams is " + streams.state();
        try {
            for (int p : stores.localPartitions()) stores.progress(p).get(Watermark.CLOCK_KEY);
            return null;
        } catch (QueryUnavailableException e) {
            return e.getMessage();
        }
    }

    /** Kafka Streams properties: the configured Kafka keys over the processor's defaults. */
    public static Properties streamsProperties(AppConfig cfg) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, ".data/state");
        String globalHandler = "processing.exception.handler.global.enabled"; // 4.3 warns without it; the future default
        p.put(globalHandler, "true");
        // and again for the main consumer: its partition assignor builds its own StreamsConfig from the consumer's
        // settings and would log the same warning at every start
        p.put(StreamsConfig.mainConsumerPrefix(globalHandler), "true");
        // Streams' exactly-once default is 10s: a starved machine (or a long GC) aborts transactions and moves tasks.
        // Longer costs read_committed readers up to this long a wait when an instance dies mid-transaction.
        p.put(StreamsConfig.producerPrefix(org.apache.kafka.clients.producer.ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), "30000");
        // failover in seconds (README, "Failover and restarts"): a dead instance is noticed after 6s (the broker's minimum) instead
        // of 45s, and a warm copy of every task's state is kept on another instance, so it takes over with little to restore
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1500");
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");
        // every task reads one partition (the input's, or the by-service topic's), so there is nothing to wait for across
        // partitions; at the default (0), Kafka Streams 4.3 formats a log line with String.format for every empty task
        // at every turn of its loop, debug level or not (BENCHMARKS.md, 15:17)
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, String.valueOf(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
        // one RocksDB cache for all stores (bound set in start): per-store defaults grow to 1.5 GB with 16 stores
        if (cfg.getInt(AppKey.STATE_MEMORY_MB) > 0) p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
        // the main consumer's fetches wait for 64 KB or 50 ms instead of returning as soon as one record is there: at a
        // live pace the stream thread then goes round its loop (poll, process, punctuate, commit check) once per batch,
        // not once per few records: a quarter less CPU per record at 10,000 records/s, for at most 50 ms per hop of
        // alert latency (BENCHMARKS.md, 14:33). Not set when the configuration sets either, in any form.
        Map<String, String> set = cfg.kafka();
        defaultMainConsumer(p, set, org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "65536");
        defaultMainConsumer(p, set, org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        p.putAll(set);
        return p;
    }

    /** Sets key for the main consumer unless the configured Kafka properties ({@code set}) have it in any form. */
    private static void defaultMainConsumer(Properties p, Map<String, String> set, String key, String value) {
        if (set.containsKey(key) || set.containsKey(StreamsConfig.consumerPrefix(key)) || set.containsKey(StreamsConfig.mainConsumerPrefix(key))) return;
        p.put(StreamsConfig.mainConsumerPrefix(key), value);
    }

    private static Map<String, Object> adminProperties(Properties streams) {
        Map<String, Object> m = new HashMap<>();
        for (String k : org.apache.kafka.clients.admin.AdminClientConfig.configNames()) {
            if (streams.containsKey(k)) m.put(k, streams.get(k));
        }
        return m;
    }

    public static EventDecoder decoder(AppConfig cfg) {
        Map<String, String> values = cfg.appValues();
        JsonAccessLogParser json = new JsonAccessLogParser(FieldMappings.fromProperties(values));
        AvroAccessLogDecoder avro = new AvroAccessLogDecoder(SchemaResolver.fromConfig(values));
        OtlpDecoder otlp = new OtlpDecoder(json);
        return new EventDecoder(cfg.getInt(AppKey.INGEST_MAX_RECORD_BYTES), (v, ts, sink) -> sink.event(json.parse(v, ts)),
                (v, ts, sink) -> sink.event(avro.decode(v)), otlp::decodeProto, otlp::decodeJson);
    }

    /** Reads an alerts-topic record back into the JSON form of {@link AlertJson}, whatever alerts.format is. */
    public static java.util.function.Function<byte[], com.fasterxml.jackson.databind.JsonNode> alertDecoder(AppConfig cfg) {
        if (cfg.get(AppKey.ALERTS_FORMAT).equals("avro")) {
            AlertAvroSerde serde = new AlertAvroSerde(SchemaResolver.fromConfig(cfg.appValues()));
            String topic = cfg.get(AppKey.ALERTS_TOPIC);
            return v -> AlertJson.toTree(serde.deserializer().deserialize(topic, v));
        }
        ObjectMapper mapper = new ObjectMapper();
        return v -> {
            try {
                return mapper.readTree(v);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    public static AlertEncoder alertEncoder(AppConfig cfg) {
        String format = cfg.get(AppKey.ALERTS_FORMAT);
        return switch (format) {
            case "json" -> new AlertJson();
            case "avro" -> {
                AlertAvroSerde serde = new AlertAvroSerde(SchemaResolver.fromConfig(cfg.appValues()));
                String topic = cfg.get(AppKey.ALERTS_TOPIC);
                yield a -> serde.serializer().serialize(topic, a);
            }
            default -> throw new ConfigException("alerts.format: must be json or avro, got '" + format + "'");
        };
    }

    public KafkaStreams streams() {
        return streams;
    }


    /** Waits until the instance is RUNNING (all tasks assigned and restored). */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("not RUNNING after " + timeout + ": " + streams.state());
            Thread.sleep(50);
        }
    }

    /** The HTTP API's port, or -1 when it is disabled. */
    public int httpPort() {
        return httpPort;
    }

    /** Whether this start created the input topic (nothing was there from an earlier run). */
    public boolean firstRun() {
        return firstRun;
    }

    @Override
    public void close() {
        if (http != null) http.close();
        if (historyReader != null) historyReader.close();
        // a static member does not leave the group by itself: on a clean stop it must, or its partitions wait for its session to expire
        boolean clean = streams.close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
        if (clean) localState.closedCleanly();
        log.info(clean ? "processor stopped" : "processor did not stop within 30s; its tasks will move after the session timeout");
    }
}
