package dev.burnrate.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as each shipper writes it to Kafka with its default settings (the shapes of the fixtures in
 * ShipperFormatsTest and OtlpDecoderTest, there copied from the tools' documentation), made for any time, service,
 * path, method and status, so an integration test can send many. OTLP records are batches that also hold one entry
 * that is no HTTP request (a log line, a CLIENT span): see {@link #skipsPerRecord()}.
 */
enum ShipperRecords {
    FILEBEAT_NGINX_LINE, FLUENT_BIT_NGINX_PARSER, VECTOR_REQUEST_LINE, K8S_DOCKER_NGINX_LINE, K8S_CRI_APP_JSON,
    VECTOR_K8S_APP_JSON, ISTIO_ENVOY, OTLP_LOGS_PROTO, OTLP_LOGS_JSON, OTLP_TRACES_PROTO, OTLP_TRACES_JSON;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME_LOCAL =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss xx", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** The event time each shape carries, to the precision it has: access lines have whole seconds. */
    long eventTime(long ms) {
        return switch (this) {
            case FILEBEAT_NGINX_LINE, K8S_DOCKER_NGINX_LINE -> ms - Math.floorMod(ms, 1000);
            default -> ms;
        };
    }

    /** Entries of the record that are no HTTP request: skipped, by reason. */
    Map<String, Integer> skipsPerRecord() {
        return switch (this) {
            case OTLP_LOGS_PROTO, OTLP_LOGS_JSON -> Map.of("not-http", 1);
            case OTLP_TRACES_PROTO, OTLP_TRACES_JSON -> Map.of("not-server-span", 1);
            default -> Map.of();
        };
    }

    byte[] bytes(long ms, String service, String path, String method, int status) throws Exception {
        String line = "10.0.3.7 - - [" + TIME_LOCAL.format(Instant.ofEpochMilli(ms)) + "] \"" + method + " " + path
                + " HTTP/1.1\" " + status + " 612 \"-\" \"curl/8.5.0\"";
        String iso = Instant.ofEpochMilli(ms).toString();
        String readLater = Instant.ofEpochMilli(ms + 95_000).toString();
        Map<String, Object> m = new LinkedHashMap<>();
        switch (this) {
            case FILEBEAT_NGINX_LINE -> {
                m.put("@timestamp", readLater);
                m.put("@metadata", Map.of("beat", "filebeat", "type", "_doc", "version", "8.15.0"));
                m.put("log", Map.of("offset", 1824, "file", Map.of("path", "/var/log/nginx/access.log")));
                m.put("message", line);
                m.put("input", Map.of("type", "filestream"));
                m.put("fields", Map.of("service", service));
                m.put("host", Map.of("name", "web-1"));
            }
            case FLUENT_BIT_NGINX_PARSER -> {
                m.put("@timestamp", ms / 1000.0);
                m.putAll(Map.of("remote", "10.0.3.7", "host", "-", "user", "-", "method", method, "path", path,
                        "code", Integer.toString(status), "size", "612", "referer", "-", "agent", "curl/8.5.0"));
                m.put("service", service);
            }
            case VECTOR_REQUEST_LINE -> {
                m.putAll(Map.of("agent", "curl/8.5.0", "client", "10.0.3.7", "request", method + " " + path + " HTTP/1.1",
                        "size", 612, "status", status, "timestamp", iso));
                m.put("service", service);
            }
            case K8S_DOCKER_NGINX_LINE -> {
                m.put("log", line + "\n");
                m.put("stream", "stdout");
                m.put("time", Instant.ofEpochMilli(ms + 210).toString());
                m.put("kubernetes", Map.of("pod_name", service + "-7d9f8-x2x9z", "namespace_name", "default",
                        "labels", Map.of("app", service), "host", "node3", "container_name", "nginx"));
            }
            case K8S_CRI_APP_JSON -> {
                m.put("time", readLater);
                m.put("stream", "stdout");
                m.put("logtag", "F");
                m.put("log", JSON.writeValueAsString(Map.of("timestamp", iso, "level", "info",
                        "http.request.method", method, "url.path", path, "http.response.status_code", status)));
                m.put("kubernetes", Map.of("pod_name", service + "-5b7c-qq2lp", "namespace_name", "shop",
                        "labels", Map.of("app.kubernetes.io/name", service), "container_name", "server"));
            }
            case VECTOR_K8S_APP_JSON -> {
                m.put("file", "/var/log/pods/shop_x/app/0.log");
                m.put("kubernetes", Map.of("container_name", "app", "pod_labels", Map.of("app", service), "pod_namespace", "shop"));
                m.put("message", JSON.writeValueAsString(Map.of("time", iso, "method", method, "path", path, "status", status)));
                m.put("source_type", "kubernetes_logs");
                m.put("stream", "stdout");
                m.put("timestamp", readLater);
            }
            case ISTIO_ENVOY -> {
                m.putAll(Map.of("start_time", iso, "method", method, "path", path, "protocol", "HTTP/1.1",
                        "response_code", status, "response_flags", "-", "duration", 12,
                        "upstream_cluster", "outbound|9080||" + service + ".default.svc.cluster.local"));
            }
            case OTLP_LOGS_PROTO -> {
                return logs(ms, service, path, method, status).toByteArray();
            }
            case OTLP_TRACES_PROTO -> {
                return traces(ms, service, path, method, status).toByteArray();
            }
            case OTLP_LOGS_JSON -> {
                return otlpJson("resourceLogs", service, "scopeLogs", "logRecords", List.of(
                        Map.of("timeUnixNano", Long.toString(ms * 1_000_000), "severityNumber", 9, "body", Map.of("stringValue", "served"),
                                "attributes", List.of(kv("http.request.method", method), kv("url.path", path),
                                        kv("http.response.status_code", status)), "traceId", "5b8efff798038103d269b633813fc60c", "spanId", ""),
                        Map.of("timeUnixNano", Long.toString(ms * 1_000_000), "severityNumber", 13, "body", Map.of("stringValue", "slow query"))));
            }
            case OTLP_TRACES_JSON -> {
                String end = Long.toString(ms * 1_000_000);
                String start = Long.toString((ms - 20) * 1_000_000);
                return otlpJson("resourceSpans", service, "scopeSpans", "spans", List.of(
                        Map.of("traceId", "0af7651916cd43dd8448eb211c80319c", "spanId", "b7ad6b7169203331", "name", method + " " + path,
                                "kind", 2, "startTimeUnixNano", start, "endTimeUnixNano", end,
                                "attributes", List.of(kv("http.request.method", method), kv("http.route", path),
                                        kv("http.response.status_code", status)), "status", Map.of()),
                        Map.of("traceId", "0af7651916cd43dd8448eb211c80319c", "spanId", "b7ad6b7169203332", "name", "SELECT",
                                "kind", 3, "startTimeUnixNano", start, "endTimeUnixNano", end, "status", Map.of())));
            }
        }
        return JSON.writeValueAsBytes(m);
    }

    /** The collector's otlp_json: compact, camelCase, 64-bit integers as strings. */
    private static byte[] otlpJson(String resourceKey, String service, String scopeKey, String entriesKey, List<Object> entries)
            throws Exception {
        Map<String, Object> resource = Map.of("attributes", List.of(kv("service.name", service)));
        return JSON.writeValueAsBytes(Map.of(resourceKey, List.of(Map.of("resource", resource,
                scopeKey, List.of(Map.of("scope", Map.of("name", "io.opentelemetry.tomcat-10.0"), entriesKey, entries))))));
    }

    private static Map<String, Object> kv(String key, Object value) {
        return Map.of("key", key, "value", value instanceof Integer i ? Map.of("intValue", i.toString()) : Map.of("stringValue", value));
    }

    private static KeyValue pkv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue pkv(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    private static LogsData logs(long ms, String service, String path, String method, int status) {
        long ns = ms * 1_000_000;
        return LogsData.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(pkv("service.name", service)))
                .addScopeLogs(ScopeLogs.newBuilder()
                        .addLogRecords(LogRecord.newBuilder().setTimeUnixNano(ns).setObservedTimeUnixNano(ns + 95_000_000_000L)
                                .addAttributes(pkv("http.request.method", method)).addAttributes(pkv("url.path", path))
                                .addAttributes(pkv("http.response.status_code", status)))
                        .addLogRecords(LogRecord.newBuilder().setTimeUnixNano(ns).setBody(AnyValue.newBuilder().setStringValue("slow query")))))
                .build();
    }

    private static TracesData traces(long ms, String service, String path, String method, int status) {
        long end = ms * 1_000_000, start = end - 20_000_000;
        ByteString trace = ByteString.copyFrom(new byte[16]);
        return TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(pkv("service.name", service)))
                .addScopeSpans(ScopeSpans.newBuilder()
                        .addSpans(Span.newBuilder().setTraceId(trace).setName("SELECT").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                                .setStartTimeUnixNano(start).setEndTimeUnixNano(end))
                        .addSpans(Span.newBuilder().setTraceId(trace).setName(method + " " + path).setKind(Span.SpanKind.SPAN_KIND_SERVER)
                                .setStartTimeUnixNano(start).setEndTimeUnixNano(end)
                                .addAttributes(pkv("http.request.method", method)).addAttributes(pkv("http.route", path))
                                .addAttributes(pkv("http.response.status_code", status)))))
                .build();
    }
}
