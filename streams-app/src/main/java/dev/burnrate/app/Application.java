package dev.burnrate.app;

import dev.burnrate.alerts.AlertEncoder;
import dev.burnrate.alerts.AlertJson;
import dev.burnrate.ingest.AvroAccessLogDecoder;
import dev.burnrate.ingest.EventDecoder;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running instance of the processor: topics checked, topology built, Kafka Streams started. */
public final class Application implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Application.class);
    public static final String DEFAULT_APPLICATION_ID = "burnrate";

    private final KafkaStreams streams;
    private final String applicationId;
    private final boolean firstRun;

    private Application(KafkaStreams streams, String applicationId, boolean firstRun) {
        this.streams = streams;
        this.applicationId = applicationId;
        this.firstRun = firstRun;
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
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        log.info("processor started: application.id={}, input {} ({} partitions), alerts to {} as {}, {} SLO(s), guarantee {}",
                appId, cfg.get(AppKey.INPUT_TOPIC), inputPartitions, cfg.get(AppKey.ALERTS_TOPIC), cfg.get(AppKey.ALERTS_FORMAT),
                slos.slos().size(), props.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        return new Application(streams, appId, topics.inputCreated());
    }

    /** Kafka Streams properties: the configured Kafka keys over the processor's defaults. */
    public static Properties streamsProperties(AppConfig cfg) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, ".data/state");
        p.put("processing.exception.handler.global.enabled", "true"); // 4.3 warns without it; the future default
        p.putAll(cfg.kafka());
        return p;
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
        return new EventDecoder(cfg.getInt(AppKey.INGEST_MAX_RECORD_BYTES), json::parse, (v, ts) -> avro.decode(v));
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

    public String applicationId() {
        return applicationId;
    }

    /** Waits until the instance is RUNNING (all tasks assigned and restored). */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("not RUNNING after " + timeout + ": " + streams.state());
            Thread.sleep(50);
        }
    }

    /** Whether this start created the input topic (nothing was there from an earlier run). */
    public boolean firstRun() {
        return firstRun;
    }

    @Override
    public void close() {
        boolean clean = streams.close(Duration.ofSeconds(30));
        log.info(clean ? "processor stopped" : "processor did not stop within 30s; its tasks will move after the session timeout");
    }
}
