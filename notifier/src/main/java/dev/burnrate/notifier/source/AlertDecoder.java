package dev.burnrate.notifier.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.burnrate.schema.AlertStatus;
import dev.burnrate.schema.Evidence;
import dev.burnrate.schema.RouteEvidence;
import dev.burnrate.schema.SloAlert;
import dev.burnrate.schema.StatusCodeEvidence;
import dev.burnrate.schema.WindowEvidence;
import dev.burnrate.serde.AlertAvroSerde;
import dev.burnrate.serde.ConfluentAvro;
import dev.burnrate.serde.SchemaResolver;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an alert record as the processor writes it (alerts.format): Confluent-framed Avro through the processor's
 * own serde, or the JSON form of {@code AlertJson} (the inverse of its {@code toTree}). Detected per record.
 */
public final class AlertDecoder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AlertAvroSerde avro;

    public AlertDecoder(Map<String, String> config) {
        this.avro = new AlertAvroSerde(SchemaResolver.fromConfig(config));
    }

    /** @throws IllegalArgumentException when the bytes are no alert record (the message says why) */
    public SloAlert decode(String topic, byte[] value) {
        if (value == null || value.length == 0) throw new IllegalArgumentException("empty record");
        try {
            if (ConfluentAvro.looksFramed(value)) return avro.deserializer().deserialize(topic, value);
            return fromJson(JSON.readTree(value));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an alert record: " + e.getMessage(), e);
        }
    }

    static SloAlert fromJson(JsonNode o) {
        JsonNode ev = o.path("evidence");
        List<WindowEvidence> windows = new ArrayList<>();
        for (JsonNode w : ev.path("windows")) {
            windows.add(new WindowEvidence(w.path("window").asText(), w.path("requests").asLong(), w.path("errors").asLong(),
                    w.path("errorRatio").asDouble(), w.path("burnRate").asDouble(), w.path("threshold").asDouble()));
        }
        List<RouteEvidence> routes = new ArrayList<>();
        for (JsonNode r : ev.path("topRoutes")) {
            routes.add(new RouteEvidence(r.path("route").asText(), r.path("requests").asLong(), r.path("errors").asLong(), r.path("errorRatio").asDouble()));
        }
        List<StatusCodeEvidence> codes = new ArrayList<>();
        for (JsonNode c : ev.path("topStatusCodes")) {
            codes.add(new StatusCodeEvidence(c.path("code").asInt(), c.path("count").asLong(), c.path("share").asDouble()));
        }
        return SloAlert.newBuilder()
                .setId(required(o, "id"))
                .setDedupKey(required(o, "dedupKey"))
                .setStatus(AlertStatus.valueOf(required(o, "status")))
                .setLabels(strings(o.path("labels")))
                .setAnnotations(strings(o.path("annotations")))
                .setStartsAt(Instant.parse(required(o, "startsAt")))
                .setEndsAt(o.path("endsAt").isTextual() ? Instant.parse(o.get("endsAt").asText()) : null)
                .setEvaluatedAt(Instant.parse(required(o, "evaluatedAt")))
                .setGeneratorURL(o.path("generatorURL").asText(""))
                .setEvidence(new Evidence(windows, routes, codes))
                .build();
    }

    private static String required(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual()) throw new IllegalArgumentException("no " + field);
        return n.asText();
    }

    private static Map<String, String> strings(JsonNode o) {
        Map<String, String> m = new LinkedHashMap<>();
        o.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asText()));
        return m;
    }
}
