package dev.burnrate.app;

import dev.burnrate.core.StoreNames;
import dev.burnrate.it.KafkaTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.burnrate.alerts.AlertId;
import dev.burnrate.alerts.AlertState;
import dev.burnrate.metrics.ProcessorMetrics;
import dev.burnrate.query.StoreAccess;
import dev.burnrate.slo.SloConfig;
import dev.burnrate.windows.BucketStore;
import dev.burnrate.core.Counts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/** The real topology in a TopologyTestDriver, with helpers to feed JSON events and read alerts and dead letters. */
public final class TopologyHarness implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();

    public final TopologyTestDriver driver;
    public final TestInputTopic<byte[], byte[]> input;
    public final TestOutputTopic<String, byte[]> alerts;
    public final TestOutputTopic<byte[], byte[]> deadLetters;
    public final io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
            new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    public final ProcessorMetrics metrics = new ProcessorMetrics(registry);
    public final AppConfig cfg;
    public final SloConfig slos;
    private final Path stateDir;

    public TopologyHarness(SloConfig slos, Map<String, String> overrides, Instant wallClockStart) {
        try {
            stateDir = Files.createTempDirectory("ttd");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> values = new HashMap<>();
        values.put("idle.timeout", "30s");
        values.put("progress.interval", "1s");
        values.putAll(overrides);
        cfg = AppConfig.ofMap(values);
        this.slos = slos;
        var topology = TopologyFactory.build(cfg, slos, "test", 1, Application.decoder(cfg), Application.alertEncoder(cfg), metrics);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, props, wallClockStart);
        input = driver.createInputTopic("access-logs", Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        alerts = driver.createOutputTopic("slo-alerts", Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        deadLetters = driver.createOutputTopic("access-logs-dlq", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    public void send(long ts, String service, String route, int status) {
        String json = "{\"timestamp\":" + ts + ",\"service\":\"" + service + "\",\"route\":\"" + route + "\",\"method\":\"GET\",\"status\":" + status + "}";
        input.pipeInput(null, json.getBytes(StandardCharsets.UTF_8), ts);
    }

    /** An event with a duration in milliseconds (duration_ms), or none when durationMs is null. */
    public void send(long ts, String service, String route, int status, Double durationMs) {
        String json = "{\"timestamp\":" + ts + ",\"service\":\"" + service + "\",\"route\":\"" + route + "\",\"method\":\"GET\",\"status\":" + status
                + (durationMs == null ? "" : ",\"duration_ms\":" + durationMs) + "}";
        input.pipeInput(null, json.getBytes(StandardCharsets.UTF_8), ts);
    }

    public void sendRaw(byte[] value, long ts) {
        input.pipeInput(null, value, ts);
    }

    /** Lets the ingest task publish its progress (a wall-clock punctuation). */
    public void tick() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
    }

    public List<JsonNode> readAlerts() {
        List<JsonNode> out = new ArrayList<>();
        for (TestRecord<String, byte[]> r : alerts.readRecordsToList()) {
            try {
                out.add(JSON.readTree(r.value()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Counts of a window ending at an instant, read from the real bucket store. */
    public Counts window(String service, String route, Duration window, long atMs) {
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(StoreNames.BUCKETS);
        return new BucketStore(store, TopologyFactory.tierPlan(cfg, slos)).window(service, route, window, atMs);
    }

    /** The driver's stores as the query API reads them: one instance holding the one partition. */
    public StoreAccess storeAccess() {
        return new StoreAccess() {
            @Override
            public ReadOnlyKeyValueStore<Bytes, byte[]> buckets(int partition) {
                return driver.getKeyValueStore(StoreNames.BUCKETS);
            }

            @Override
            public ReadOnlyKeyValueStore<String, List<String>> routes(int partition) {
                return driver.getKeyValueStore(StoreNames.ROUTES);
            }

            @Override
            public ReadOnlyKeyValueStore<Integer, Long> progress(int partition) {
                return driver.getKeyValueStore(StoreNames.PROGRESS);
            }

            @Override
            public ReadOnlyKeyValueStore<AlertId, AlertState> alertStates(int partition) {
                return driver.getKeyValueStore(StoreNames.ALERT_STATE);
            }

            @Override
            public List<Integer> localPartitions() {
                return List.of(0);
            }

            @Override
            public int partitions() {
                return 1;
            }
        };
    }

    @Override
    public void close() {
        driver.close();
        KafkaTestSupport.deleteQuietly(stateDir);
    }
}
