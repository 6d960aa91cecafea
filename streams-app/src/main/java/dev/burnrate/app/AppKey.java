package dev.burnrate.app;

import java.time.Duration;
import java.util.function.Function;

/**
 * The application's own configuration keys, their defaults and types. config/application.properties documents each;
 * keep the two in step (AppKeyDocumentationTest checks it).
 */
public enum AppKey {
    INPUT_TOPIC("input.topic", "access-logs", String.class),
    DLQ_TOPIC("dlq.topic", "access-logs-dlq", String.class),
    ALERTS_TOPIC("alerts.topic", "slo-alerts", String.class),
    ALERTS_FORMAT("alerts.format", "json", String.class),
    ALERTS_RESOLVED_RETENTION("alerts.resolved.retention", "15m", Duration.class),
    ALERTS_GENERATOR_URL("alerts.generator.url", "http://localhost:8080", String.class),
    SLO_FILE("slo.file", "", String.class),
    TOPICS_CREATE("topics.create", "true", Boolean.class),
    TOPICS_REPLICATION_FACTOR("topics.replication.factor", "-1", Integer.class),
    INPUT_PARTITIONS("input.partitions", "4", Integer.class),
    INGEST_MAX_RECORD_BYTES("ingest.max.record.bytes", "65536", Integer.class),
    INGEST_ROUTE_CAP("ingest.route.cap", "200", Integer.class),
    INGEST_ROUTE_OVERFLOW("ingest.route.overflow", "other", String.class),
    INGEST_ROUTE_NORMALIZE("ingest.route.normalize", "true", Boolean.class),
    INGEST_ROUTE_PLACEHOLDER("ingest.route.placeholder", "{id}", String.class),
    INGEST_JSON_DIMENSIONS("ingest.json.dimensions", "", String.class),
    LATENESS_GRACE("lateness.grace", "2m", Duration.class),
    IDLE_TIMEOUT("idle.timeout", "30s", Duration.class),
    PROGRESS_INTERVAL("progress.interval", "200ms", Duration.class),
    EVALUATION_INTERVAL("evaluation.interval", "10s", Duration.class),
    EVALUATION_EARLY_STEP("evaluation.early.step", "250ms", Duration.class),
    EVALUATION_CATCHUP_SLICE("evaluation.catchup.slice", "2s", Duration.class),
    STATE_MEMORY_MB("state.memory.mb", "256", Integer.class),
    AVRO_SCHEMA_ID_ACCESS_LOG("avro.schema.id.access-log-event", "1", Integer.class),
    AVRO_SCHEMA_ID_ALERT("avro.schema.id.alert", "2", Integer.class),
    SCHEMA_REGISTRY_URL("schema.registry.url", "", String.class),
    SCHEMA_REGISTRY_AUTH("schema.registry.basic.auth.user.info", "", String.class),
    EMBEDDED_DATA_DIR("embedded.data.dir", ".data/kafka", String.class),
    EMBEDDED_PORT("embedded.port", "9092", Integer.class),
    DEMO_ENABLED("demo.enabled", "auto", String.class),
    DEMO_SPEEDUP("demo.speedup", "30", Integer.class),
    DEMO_RATE("demo.rate", "400", Integer.class),
    LOG_SUMMARY_INTERVAL("log.summary.interval", "10s", Duration.class),
    HTTP_ENABLED("http.enabled", "true", Boolean.class),
    HTTP_BIND_ADDRESS("http.bind.address", "127.0.0.1", String.class),
    HTTP_PORT("http.port", "8080", Integer.class),
    HTTP_AUTH_TOKEN("http.auth.token", "", String.class),
    QUERY_MAX_RANGE("query.max.range", "30d", Duration.class),
    QUERY_MAX_POINTS("query.max.points", "1000", Integer.class),
    QUERY_MAX_ROUTES("query.max.routes", "100", Integer.class),
    METRICS_SLI_MAX_SERVICES("metrics.sli.max.services", "100", Integer.class);

    /** Keys under these prefixes are application keys read by a component (e.g. JSON field mappings). */
    private static final String[] PREFIXES = {"ingest.json.field."};

    public final String key;
    public final String defaultValue;
    final Function<String, Object> type;

    AppKey(String key, String defaultValue, Class<?> type) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.type = AppConfig.type(type);
    }

    public static AppKey byKey(String key) {
        for (AppKey k : values()) if (k.key.equals(key)) return k;
        return null;
    }

    static boolean isPrefixed(String key) {
        for (String p : PREFIXES) if (key.startsWith(p)) return true;
        return false;
    }
}
