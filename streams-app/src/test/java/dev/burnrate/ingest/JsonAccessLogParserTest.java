package dev.burnrate.ingest;

import dev.burnrate.core.DeadLetterReason;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonAccessLogParserTest {

    /** 2024-11-21T14:40:00.123Z */
    static final long T = 1_732_200_000_123L;
    /** the Kafka record timestamp passed to every parse; distinct from T so a fallback is visible */
    static final long RECORD_TS = 1_700_000_000_000L;

    private final JsonAccessLogParser parser = new JsonAccessLogParser();

    static AccessEvent parse(JsonAccessLogParser p, String json) throws InvalidRecordException {
        return p.parse(json.getBytes(StandardCharsets.UTF_8), RECORD_TS);
    }

    AccessEvent parse(String json) throws InvalidRecordException {
        return parse(parser, json);
    }

    InvalidRecordException reject(String json, DeadLetterReason reason) {
        return reject(json.getBytes(StandardCharsets.UTF_8), reason);
    }

    InvalidRecordException reject(byte[] value, DeadLetterReason reason) {
        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> parser.parse(value, RECORD_TS));
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    static void assertContains(String haystack, String needle) {
        assertTrue(haystack.contains(needle), () -> "expected '" + needle + "' in: " + haystack);
    }

    @Nested
    class Conventions {

        @Test
        void elasticCommonSchemaFromFilebeat() throws Exception {
            // Filebeat / Elastic Agent nginx integration output, ECS 8.x, nested objects
            AccessEvent e = parse("""
                    {"@timestamp":"2024-11-21T14:40:00.123Z",
                     "agent":{"type":"filebeat","version":"8.15.0"},
                     "ecs":{"version":"8.11.0"},
                     "event":{"dataset":"nginx.access","kind":"event","category":["web"],"duration":12345000,
                              "created":"2024-11-21T14:40:02.000Z"},
                     "service":{"name":"checkout","type":"nginx"},
                     "http":{"version":"1.1","request":{"method":"POST","bytes":812},
                             "response":{"status_code":503,"body":{"bytes":157}}},
                     "url":{"path":"/api/orders/42","original":"/api/orders/42?expand=items","query":"expand=items"},
                     "source":{"ip":"203.0.113.9"},
                     "user_agent":{"original":"curl/8.4.0"},
                     "host":{"name":"web-1","ip":["10.0.0.5","fe80::1"]},
                     "cloud":{"provider":"aws","region":"eu-west-1"},
                     "tags":["nginx","edge"]}
                    """);
            assertEquals(new AccessEvent(T, "checkout", "/api/orders/42", "POST", 503, 12.345,
                    Map.of("cloud.region", "eu-west-1")), e);
        }

        @Test
        void openTelemetryLogRecordWithResourceAndAttributeObjects() throws Exception {
            // one OTel log record with its resource, attributes as objects (current semconv)
            AccessEvent e = parse("""
                    {"timeUnixNano":"1732200000123456789","observedTimeUnixNano":"1732200001000000000",
                     "severityText":"INFO","body":"GET /cart/981 200",
                     "resource":{"attributes":{"service.name":"cart","service.version":"2.3.1",
                                               "k8s.cluster.name":"prod-eu","k8s.namespace.name":"shop"}},
                     "attributes":{"url.path":"/cart/981","http.route":"/cart/{id}","http.request.method":"GET",
                                   "http.response.status_code":200,"server.address":"cart.shop.svc"}}
                    """);
            assertEquals(new AccessEvent(T, "cart", "/cart/{id}", "GET", 200, Double.NaN,
                    Map.of("k8s.cluster.name", "prod-eu")), e);
        }

        @Test
        void openTelemetryOtlpJsonKeyValueArraysWithOlderSemconv() throws Exception {
            // OTLP/JSON encoding: attributes as key/value arrays, int64 as strings; timeUnixNano 0 means unset
            AccessEvent e = parse("""
                    {"timeUnixNano":"0","observedTimeUnixNano":"1732200000123000000",
                     "resource":{"attributes":[
                        {"key":"service.name","value":{"stringValue":"payments"}},
                        {"key":"telemetry.sdk.language","value":{"stringValue":"java"}},
                        {"key":"process.command_args","value":{"arrayValue":{"values":[{"stringValue":"java"}]}}}]},
                     "attributes":[
                        {"key":"http.method","value":{"stringValue":"post"}},
                        {"key":"http.target","value":{"stringValue":"/v1/charges/ch_3PLx?idempotent=1"}},
                        {"key":"http.status_code","value":{"intValue":"502"}},
                        {"key":"net.peer.name","value":{"stringValue":"stripe.example"}}],
                     "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"}
                    """);
            assertEquals(new AccessEvent(T, "payments", "/v1/charges/ch_3PLx?idempotent=1", "POST", 502, Double.NaN,
                    Map.of()), e);
        }

        @Test
        void nginxJsonLogFormatWithStringsEverywhere() throws Exception {
            // log_format json escape=json '{"time_iso8601":"$time_iso8601",...,"status":"$status",...}'
            // plus a static "service" added in the log_format; every value is a string
            AccessEvent e = parse("""
                    {"time_iso8601":"2024-11-21T15:40:00+01:00","time_local":"21/Nov/2024:15:40:00 +0100",
                     "remote_addr":"203.0.113.9","request_method":"GET","request_uri":"/search?q=kafka&page=2",
                     "server_protocol":"HTTP/1.1","status":"502","body_bytes_sent":"157","request_time":"0.250",
                     "upstream_response_time":"0.249","upstream_addr":"10.0.3.7:8080","http_referer":"",
                     "http_user_agent":"Mozilla/5.0","host":"shop.example.com","server_name":"shop.example.com",
                     "service":"storefront"}
                    """);
            assertEquals(new AccessEvent(1_732_200_000_000L, "storefront", "/search?q=kafka&page=2", "GET", 502,
                    250.0, Map.of()), e);
        }

        @Test
        void nginxWithoutServiceFieldIsMissingServiceNotTheHostname() {
            InvalidRecordException ex = reject("""
                    {"time_iso8601":"2024-11-21T15:40:00+01:00","request_method":"GET","request_uri":"/",
                     "status":"200","request_time":"0.001","host":"shop.example.com","server_name":"shop.example.com"}
                    """, DeadLetterReason.MISSING_SERVICE);
            assertContains(ex.getMessage(), "service.name");
        }

        @Test
        void nginxServiceMappedFromServerNameByConfiguration() throws Exception {
            JsonAccessLogParser p = new JsonAccessLogParser(
                    FieldMappings.fromProperties(Map.of("ingest.json.field.service", "server_name")));
            AccessEvent e = parse(p, """
                    {"time_local":"21/Nov/2024:15:40:00 +0100","request_method":"HEAD","request_uri":"/healthz",
                     "status":"204","request_time":"0.000","server_name":"shop.example.com"}
                    """);
            assertEquals(new AccessEvent(1_732_200_000_000L, "shop.example.com", "/healthz", "HEAD", 204, 0.0,
                    Map.of()), e);
        }

        @Test
        void istioEnvoyDefaultJsonAccessLog() throws Exception {
            // Istio meshConfig.accessLogEncoding=JSON default fields (client-side sidecar, outbound)
            AccessEvent e = parse("""
                    {"authority":"reviews:9080","bytes_received":0,"bytes_sent":358,
                     "connection_termination_details":null,"downstream_local_address":"10.96.1.2:9080",
                     "downstream_remote_address":"10.244.0.12:51234","duration":24,"method":"GET",
                     "path":"/reviews/0?foo=bar","protocol":"HTTP/1.1",
                     "request_id":"9b1c7a52-45b8-9d3e-a2f1-3c1e8a8f1c4b","requested_server_name":null,
                     "response_code":503,"response_code_details":"upstream_reset_before_response_started{connection_failure}",
                     "response_flags":"UF","route_name":"default","start_time":"2024-11-21T14:40:00.123Z",
                     "upstream_cluster":"outbound|9080||reviews.default.svc.cluster.local",
                     "upstream_host":"10.244.0.15:9080","upstream_local_address":"10.244.0.12:43210",
                     "upstream_service_time":null,"upstream_transport_failure_reason":null,
                     "user_agent":"Mozilla/5.0","x_forwarded_for":null}
                    """);
            assertEquals(new AccessEvent(T, "reviews", "/reviews/0?foo=bar", "GET", 503, 24.0, Map.of()), e);
        }

        @Test
        void istioInboundClusterWithoutHostGivesNoService() {
            reject("""
                    {"start_time":"2024-11-21T14:40:00.123Z","method":"GET","path":"/reviews/0","response_code":200,
                     "duration":3,"upstream_cluster":"inbound|9080||","route_name":"default"}
                    """, DeadLetterReason.MISSING_SERVICE);
            reject("""
                    {"start_time":"2024-11-21T14:40:00.123Z","method":"GET","path":"/","response_code":200,
                     "upstream_cluster":"PassthroughCluster"}
                    """, DeadLetterReason.MISSING_SERVICE);
        }

        @Test
        void serviceFieldBeatsEnvoyClusterDerivation() throws Exception {
            AccessEvent e = parse("""
                    {"service":"productpage","upstream_cluster":"outbound|9080||reviews.default.svc.cluster.local",
                     "response_code":200,"path":"/","start_time":"2024-11-21T14:40:00.123Z"}
                    """);
            assertEquals("productpage", e.service());
        }

        @Test
        void envoyNoResponseStatusZeroIsOutOfRange() {
            InvalidRecordException ex = reject("""
                    {"start_time":"2024-11-21T14:40:00.123Z","method":"GET","path":"/x","response_code":0,
                     "response_flags":"DC","duration":1,"upstream_cluster":"outbound|80||web.prod.svc.cluster.local"}
                    """, DeadLetterReason.STATUS_OUT_OF_RANGE);
            assertContains(ex.getMessage(), "status 0");
            assertContains(ex.getMessage(), "response_code");
        }

        @Test
        void fluentBitEpochSecondsAsDouble() throws Exception {
            // Fluent Bit (tail + json parser, kafka output): time key "date" as epoch seconds with fraction
            AccessEvent e = parse("""
                    {"date":1732200000.123,"service":"search","path":"/search","method":"get","status":"500",
                     "latency_ms":"87.5","kubernetes":{"pod_name":"search-7d9f","namespace_name":"shop",
                     "labels":{"app":"search"}},"stream":"stdout"}
                    """);
            assertEquals(new AccessEvent(T, "search", "/search", "GET", 500, 87.5, Map.of()), e);
        }

        @Test
        void fluentBitElasticsearchStyleTimestamp() throws Exception {
            AccessEvent e = parse("""
                    {"@timestamp":"2024-11-21T14:40:00.123Z","service":"search","endpoint":"/search","method":"GET",
                     "status":404}
                    """);
            assertEquals(new AccessEvent(T, "search", "/search", "GET", 404, Double.NaN, Map.of()), e);
        }

        @Test
        void vectorPlainRecordWithDimensions() throws Exception {
            AccessEvent e = parse("""
                    {"timestamp":"2024-11-21T14:40:00.123456Z","service":"api","endpoint":"/v1/users/7",
                     "method":"DELETE","status_code":204,"duration_ms":3.2,"region":"us-east-1","cluster":"prod-a",
                     "host":"vector-agent-7f9c","source_type":"kafka","message":"DELETE /v1/users/7 204"}
                    """);
            assertEquals(new AccessEvent(T, "api", "/v1/users/7", "DELETE", 204, 3.2,
                    Map.of("region", "us-east-1", "cluster", "prod-a")), e);
        }

        @Test
        void logstashPlainRecord() throws Exception {
            AccessEvent e = parse("""
                    {"@timestamp":"2024-11-21T14:40:00.123Z","@version":"1","service":"billing",
                     "route":"/invoices/{id}","path":"/invoices/77","method":"PUT","status":409,"latency_ms":41,
                     "host":{"name":"ls-1"},"type":"access"}
                    """);
            assertEquals(new AccessEvent(T, "billing", "/invoices/{id}", "PUT", 409, 41.0, Map.of()), e);
        }
    }

    @Nested
    class Shapes {

        @Test
        void dottedNestedAndMixedKeysGiveTheSameEvent() throws Exception {
            AccessEvent dotted = parse("""
                    {"@timestamp":"2024-11-21T14:40:00.123Z","service.name":"cart","url.path":"/cart",
                     "http.request.method":"GET","http.response.status_code":503,"event.duration":2000000,
                     "cloud.region":"eu-west-1"}
                    """);
            AccessEvent nested = parse("""
                    {"@timestamp":"2024-11-21T14:40:00.123Z","service":{"name":"cart"},"url":{"path":"/cart"},
                     "http":{"request":{"method":"GET"},"response":{"status_code":503}},"event":{"duration":2000000},
                     "cloud":{"region":"eu-west-1"}}
                    """);
            AccessEvent mixed = parse("""
                    {"@timestamp":"2024-11-21T14:40:00.123Z","service":{"name":"cart"},"url.path":"/cart",
                     "http.request":{"method":"GET"},"http":{"response.status_code":503},"event":{"duration":2000000},
                     "cloud":{"region":"eu-west-1"}}
                    """);
            AccessEvent expected = new AccessEvent(T, "cart", "/cart", "GET", 503, 2.0, Map.of("cloud.region", "eu-west-1"));
            assertEquals(expected, dotted);
            assertEquals(expected, nested);
            assertEquals(expected, mixed);
        }

        @Test
        void numbersAsStrings() throws Exception {
            AccessEvent e = parse("""
                    {"timestamp":"1732200000123","service":"a","route":"/r","status":"503","duration_ms":"12.5"}
                    """);
            assertEquals(new AccessEvent(T, "a", "/r", null, 503, 12.5, Map.of()), e);
            assertEquals(1_732_200_000_000L, parse("""
                    {"timestamp":"1732200000","service":"a","status":200}""").timestampMs());
        }

        @Test
        void integralFloatStatusIsAccepted() throws Exception {
            assertEquals(503, parse("{\"service\":\"a\",\"status\":503.0}").status());
        }

        @Test
        void httpRouteIsPreferredOverUrlPathWhateverTheKeyOrder() throws Exception {
            AccessEvent e = parse("""
                    {"url.path":"/users/12","service.name":"u","http.route":"/users/:id","http.response.status_code":200}
                    """);
            assertEquals("/users/:id", e.route());
        }

        @Test
        void topLevelFieldBeatsAttributesWhichBeatResourceAttributes() throws Exception {
            AccessEvent e = parse("""
                    {"resource":{"attributes":{"service.name":"from-resource"}},
                     "attributes":{"service.name":"from-attributes"},"status":200}
                    """);
            assertEquals("from-attributes", e.service());
            AccessEvent top = parse("""
                    {"resource":{"attributes":{"service.name":"from-resource"}},"service.name":"top","status":200}
                    """);
            assertEquals("top", top.service());
        }

        @Test
        void absentOptionalFieldsHaveDocumentedDefaults() throws Exception {
            AccessEvent e = parse("{\"service\":\"a\",\"status\":200}");
            assertEquals(RECORD_TS, e.timestampMs());
            assertEquals("/", e.route());
            assertNull(e.method());
            assertTrue(Double.isNaN(e.durationMs()));
            assertEquals(Map.of(), e.dimensions());
        }

        @Test
        void nullBlankAndDashValuesCountAsAbsent() throws Exception {
            // nginx writes "-" for an unset variable; a later candidate then supplies the field
            AccessEvent e = parse("""
                    {"service":null,"service.name":"  ","service_name":"real","route":"-","path":"/p",
                     "status":"200","duration_ms":"-","request_time":"0.5","timestamp":null}
                    """);
            assertEquals(new AccessEvent(RECORD_TS, "real", "/p", null, 200, 500.0, Map.of()), e);
        }

        @Test
        void nonNumericStatusFallsThroughToALaterCandidate() throws Exception {
            // Datadog-style: "status" is the log level, the HTTP code is elsewhere
            AccessEvent e = parse("{\"status\":\"info\",\"service\":\"web\",\"http\":{\"status_code\":503}}");
            assertEquals(503, e.status());
        }

        @Test
        void unreadableTimestampFallsThroughToALaterCandidate() throws Exception {
            AccessEvent e = parse("{\"timestamp\":\"n/a\",\"date\":1732200000.123,\"service\":\"a\",\"status\":200}");
            assertEquals(T, e.timestampMs());
        }

        @Test
        void zeroTimestampMeansUnset() throws Exception {
            assertEquals(RECORD_TS, parse("{\"timestamp\":0,\"service\":\"a\",\"status\":200}").timestampMs());
        }

        @Test
        void irrelevantDeepStructureIsSkipped() throws Exception {
            AccessEvent e = parse("""
                    {"service":"a","junk":{"a":[1,[2,{"status":999}],{"b":{"c":null}}]},"list":[{"key":"status",
                     "value":{"intValue":"999"}}],"status":201,"http":{"headers":{"x":["y"]},"route":"/r"}}
                    """);
            assertEquals(201, e.status());
            assertEquals("/r", e.route());
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "\"2024-11-21T14:40:00Z\"                | 1732200000000",
                "\"2024-11-21T14:40:00.123456789Z\"      | 1732200000123",
                "\"2024-11-21t14:40:00.1z\"              | 1732200000100",
                "\"2024-11-21T15:40:00.5+01:00\"         | 1732200000500",
                "\"2024-11-21T09:40:00-0500\"            | 1732200000000",
                "\"2024-11-21T16:40:00+02\"              | 1732200000000",
                "\"2024-11-21T14:40Z\"                   | 1732200000000",
                "\"2024-11-21 14:40:00.123\"             | 1732200000123",
                "\"21/Nov/2024:09:40:00 -0500\"          | 1732200000000",
                "1732200000                             | 1732200000000",
                "1732200000.123                         | 1732200000123",
                "1732200000123                          | 1732200000123",
                "1732200000123.9                        | 1732200000124",
                "1732200000123456                       | 1732200000123",
                "1732200000123456789                    | 1732200000123",
                "\"1732200000123456789\"                 | 1732200000123",
                "\"1732200000.123\"                      | 1732200000123",
        })
        void timestampForms(String jsonValue, long expectedMs) throws Exception {
            AccessEvent e = parse("{\"timestamp\":" + jsonValue.trim() + ",\"service\":\"a\",\"status\":200}");
            assertEquals(expectedMs, e.timestampMs());
        }
    }

    @Nested
    class Rejections {

        @Test
        void emptyValue() {
            reject(new byte[0], DeadLetterReason.EMPTY);
        }

        @Test
        void notAnObjectSaysWhatWasSeen() {
            assertContains(reject("xyz garbage", DeadLetterReason.UNDECODABLE).getMessage(), "not a JSON object: starts with 'x'");
            assertContains(reject("[{\"service\":\"a\",\"status\":200}]", DeadLetterReason.UNDECODABLE).getMessage(), "'['");
            assertContains(reject("  42", DeadLetterReason.UNDECODABLE).getMessage(), "'4'");
            assertContains(reject("\"str\"", DeadLetterReason.UNDECODABLE).getMessage(), "'\"'");
            assertContains(reject("   \n", DeadLetterReason.UNDECODABLE).getMessage(), "blank");
            // Confluent Avro framing: magic byte 0, schema id, Avro binary
            byte[] avro = {0, 0, 0, 0, 7, 12, 'c', 'a', 'r', 't', 0x02};
            assertContains(reject(avro, DeadLetterReason.UNDECODABLE).getMessage(), "0x00");
        }

        @Test
        void malformedOrTruncatedJson() {
            InvalidRecordException e = reject("{\"service\":\"a\",\"status\":200", DeadLetterReason.UNDECODABLE);
            assertContains(e.getMessage(), "malformed JSON");
            assertTrue(!e.getMessage().contains("Source") && e.getMessage().length() < 120, e.getMessage());
            reject("{\"service\":\"a\" \"status\":200}", DeadLetterReason.UNDECODABLE);
            reject("{\"service\":\"a\",\"status\":200} {\"service\":\"b\"}", DeadLetterReason.UNDECODABLE);
            byte[] badUtf8 = {'{', '"', 's', 'e', 'r', 'v', 'i', 'c', 'e', '"', ':', '"', (byte) 0xC3, '(', '"', '}'};
            reject(badUtf8, DeadLetterReason.UNDECODABLE);
        }

        @Test
        void messagesAreShortEvenForHugeValues() {
            String huge = "x".repeat(10_000);
            InvalidRecordException e = reject("{\"service\":\"a\",\"status\":\"" + huge + "\"}", DeadLetterReason.MISSING_STATUS);
            assertTrue(e.getMessage().length() < 200, e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "{\"status\":200,\"route\":\"/\"}",
                "{\"status\":200,\"service\":\"\"}",
                "{\"status\":200,\"service\":{\"version\":\"1\"}}",
                "{\"status\":200,\"app\":\"orders\"}",
        })
        void missingService(String json) {
            assertContains(reject(json, DeadLetterReason.MISSING_SERVICE).getMessage(), "no service");
        }

        @Test
        void missingStatus() {
            assertContains(reject("{\"service\":\"a\",\"route\":\"/\"}", DeadLetterReason.MISSING_STATUS).getMessage(),
                    "http.response.status_code");
            InvalidRecordException word = reject("{\"service\":\"a\",\"status\":\"OK\"}", DeadLetterReason.MISSING_STATUS);
            assertContains(word.getMessage(), "'OK'");
            assertContains(word.getMessage(), "'status'");
            reject("{\"service\":\"a\",\"status\":503.5}", DeadLetterReason.MISSING_STATUS);
            reject("{\"service\":\"a\",\"status\":true}", DeadLetterReason.MISSING_STATUS);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "600      | 600",
                "\"99\"   | 99",
                "-1       | -1",
                "\"1000\" | 1000",
        })
        void statusOutOfRange(String jsonValue, String shown) {
            InvalidRecordException e = reject("{\"service\":\"a\",\"status\":" + jsonValue.trim() + "}",
                    DeadLetterReason.STATUS_OUT_OF_RANGE);
            assertContains(e.getMessage(), "status " + shown + " ");
            assertContains(e.getMessage(), "100-599");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"yesterday\"", "\"2024-13-01T00:00:00Z\"", "\"2024-02-30T10:00:00Z\"",
                "\"2024-11-21T25:00:00Z\"", "\"2024-11-21T14:40:00+01:00junk\"", "-5", "\"32/Nov/2024:09:40:00 -0500\""})
        void invalidTimestamp(String jsonValue) {
            InvalidRecordException e = reject("{\"@timestamp\":" + jsonValue + ",\"service\":\"a\",\"status\":200}",
                    DeadLetterReason.INVALID_TIMESTAMP);
            assertContains(e.getMessage(), "@timestamp");
        }

        @Test
        void invalidTimestampMessageQuotesTheValue() {
            assertContains(reject("{\"time\":\"soon\",\"service\":\"a\",\"status\":200}",
                    DeadLetterReason.INVALID_TIMESTAMP).getMessage(), "'soon'");
        }
    }

    @Nested
    class Configuration {

        @Test
        void configuredServicePathsComeBeforeBuiltInsInTheGivenOrder() throws Exception {
            JsonAccessLogParser p = new JsonAccessLogParser(FieldMappings.fromProperties(
                    Map.of("ingest.json.field.service", "kubernetes.labels.app, app")));
            String both = """
                    {"service":"generic","kubernetes":{"labels":{"app":"orders"}},"app":"orders-legacy","status":200}""";
            assertEquals("orders", parse(p, both).service());
            assertEquals("orders-legacy", parse(p, "{\"service\":\"generic\",\"app\":\"orders-legacy\",\"status\":200}").service());
            assertEquals("generic", parse(p, "{\"service\":\"generic\",\"status\":200}").service());
            // the default parser does not know "app"
            reject("{\"app\":\"orders-legacy\",\"status\":200}", DeadLetterReason.MISSING_SERVICE);
        }

        @Test
        void configuredDurationUsesItsUnitAndBeatsBuiltIns() throws Exception {
            JsonAccessLogParser p = new JsonAccessLogParser(FieldMappings.fromProperties(Map.of(
                    "ingest.json.field.duration", "upstream_response_time",
                    "ingest.json.field.duration.unit", "s")));
            AccessEvent e = parse(p, """
                    {"service":"s","status":"200","request_time":"0.300","upstream_response_time":"0.249"}""");
            assertEquals(249.0, e.durationMs(), 1e-9);
            // without it, the built-in nginx request_time (seconds)
            assertEquals(300.0, parse(p, "{\"service\":\"s\",\"status\":200,\"request_time\":0.3}").durationMs(), 1e-9);
        }

        @Test
        void configuredDurationDefaultsToMillisAndMayOverrideABuiltInsUnit() throws Exception {
            JsonAccessLogParser p = new JsonAccessLogParser(FieldMappings.fromProperties(Map.of(
                    "ingest.json.field.duration", "request_time", "ingest.json.field.duration.unit", "ms")));
            assertEquals(0.3, parse(p, "{\"service\":\"s\",\"status\":200,\"request_time\":0.3}").durationMs(), 1e-12);
            JsonAccessLogParser ms = new JsonAccessLogParser(FieldMappings.fromProperties(Map.of(
                    "ingest.json.field.duration", "took")));
            assertEquals(17.0, parse(ms, "{\"service\":\"s\",\"status\":200,\"took\":17}").durationMs());
        }

        @Test
        void everyFieldIsConfigurable() throws Exception {
            JsonAccessLogParser p = new JsonAccessLogParser(FieldMappings.fromProperties(Map.of(
                    "ingest.json.field.timestamp", "ts",
                    "ingest.json.field.service", "svc",
                    "ingest.json.field.route", "req.uri",
                    "ingest.json.field.method", "req.verb",
                    "ingest.json.field.status", "res.code")));
            AccessEvent e = parse(p, """
                    {"ts":1732200000123,"svc":"x","req":{"uri":"/a","verb":"patch"},"res":{"code":"418"},
                     "timestamp":1,"route":"/b","method":"GET","status":200}""");
            assertEquals(new AccessEvent(T, "x", "/a", "PATCH", 418, Double.NaN, Map.of()), e);
        }

        @Test
        void dimensionsListReplacesTheDefault() throws Exception {
            JsonAccessLogParser p = new JsonAccessLogParser(FieldMappings.fromProperties(Map.of(
                    "ingest.json.dimensions", "zone,kubernetes.namespace_name")));
            AccessEvent e = parse(p, """
                    {"service":"s","status":200,"region":"eu","zone":"eu-1a",
                     "kubernetes":{"namespace_name":"shop"}}""");
            assertEquals(Map.of("zone", "eu-1a", "kubernetes.namespace_name", "shop"), e.dimensions());
            JsonAccessLogParser none = new JsonAccessLogParser(FieldMappings.fromProperties(Map.of(
                    "ingest.json.dimensions", "")));
            assertEquals(Map.of(), parse(none, "{\"service\":\"s\",\"status\":200,\"region\":\"eu\"}").dimensions());
        }

        @Test
        void unrelatedKeysAreIgnored() throws Exception {
            Map<String, String> props = new HashMap<>();
            props.put("bootstrap.servers", "localhost:9092");
            props.put("ingest.route.placeholder", ":id");
            props.put("ingest.max.record.bytes", "65536");
            JsonAccessLogParser p = new JsonAccessLogParser(FieldMappings.fromProperties(props));
            assertEquals("s", parse(p, "{\"service\":\"s\",\"status\":200}").service());
        }

        @Test
        void unknownFieldKeyIsRejectedByName() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FieldMappings.fromProperties(Map.of("ingest.json.field.servce", "app")));
            assertContains(e.getMessage(), "ingest.json.field.servce");
        }

        @Test
        void badUnitAndUnitWithoutPathAreRejected() {
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> FieldMappings.fromProperties(Map.of("ingest.json.field.duration", "t",
                            "ingest.json.field.duration.unit", "minutes")));
            assertContains(bad.getMessage(), "minutes");
            IllegalArgumentException orphan = assertThrows(IllegalArgumentException.class,
                    () -> FieldMappings.fromProperties(Map.of("ingest.json.field.duration.unit", "s")));
            assertContains(orphan.getMessage(), "ingest.json.field.duration.unit");
            assertThrows(IllegalArgumentException.class,
                    () -> FieldMappings.fromProperties(Map.of("ingest.json.field.route", "http..route")));
        }

        @Test
        void mappingsExposeConfiguredPathsFirst() {
            FieldMappings m = FieldMappings.fromProperties(Map.of("ingest.json.field.status", "code,status"));
            assertEquals("code", m.paths(FieldMappings.Field.STATUS).get(0));
            assertEquals("status", m.paths(FieldMappings.Field.STATUS).get(1));
            assertEquals(1, m.paths(FieldMappings.Field.STATUS).stream().filter("status"::equals).count());
            assertEquals(FieldMappings.DEFAULT_DIMENSIONS, m.dimensions());
        }
    }
}
