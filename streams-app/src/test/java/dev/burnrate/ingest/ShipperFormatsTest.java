package dev.burnrate.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.core.DeadLetterReason;
import dev.burnrate.app.AppConfig;
import dev.burnrate.app.Application;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the log shippers really write to Kafka with their default settings, decoded by the processor's own decoder
 * (encoding detection included). Each fixture is the shipper's documented output shape: the record the tool's docs or
 * source show for its Kafka output, around the access-log line or parser output they document. OTLP batches are in
 * {@link OtlpDecoderTest}.
 */
class ShipperFormatsTest {
    static final EventDecoder DECODER = Application.decoder(AppConfig.ofMap(Map.of()));
    static final long RECORD_TS = 1_700_000_000_000L;

    static CollectingSink decode(String value) throws InvalidRecordException {
        CollectingSink sink = new CollectingSink();
        DECODER.decode(value.getBytes(StandardCharsets.UTF_8), RECORD_TS, sink);
        return sink;
    }

    static AccessEvent event(String value) throws InvalidRecordException {
        return decode(value).single();
    }

    static long ms(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    static void assertEvent(AccessEvent e, String service, String route, String method, int status, long timeMs) {
        assertEquals(service, e.service(), "service");
        assertEquals(route, e.route(), "route");
        assertEquals(method, e.method(), "method");
        assertEquals(status, e.status(), "status");
        assertEquals(timeMs, e.timestampMs(), () -> "time " + Instant.ofEpochMilli(e.timestampMs()));
    }

    @Test
    void filebeatFilestreamOnNginxAccessLogWithServiceInFields() throws Exception {
        // Filebeat's kafka output, codec.json (default): the event with @metadata, the line in message, custom fields
        // under fields.*, ECS log.* as an object; @timestamp is when Filebeat read the line (2 minutes later here)
        AccessEvent e = event("""
                {"@timestamp":"2024-11-21T14:42:00.114Z","@metadata":{"beat":"filebeat","type":"_doc","version":"8.15.0"},\
                "log":{"offset":1824,"file":{"path":"/var/log/nginx/access.log","device_id":"64768","inode":"1311"}},\
                "message":"10.0.3.7 - - [21/Nov/2024:14:40:00 +0000] \\"GET /api/orders/1234?expand=items HTTP/1.1\\" 503 197 \\"-\\" \\"curl/8.5.0\\"",\
                "input":{"type":"filestream"},"fields":{"service":"shop"},"ecs":{"version":"8.0.0"},\
                "host":{"name":"web-1"},"agent":{"type":"filebeat","version":"8.15.0","name":"web-1","id":"b4d3"}}""");
        assertEvent(e, "shop", "/api/orders/1234?expand=items", "GET", 503, ms("2024-11-21T14:40:00Z"));
    }

    @Test
    void fluentBitTailWithTheStockNginxParserAndAServiceField() throws Exception {
        // Fluent Bit's nginx parser (remote, host, user, method, path, code, size, referer, agent; its time becomes the
        // record's), a modify/record_modifier filter adding service, kafka output format json: the record time under
        // @timestamp as epoch seconds with a fraction (timestamp_key / timestamp_format defaults)
        AccessEvent e = event("""
                {"@timestamp":1732200000.0,"remote":"10.0.3.7","host":"-","user":"-","method":"POST","path":"/cart/items",\
                "code":"502","size":"157","referer":"-","agent":"Mozilla/5.0","service":"cart"}""");
        assertEvent(e, "cart", "/cart/items", "POST", 502, ms("2024-11-21T14:40:00Z"));
    }

    @Test
    void vectorParseNginxLogCombinedAsDocumented() throws Exception {
        // parse_nginx_log(.message, "combined")'s documented result, plus .service, through the kafka sink's JSON codec
        AccessEvent e = event("""
                {"agent":"Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/72.0.3626.119 Safari/537.36",\
                "client":"172.17.0.1","compression":"2.75","method":"POST","path":"/not-found","protocol":"HTTP/1.1",\
                "referer":"http://localhost/somewhere","request":"POST /not-found HTTP/1.1","size":153,"status":404,\
                "timestamp":"2021-04-01T12:02:31Z","user":"alice","service":"web"}""");
        assertEvent(e, "web", "/not-found", "POST", 404, ms("2021-04-01T12:02:31Z"));
    }

    @Test
    void vectorRequestLineIsTheRouteAndMethodWhenItIsTheOnlyPlace() throws Exception {
        // Vector versions whose parse_nginx_log/parse_apache_log give the request line only (no method/path):
        // counted under its own path, not "/"
        AccessEvent e = event("""
                {"agent":"curl/7.68.0","client":"172.17.0.1","referer":"-","request":"GET /api/v2/users/42 HTTP/1.1",\
                "size":612,"status":200,"timestamp":"2021-04-01T12:02:31Z","service":"users"}""");
        assertEvent(e, "users", "/api/v2/users/42", "GET", 200, ms("2021-04-01T12:02:31Z"));
    }

    @Test
    void kubernetesDockerWrapperWithAnNginxLineCollectedByFluentBit() throws Exception {
        // the record Fluent Bit's kubernetes filter shows for an nginx pod without a parser (fluent-bit issue #1041):
        // the line in log, the runtime's capture time in time, the service from the pod's app label
        AccessEvent e = event("""
                {"log":"127.0.0.1 - - [19/Jan/2019:23:08:15 +0000] \\"GET / HTTP/1.1\\" 200 612 \\"-\\" \\"curl/7.52.1\\" \\"-\\"\\n",\
                "stream":"stdout","time":"2019-01-19T23:08:15.210102861Z","kubernetes":{"pod_name":"nginx-logs",\
                "namespace_name":"default","pod_id":"1afad9e7-1b98-11e9-8f79-ce3f301c456d","labels":{"app":"nginx-logs"},\
                "annotations":{"fluentbit.io/parser":"nginx"},"host":"node3","container_name":"nginx",\
                "docker_id":"685a9c0af3f90d0db74c058d7d58316940b6f171d84c52222439e6fca8a2ab8b"}}""");
        // the line's own time (whole seconds) wins over the wrapper's .210
        assertEvent(e, "nginx-logs", "/", "GET", 200, ms("2019-01-19T23:08:15Z"));
    }

    @Test
    void kubernetesCriWrapperAroundTheApplicationsJson() throws Exception {
        // Fluent Bit's cri parser (time stream logtag log) + kubernetes filter (Merge_Log off, its default): the app's
        // JSON is a string in log; the app names no service, its recommended name label does
        AccessEvent e = event("""
                {"time":"2024-11-21T14:40:03.512345678Z","stream":"stdout","logtag":"F",\
                "log":"{\\"ts\\":\\"x\\",\\"timestamp\\":\\"2024-11-21T14:40:00.123Z\\",\\"level\\":\\"info\\",\\"msg\\":\\"request\\",\\"http.request.method\\":\\"GET\\",\\"url.path\\":\\"/checkout/77\\",\\"http.response.status_code\\":504,\\"duration_ms\\":1503.2}",\
                "kubernetes":{"pod_name":"checkout-7d9f8-x2x9z","namespace_name":"shop",\
                "labels":{"app.kubernetes.io/name":"checkout","pod-template-hash":"7d9f8"},\
                "container_name":"server","docker_id":"e3b0c442","container_image":"shop/checkout:1.4"}}""");
        assertEvent(e, "checkout", "/checkout/77", "GET", 504, ms("2024-11-21T14:40:00.123Z"));
        assertEquals(1503.2, e.durationMs());
    }

    @Test
    void vectorKubernetesLogsSourceWithTheApplicationsJsonInMessage() throws Exception {
        // Vector's kubernetes_logs source event, as the kafka sink's JSON codec writes it: message holds the app's line,
        // timestamp is when Vector read it, the pod's labels are under kubernetes.pod_labels
        AccessEvent e = event("""
                {"file":"/var/log/pods/shop_cart-5b7c_0a1b/app/0.log","kubernetes":{"container_name":"app",\
                "container_image":"shop/cart:2.0","pod_labels":{"app":"cart","pod-template-hash":"5b7c"},\
                "pod_name":"cart-5b7c-qq2lp","pod_namespace":"shop","pod_node_name":"node-1"},\
                "message":"{\\"time\\":\\"2024-11-21T14:40:00Z\\",\\"method\\":\\"delete\\",\\"path\\":\\"/cart/items/9\\",\\"status\\":500}",\
                "source_type":"kubernetes_logs","stream":"stdout","timestamp":"2024-11-21T14:45:10.000000001Z"}""");
        assertEvent(e, "cart", "/cart/items/9", "DELETE", 500, ms("2024-11-21T14:40:00Z"));
    }

    @Test
    void filebeatOnKubernetesContainerLogFilesWithoutTheContainerParser() throws Exception {
        // filestream on /var/log/containers/*.log without the container parser: each CRI line as is in message, the
        // service from add_kubernetes_metadata (labels de-dotted)
        AccessEvent e = event("""
                {"@timestamp":"2024-11-21T14:41:00.000Z","message":"2024-11-21T14:40:00.512345678Z stdout F {\\"time\\":\\"2024-11-21T14:40:00.500Z\\",\\"status\\":503,\\"path\\":\\"/pay\\",\\"method\\":\\"POST\\"}",\
                "kubernetes":{"namespace":"shop","pod":{"name":"pay-6f7d-abcde"},"labels":{"app_kubernetes_io/name":"payments"},\
                "container":{"name":"pay"},"deployment":{"name":"pay"}},"input":{"type":"filestream"}}""");
        assertEvent(e, "payments", "/pay", "POST", 503, ms("2024-11-21T14:40:00.500Z"));
        // the same with an nginx line inside
        e = event("""
                {"message":"2024-11-21T14:40:00.512345678Z stdout F 10.0.0.1 - - [21/Nov/2024:14:40:00 +0000] \\"GET /x HTTP/1.1\\" 200 5 \\"-\\" \\"-\\"",\
                "kubernetes":{"labels":{"app":"web"}}}""");
        assertEvent(e, "web", "/x", "GET", 200, ms("2024-11-21T14:40:00Z"));
    }

    @Test
    void apacheCommonLogLineFromAPlainTailer() throws Exception {
        // the NCSA common format example line, shipped as {"message": line} with a service by any tailer
        AccessEvent e = event("""
                {"service":"legacy","message":"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \\"GET /apache_pb.gif HTTP/1.0\\" 200 2326"}""");
        assertEvent(e, "legacy", "/apache_pb.gif", "GET", 200, ms("2000-10-10T20:55:36Z"));
    }

    @Test
    void nginxDefaultMainFormatLineWithForwardedFor() throws Exception {
        AccessEvent e = event("""
                {"service":"edge","log":"192.0.2.1 - - [21/Nov/2024:14:40:00 +0100] \\"PUT /v1/items/ab12 HTTP/2.0\\" 201 0 \\"-\\" \\"okhttp/4.9\\" \\"203.0.113.9\\""}""");
        assertEvent(e, "edge", "/v1/items/ab12", "PUT", 201, ms("2024-11-21T13:40:00Z"));
    }

    @Test
    void aScannersGarbageRequestLineIsStillARequestCountedUnderTheEmptyRoute() throws Exception {
        // nginx logs a TLS handshake sent to its plain-HTTP port as an escaped request line with status 400
        AccessEvent e = event("""
                {"service":"edge","message":"198.51.100.4 - - [21/Nov/2024:14:40:00 +0000] \\"\\\\x16\\\\x03\\\\x01\\\\x00\\\\xee\\" 400 157 \\"-\\" \\"-\\""}""");
        assertEvent(e, "edge", "/", null, 400, ms("2024-11-21T14:40:00Z"));
    }

    @Test
    void istioEnvoyDefaultJsonAccessLogStillGivesTheUpstreamService() throws Exception {
        AccessEvent e = event("""
                {"start_time":"2024-11-21T14:40:00.123Z","method":"GET","path":"/productpage","protocol":"HTTP/1.1",\
                "response_code":503,"response_flags":"UF","duration":12,"upstream_cluster":"outbound|9080||productpage.default.svc.cluster.local",\
                "kubernetes":{"labels":{"app":"istio-ingressgateway"}}}""");
        assertEvent(e, "productpage", "/productpage", "GET", 503, ms("2024-11-21T14:40:00.123Z"));
    }

    @Test
    void theRequestsOwnTimeBeatsTheShippersReadTimeInTheSameRecord() throws Exception {
        // Filebeat's ndjson parser puts the app's fields at the top level next to its own @timestamp (read time)
        AccessEvent e = event("""
                {"@timestamp":"2024-11-21T15:00:00.000Z","timestamp":"2024-11-21T14:40:00.123Z","service":"a","status":200}""");
        assertEquals(ms("2024-11-21T14:40:00.123Z"), e.timestampMs());
        // without an own time, the shipper's is used
        assertEquals(ms("2024-11-21T15:00:00Z"), event("{\"@timestamp\":\"2024-11-21T15:00:00Z\",\"service\":\"a\",\"status\":200}").timestampMs());
    }

    @Test
    void serviceSourcesFollowTheDocumentedPrecedence() throws Exception {
        String k8s = "\"kubernetes\":{\"labels\":{\"app.kubernetes.io/name\":\"named\",\"app\":\"applabel\"},"
                + "\"deployment\":{\"name\":\"deploy\"},\"container_name\":\"ctr\"}";
        assertEquals("explicit", event("{\"service\":\"explicit\",\"status\":200," + k8s + "}").service());
        assertEquals("fb", event("{\"fields\":{\"service\":\"fb\"},\"status\":200," + k8s + "}").service());
        assertEquals("named", event("{\"status\":200," + k8s + "}").service());
        assertEquals("applabel", event("{\"status\":200,\"kubernetes\":{\"labels\":{\"app\":\"applabel\"},\"container_name\":\"ctr\"}}").service());
        // Filebeat de-dots label keys
        assertEquals("dedotted", event("{\"status\":200,\"kubernetes\":{\"labels\":{\"app_kubernetes_io/name\":\"dedotted\",\"app\":\"x\"}}}").service());
        assertEquals("deploy", event("{\"status\":200,\"kubernetes\":{\"deployment\":{\"name\":\"deploy\"},\"container\":{\"name\":\"ctr\"}}}").service());
        assertEquals("ctr", event("{\"status\":200,\"kubernetes\":{\"container\":{\"name\":\"ctr\"}}}").service());
        assertEquals("otel-deploy", event("{\"status\":200,\"resource\":{\"attributes\":{\"k8s.deployment.name\":\"otel-deploy\",\"k8s.container.name\":\"c\"}}}").service());
        // an Istio outbound log names the upstream before the sidecar's own pod labels
        assertEquals("reviews", event("{\"response_code\":200,\"upstream_cluster\":\"outbound|9080||reviews.default.svc.cluster.local\"," + k8s + "}").service());
        // inbound (no host): the pod's own name label
        assertEquals("named", event("{\"response_code\":200,\"upstream_cluster\":\"inbound|9080||\"," + k8s + "}").service());
    }

    @Test
    void fieldsInTheEmbeddedContentWinAndTheWrapperFillsTheRest() throws Exception {
        AccessEvent e = event("""
                {"service":"outer","region":"eu-west-1","time":"2024-11-21T15:00:00Z",\
                "log":"{\\"service\\":\\"inner\\",\\"status\\":201,\\"route\\":\\"/in\\"}"}""");
        assertEquals("inner", e.service());
        assertEquals("/in", e.route());
        assertEquals(Map.of("region", "eu-west-1"), e.dimensions());
        assertEquals(ms("2024-11-21T15:00:00Z"), e.timestampMs(), "the wrapper's time when the content has none");
    }

    @Test
    void aRecordWithAStatusNeverReadsItsMessage() throws Exception {
        // an application's own JSON log that happens to have a message: the message is not parsed
        AccessEvent e = event("""
                {"service":"a","status":200,"route":"/r","message":"10.0.0.1 - - [21/Nov/2024:14:40:00 +0000] \\"GET /other HTTP/1.1\\" 500 1"}""");
        assertEquals("/r", e.route());
        assertEquals(200, e.status());
        assertEquals(RECORD_TS, e.timestampMs());
    }

    @Test
    void aMessageThatIsNoRequestSaysSoInTheDeadLetter() {
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> decode("{\"service\":\"a\",\"message\":\"user 42 logged in\"}"));
        assertEquals(DeadLetterReason.MISSING_STATUS, e.reason());
        assertTrue(e.getMessage().contains("'message' is neither JSON nor an access-log line"), e.getMessage());
        e = assertThrows(InvalidRecordException.class,
                () -> decode("{\"service\":\"a\",\"log\":\"{\\\"level\\\":\\\"info\\\"}\"}"));
        assertEquals(DeadLetterReason.MISSING_STATUS, e.reason());
        assertTrue(e.getMessage().contains("nor in the JSON in 'log'"), e.getMessage());
        // a line without a service anywhere is missing-service, whatever the line says
        e = assertThrows(InvalidRecordException.class, () -> decode("""
                {"message":"10.0.0.1 - - [21/Nov/2024:14:40:00 +0000] \\"GET / HTTP/1.1\\" 200 1"}"""));
        assertEquals(DeadLetterReason.MISSING_SERVICE, e.reason());
        // a status out of range in the line is named after the field it came from
        e = assertThrows(InvalidRecordException.class, () -> decode("""
                {"service":"a","message":"10.0.0.1 - - [21/Nov/2024:14:40:00 +0000] \\"GET / HTTP/1.1\\" 999 1"}"""));
        assertEquals(DeadLetterReason.STATUS_OUT_OF_RANGE, e.reason());
        assertTrue(e.getMessage().contains("'message'"), e.getMessage());
    }

    @Test
    void accessLineFormats() {
        AccessLine combined = AccessLine.parse("10.1.2.3 - bob [21/Nov/2024:14:40:00 -0130] \"DELETE /a/b?c=d HTTP/1.1\" 204 - \"https://x/\" \"ua \\\"quoted\\\"\"");
        assertEquals(new AccessLine(ms("2024-11-21T16:10:00Z"), "DELETE", "/a/b?c=d", 204), combined);
        AccessLine proxy = AccessLine.parse("10.1.2.3 - - [21/Nov/2024:14:40:00 +0000] \"GET http://example.com/x HTTP/1.1\" 200 5");
        assertEquals("http://example.com/x", proxy.target());
        AccessLine dash = AccessLine.parse("10.1.2.3 - - [21/Nov/2024:14:40:00 +0000] \"-\" 408 0 \"-\" \"-\"");
        assertNull(dash.method());
        assertNull(dash.target());
        assertEquals(408, dash.status());
        assertNull(AccessLine.parse("2024/11/21 14:40:00 [error] 31#31: *1 open() failed, request: \"GET / HTTP/1.1\""), "an nginx error line");
        assertNull(AccessLine.parse("10.1.2.3 - - [yesterday] \"GET / HTTP/1.1\" 200 5"), "an unreadable time");
        assertNull(AccessLine.parse("10.1.2.3 - - [21/Nov/2024:14:40:00 +0000] \"GET / HTTP/1.1\" OK 5"), "no numeric status");
        assertEquals(List.of("GET", "/x"), List.of(AccessLine.requestMethod("GET /x"), AccessLine.requestTarget("GET /x")));
        assertNull(AccessLine.requestMethod("get /x HTTP/1.1"), "methods are upper-case tokens");
    }
}
