package dev.burnrate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The peer: the Kafka Streams DSL app a team writes first. Jackson parses each record into a tree; the service,
 * route and status are looked up under the conventions the input uses (the same ones, so the peer does the same
 * work); the route loses its query string and numeric/UUID segments by regex; then groupBy
 * service|route|status-family (a repartition topic) and a 1-minute tumbling windowed count in RocksDB (grace 5m, which
 * drops nothing when a backlog is caught up). Event time is the record timestamp (the input's CreateTime is the
 * event time). The aggregator counts its own invocations so the harness can check that every record reached a window.
 */
final class NaivePeer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID_SEGMENT = Pattern.compile("/(\\d+|[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}|[0-9a-f]{8,})(?=/|$)");

    final LongAdder parsed = new LongAdder();
    final LongAdder windowUpdates = new LongAdder();

    KafkaStreams build(Properties props, String inputTopic) {
        StreamsBuilder b = new StreamsBuilder();
        b.stream(inputTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .mapValues(NaivePeer.this::groupKey)
                .filter((k, v) -> v != null)
                .groupBy((k, v) -> v, Grouped.with("by-route-family", Serdes.String(), Serdes.String()))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofMinutes(5)))
                .aggregate(() -> 0L, (k, v, count) -> {
                    windowUpdates.increment();
                    return count + 1;
                }, Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("counts").withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        return new KafkaStreams(b.build(), props);
    }

    /** service|route|family, or null for a record it cannot read. */
    String groupKey(byte[] value) {
        JsonNode n;
        try {
            n = JSON.readTree(value);
        } catch (Exception e) {
            return null;
        }
        parsed.increment();
        String service = text(n, "service", "service.name", "upstream_cluster");
        String route = text(n, "route", "http.route", "url.path", "request_uri", "path", "endpoint");
        String status = text(n, "status", "status_code", "http.response.status_code", "response_code", "http.status_code");
        if (service == null || status == null) return null;
        if (route == null) route = "/";
        int q = route.indexOf('?');
        if (q >= 0) route = route.substring(0, q);
        route = ID_SEGMENT.matcher(route).replaceAll("/{id}");
        return service + "|" + route + "|" + status.charAt(0) + "xx";
    }

    /** The first of the names present, as a dotted key or as nested objects. */
    private static String text(JsonNode n, String... names) {
        for (String name : names) {
            JsonNode v = n.get(name);
            if (v == null && name.indexOf('.') > 0) {
                v = n;
                for (String part : name.split("\\.")) {
                    v = v == null ? null : v.get(part);
                }
            }
            if (v != null && !v.isNull() && !v.isContainerNode()) return v.asText();
        }
        return null;
    }

    static Properties properties(String bootstrap, String appId, String stateDir, String guarantee) {
        Properties p = new Properties();
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put("processing.exception.handler.global.enabled", "true");
        return p;
    }
}
