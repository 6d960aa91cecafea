package dev.burnrate.ingest;

import static dev.burnrate.ingest.ShipperFormatsTest.assertEvent;
import static dev.burnrate.ingest.ShipperFormatsTest.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.core.SkipReason;
import dev.burnrate.core.DeadLetterReason;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The OpenTelemetry Collector's kafka exporter output for logs and traces, in both encodings: {@code otlp_proto}
 * built with the official generated classes, {@code otlp_json} written by the collector's marshalling rules (compact,
 * camelCase, 64-bit integers as strings, hex trace/span ids, enums as numbers). Decoded by the processor's own
 * decoder, so the per-record encoding detection is part of what is tested.
 */
class OtlpDecoderTest {
    static final long T0 = 1_732_200_000_000_000_000L; // 2024-11-21T14:40:00Z in ns

    static CollectingSink decode(byte[] value) throws InvalidRecordException {
        CollectingSink sink = new CollectingSink();
        ShipperFormatsTest.DECODER.decode(value, ShipperFormatsTest.RECORD_TS, sink);
        return sink;
    }

    static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue kv(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    static ByteString hex(String h) {
        return ByteString.copyFrom(HexFormat.of().parseHex(h));
    }

    static Resource resource(KeyValue... attributes) {
        return Resource.newBuilder().addAllAttributes(List.of(attributes)).build();
    }

    // ---- logs ----

    /** An app's HTTP server logs via the OTel SDK (current semantic conventions), one older-convention record, one
     * log line that is no request, and the filelog receiver's nginx line in the body. */
    static LogsData logsBatch() {
        Resource res = resource(kv("service.name", "cart"), kv("service.version", "1.4.2"),
                kv("k8s.deployment.name", "cart-deploy"), kv("telemetry.sdk.language", "java"));
        ScopeLogs scope = ScopeLogs.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.tomcat-10.0").setVersion("2.10.0"))
                .addLogRecords(LogRecord.newBuilder().setTimeUnixNano(T0 + 123_000_000).setObservedTimeUnixNano(T0 + 900_000_000)
                        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO).setSeverityText("INFO")
                        .setBody(AnyValue.newBuilder().setStringValue("request served"))
                        .addAttributes(kv("http.request.method", "POST")).addAttributes(kv("http.route", "/cart/{id}/items"))
                        .addAttributes(kv("url.path", "/cart/981/items")).addAttributes(kv("http.response.status_code", 503))
                        .setTraceId(hex("5b8efff798038103d269b633813fc60c")).setSpanId(hex("eee19b7ec3c1b174")))
                .addLogRecords(LogRecord.newBuilder().setTimeUnixNano(T0 + 2_000_000_000L).setObservedTimeUnixNano(T0 + 2_100_000_000L)
                        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO).setSeverityText("INFO")
                        .addAttributes(kv("http.method", "GET")).addAttributes(kv("http.target", "/cart/981?x=1"))
                        .addAttributes(kv("http.status_code", 200)))
                .addLogRecords(LogRecord.newBuilder().setTimeUnixNano(T0 + 3_000_000_000L)
                        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN).setSeverityText("WARN")
                        .setBody(AnyValue.newBuilder().setStringValue("cache miss ratio above 0.5")))
                .build();
        ScopeLogs filelog = ScopeLogs.newBuilder()
                .addLogRecords(LogRecord.newBuilder().setObservedTimeUnixNano(T0 + 60_000_000_000L)
                        .setBody(AnyValue.newBuilder().setStringValue(
                                "10.0.3.7 - - [21/Nov/2024:14:40:05 +0000] \"GET /healthz HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.29\""))
                        .addAttributes(kv("log.file.name", "access.log")))
                .build();
        return LogsData.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder().setResource(res).addScopeLogs(scope)
                        .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0"))
                .addResourceLogs(ResourceLogs.newBuilder().setResource(resource(kv("service.name", "edge"))).addScopeLogs(filelog))
                .build();
    }

    /** {@link #logsBatch()} as the collector's otlp_json encoding writes it. */
    static final String LOGS_JSON = """
            {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}},\
            {"key":"service.version","value":{"stringValue":"1.4.2"}},{"key":"k8s.deployment.name","value":{"stringValue":"cart-deploy"}},\
            {"key":"telemetry.sdk.language","value":{"stringValue":"java"}}]},"scopeLogs":[{"scope":{"name":"io.opentelemetry.tomcat-10.0",\
            "version":"2.10.0"},"logRecords":[{"timeUnixNano":"1732200000123000000","observedTimeUnixNano":"1732200000900000000",\
            "severityNumber":9,"severityText":"INFO","body":{"stringValue":"request served"},"attributes":[{"key":"http.request.method",\
            "value":{"stringValue":"POST"}},{"key":"http.route","value":{"stringValue":"/cart/{id}/items"}},{"key":"url.path",\
            "value":{"stringValue":"/cart/981/items"}},{"key":"http.response.status_code","value":{"intValue":"503"}}],\
            "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"},{"timeUnixNano":"1732200002000000000",\
            "observedTimeUnixNano":"1732200002100000000","severityNumber":9,"severityText":"INFO","body":{},"attributes":[\
            {"key":"http.method","value":{"stringValue":"GET"}},{"key":"http.target","value":{"stringValue":"/cart/981?x=1"}},\
            {"key":"http.status_code","value":{"intValue":"200"}}],"traceId":"","spanId":""},{"timeUnixNano":"1732200003000000000",\
            "observedTimeUnixNano":"0","severityNumber":13,"severityText":"WARN","body":{"stringValue":"cache miss ratio above 0.5"},\
            "traceId":"","spanId":""}]}],"schemaUrl":"https://opentelemetry.io/schemas/1.24.0"},{"resource":{"attributes":[\
            {"key":"service.name","value":{"stringValue":"edge"}}]},"scopeLogs":[{"scope":{},"logRecords":[{"timeUnixNano":"0",\
            "observedTimeUnixNano":"1732200060000000000","body":{"stringValue":"10.0.3.7 - - [21/Nov/2024:14:40:05 +0000] \\"GET /healthz HTTP/1.1\\" 200 2 \\"-\\" \\"kube-probe/1.29\\""},\
            "attributes":[{"key":"log.file.name","value":{"stringValue":"access.log"}}],"traceId":"","spanId":""}]}]}]}""";

    static void assertLogEvents(CollectingSink got) {
        assertEquals(3, got.events.size(), () -> "events " + got.events);
        assertEvent(got.events.get(0), "cart", "/cart/{id}/items", "POST", 503, ms("2024-11-21T14:40:00.123Z"));
        assertEvent(got.events.get(1), "cart", "/cart/981?x=1", "GET", 200, ms("2024-11-21T14:40:02Z"));
        // the access line's own time, not the receiver's observed time a minute later
        assertEvent(got.events.get(2), "edge", "/healthz", "GET", 200, ms("2024-11-21T14:40:05Z"));
        assertEquals(List.of(SkipReason.NOT_HTTP), got.skipped, "the cache warning is no request");
    }

    @Test
    void logsBatchOtlpProto() throws Exception {
        byte[] value = logsBatch().toByteArray();
        assertEquals(0x0A, value[0]);
        assertLogEvents(decode(value));
    }

    @Test
    void logsBatchOtlpJson() throws Exception {
        assertLogEvents(decode(LOGS_JSON.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void logBodyAsAMapCountsAsTopLevelFields() throws Exception {
        LogsData d = LogsData.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(resource(kv("service.name", "api")))
                .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder().setTimeUnixNano(T0)
                        .setBody(AnyValue.newBuilder().setKvlistValue(io.opentelemetry.proto.common.v1.KeyValueList.newBuilder()
                                .addValues(kv("status", 404)).addValues(kv("path", "/nope")).addValues(kv("method", "get"))))))).build();
        assertEvent(decode(d.toByteArray()).single(), "api", "/nope", "GET", 404, ms("2024-11-21T14:40:00Z"));
    }

    // ---- traces ----

    static Span.Builder span(Span.SpanKind kind, String name, long startOffsetMs, long durationMs) {
        return Span.newBuilder().setTraceId(hex("0af7651916cd43dd8448eb211c80319c")).setSpanId(hex("b7ad6b7169203331"))
                .setName(name).setKind(kind)
                .setStartTimeUnixNano(T0 + startOffsetMs * 1_000_000).setEndTimeUnixNano(T0 + (startOffsetMs + durationMs) * 1_000_000);
    }

    /** A server's spans: an HTTP SERVER span (current conventions), its CLIENT and INTERNAL children, an HTTP SERVER
     * span with the older conventions, and a gRPC SERVER span. */
    static TracesData tracesBatch() {
        ScopeSpans scope = ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.netty-4.1"))
                .addSpans(span(Span.SpanKind.SPAN_KIND_SERVER, "GET /orders/{id}", 0, 250)
                        .addAttributes(kv("http.request.method", "GET")).addAttributes(kv("http.route", "/orders/{id}"))
                        .addAttributes(kv("url.path", "/orders/77")).addAttributes(kv("http.response.status_code", 500))
                        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)))
                .addSpans(span(Span.SpanKind.SPAN_KIND_CLIENT, "GET", 10, 200)
                        .addAttributes(kv("http.request.method", "GET")).addAttributes(kv("url.full", "http://stock:8080/stock/77"))
                        .addAttributes(kv("http.response.status_code", 500)))
                .addSpans(span(Span.SpanKind.SPAN_KIND_INTERNAL, "render", 220, 5))
                .addSpans(span(Span.SpanKind.SPAN_KIND_SERVER, "HTTP POST", 1000, 40)
                        .addAttributes(kv("http.method", "POST")).addAttributes(kv("http.target", "/orders"))
                        .addAttributes(kv("http.status_code", 201)))
                .addSpans(span(Span.SpanKind.SPAN_KIND_SERVER, "orders.Orders/Get", 2000, 3)
                        .addAttributes(kv("rpc.system", "grpc")).addAttributes(kv("rpc.grpc.status_code", 0)))
                .build();
        return TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(resource(kv("service.name", "orders"), kv("k8s.container.name", "app"))).addScopeSpans(scope)).build();
    }

    static final String TRACES_JSON = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"orders"}},\
            {"key":"k8s.container.name","value":{"stringValue":"app"}}]},"scopeSpans":[{"scope":{"name":"io.opentelemetry.netty-4.1"},\
            "spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","parentSpanId":"","name":"GET /orders/{id}",\
            "kind":2,"startTimeUnixNano":"1732200000000000000","endTimeUnixNano":"1732200000250000000","attributes":[\
            {"key":"http.request.method","value":{"stringValue":"GET"}},{"key":"http.route","value":{"stringValue":"/orders/{id}"}},\
            {"key":"url.path","value":{"stringValue":"/orders/77"}},{"key":"http.response.status_code","value":{"intValue":"500"}}],\
            "status":{"code":2}},{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","parentSpanId":"",\
            "name":"GET","kind":3,"startTimeUnixNano":"1732200000010000000","endTimeUnixNano":"1732200000210000000","attributes":[\
            {"key":"http.request.method","value":{"stringValue":"GET"}},{"key":"url.full","value":{"stringValue":"http://stock:8080/stock/77"}},\
            {"key":"http.response.status_code","value":{"intValue":"500"}}],"status":{}},{"traceId":"0af7651916cd43dd8448eb211c80319c",\
            "spanId":"b7ad6b7169203331","parentSpanId":"","name":"render","kind":1,"startTimeUnixNano":"1732200000220000000",\
            "endTimeUnixNano":"1732200000225000000","status":{}},{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331",\
            "parentSpanId":"","name":"HTTP POST","kind":2,"startTimeUnixNano":"1732200001000000000","endTimeUnixNano":"1732200001040000000",\
            "attributes":[{"key":"http.method","value":{"stringValue":"POST"}},{"key":"http.target","value":{"stringValue":"/orders"}},\
            {"key":"http.status_code","value":{"intValue":"201"}}],"status":{}},{"traceId":"0af7651916cd43dd8448eb211c80319c",\
            "spanId":"b7ad6b7169203331","parentSpanId":"","name":"orders.Orders/Get","kind":2,"startTimeUnixNano":"1732200002000000000",\
            "endTimeUnixNano":"1732200002003000000","attributes":[{"key":"rpc.system","value":{"stringValue":"grpc"}},\
            {"key":"rpc.grpc.status_code","value":{"intValue":"0"}}],"status":{}}]}]}]}""";

    static void assertSpanEvents(CollectingSink got) {
        assertEquals(2, got.events.size(), () -> "events " + got.events);
        // one event per HTTP SERVER span, at its end, with its duration
        assertEvent(got.events.get(0), "orders", "/orders/{id}", "GET", 500, ms("2024-11-21T14:40:00.250Z"));
        assertEquals(250.0, got.events.get(0).durationMs());
        assertEvent(got.events.get(1), "orders", "/orders", "POST", 201, ms("2024-11-21T14:40:01.040Z"));
        assertEquals(40.0, got.events.get(1).durationMs());
        assertEquals(List.of(SkipReason.NOT_SERVER_SPAN, SkipReason.NOT_SERVER_SPAN, SkipReason.NOT_HTTP), got.skipped);
    }

    @Test
    void tracesBatchOtlpProto() throws Exception {
        byte[] value = tracesBatch().toByteArray();
        assertEquals(0x0A, value[0]);
        assertSpanEvents(decode(value));
    }

    @Test
    void tracesBatchOtlpJson() throws Exception {
        assertSpanEvents(decode(TRACES_JSON.getBytes(StandardCharsets.UTF_8)));
    }

    // ---- bad batches ----

    @Test
    void aTruncatedBatchIsOneDeadLetterAndGivesNothing() {
        byte[] whole = logsBatch().toByteArray();
        CollectingSink sink = new CollectingSink();
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> ShipperFormatsTest.DECODER.decode(Arrays.copyOf(whole, whole.length - 7), 0, sink));
        assertEquals(DeadLetterReason.UNDECODABLE, e.reason());
        assertTrue(sink.events.isEmpty() && sink.skipped.isEmpty());
        String json = LOGS_JSON.substring(0, LOGS_JSON.length() - 40);
        e = assertThrows(InvalidRecordException.class, () -> decode(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(DeadLetterReason.UNDECODABLE, e.reason());
        assertTrue(e.getMessage().startsWith("malformed OTLP/JSON batch"), e.getMessage());
    }

    @Test
    void aMetricsBatchOnTheTopicIsNotTakenForLogsOrTraces() {
        MetricsData m = MetricsData.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(resource(kv("service.name", "cart")))
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("http.server.request.duration")
                        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsDouble(1).setTimeUnixNano(T0)))))).build();
        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> decode(m.toByteArray()));
        assertEquals(DeadLetterReason.UNDECODABLE, e.reason());
    }

    @Test
    void aBatchWithBadEntriesGivesItsGoodOnesThenIsDeadLetteredOnce() {
        TracesData.Builder b = tracesBatch().toBuilder();
        b.getResourceSpansBuilder(0).getScopeSpansBuilder(0)
                .addSpans(span(Span.SpanKind.SPAN_KIND_SERVER, "GET", 3000, 1).addAttributes(kv("http.response.status_code", 0)));
        CollectingSink sink = new CollectingSink();
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> ShipperFormatsTest.DECODER.decode(b.build().toByteArray(), 0, sink));
        assertEquals(DeadLetterReason.STATUS_OUT_OF_RANGE, e.reason());
        assertTrue(e.getMessage().contains("1 of 6 spans invalid"), e.getMessage());
        assertEquals(2, sink.events.size(), "the good spans stand");
        assertEquals(3, sink.skipped.size());
    }

    @Test
    void anEmptyBatchIsADeadLetter() {
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> decode("{\"resourceLogs\":[]}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(DeadLetterReason.UNDECODABLE, e.reason());
    }
}
