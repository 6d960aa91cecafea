package dev.burnrate.ingest;

import dev.burnrate.demo.AccessLogJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The parser's byte scanner must give exactly what its Jackson reader gives, on what it reads and on what it leaves. */
class JsonScannerTest {
    private static final long RECORD_TS = 1_700_000_000_000L;
    private final JsonAccessLogParser parser = new JsonAccessLogParser(FieldMappings.fromProperties(
            Map.of("ingest.json.field.service", "svc.id", "ingest.json.dimensions", "region,cloud.region")));

    /** Same event, or the same dead-letter reason and message, with and without the scanner. */
    private void assertSameAsJackson(String json) {
        byte[] value = json.getBytes(StandardCharsets.UTF_8);
        Object expected, actual;
        try {
            expected = parser.parseWithJackson(value, RECORD_TS);
        } catch (InvalidRecordException e) {
            expected = e.reason() + ": " + e.getMessage();
        }
        try {
            actual = parser.parse(value, RECORD_TS);
        } catch (InvalidRecordException e) {
            actual = e.reason() + ": " + e.getMessage();
        }
        assertEquals(expected, actual, json);
    }

    @Test
    void theShipperConventionsAreScannedAndReadAsJacksonReadsThem() {
        Random rnd = new Random(7);
        String[] routes = {"/api/v1/orders/%d", "/api/v2/products/%d?page=2", "/users/" + UUID.randomUUID(), "/health", "/"};
        for (int i = 0; i < 500; i++) {
            for (AccessLogJson convention : AccessLogJson.values()) {
                long ts = 1_732_200_000_000L + rnd.nextInt(1_000_000_000);
                String route = String.format(routes[rnd.nextInt(routes.length)], rnd.nextInt(100_000));
                byte[] value = convention.bytes(ts, "svc-" + rnd.nextInt(5), route, "get", 100 + rnd.nextInt(500),
                        rnd.nextInt(3000) + rnd.nextDouble());
                String json = new String(value, StandardCharsets.UTF_8);
                assertTrue(parser.scans(value), () -> "not scanned: " + json);
                assertSameAsJackson(json);
            }
        }
    }

    @Test
    void valuesOfEveryShapeReadTheSame() {
        List<String> values = List.of("503", "-0", "0", "503.0", "503.5", "-503", "1e3", "1.5E-2", "0.1", "12345678901234567",
                "123456789012345678", "1234567890123456789", "99999999999999999999", "1732200000", "1732200000.123",
                "1732200000123", "1732200000123456", "1.7322000001234567E9", "true", "false", "null",
                "\"503\"", "\" 503 \"", "\"+503\"", "\"5O3\"", "\"\"", "\" \"", "\"-\"", "\"503.0\"", "\"2147483648\"",
                "\"2024-11-21T14:40:00.123Z\"", "\"2024-11-21 14:40:00,5+01:00\"", "\"2024-02-30T00:00:00Z\"",
                "\"2024-02-29T00:00:00Z\"", "\"1900-02-29T00:00:00Z\"", "\"0001-01-01T00:00Z\"", "\"21/Nov/2024:14:40:00 +0000\"",
                "\"1732200000.123\"", "\" 1732200000 \"", "\"0.5\"", "\".5\"", "\"5.\"", "\"yesterday\"",
                "\"GET /x?y=1 HTTP/1.1\"", "\"outbound|9080||reviews.default.svc.cluster.local\"", "\"a\\\"b\"",
                "\"caf\u00e9\"", "\"\\u0035\\u0030\\u0033\"", "{}", "[]", "[1,{\"a\":[]}]", "{\"name\":\"x\"}");
        List<String> keys = List.of("status", "status_code", "timestamp", "date", "time_local", "service", "svc.id",
                "route", "request", "request_time", "duration_ms", "method", "region", "upstream_cluster", "log");
        for (String k1 : keys) {
            for (String v : values) {
                assertSameAsJackson("{\"service\":\"s\",\"status\":200,\"" + k1 + "\":" + v + "}");
                assertSameAsJackson("{\"" + k1 + "\":" + v + ",\"service\":\"s\",\"status_code\":\"404\"}");
            }
        }
    }

    @Test
    void shapesReadTheSame() {
        List<String> records = new ArrayList<>(List.of(
                " {\"service\":\"a\",\"status\":200} ",
                "{ \"service\" : \"a\" ,\n\t\"status\" :\r 200 }",
                "{\"service\":{\"name\":\"a\"},\"http\":{\"response\":{\"status_code\":503}}}",
                "{\"service.name\":\"a\",\"http.response\":{\"status_code\":503}}",
                "{\"http\":{\"response.status_code\":503},\"service\":\"a\"}",
                "{\"attributes\":{\"service.name\":\"a\",\"http.status_code\":500}}",
                "{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"a\"}}],\"status\":200}",
                "{\"resource\":{\"attributes\":{\"service.name\":\"a\"}},\"status\":200}",
                "{\"service\":\"a\",\"status\":200,\"status\":503}",
                "{\"status\":\"info\",\"http.status_code\":502,\"service\":\"a\"}",
                "{\"service\":\"a\",\"status\":200,\"tags\":[\"x\",{\"y\":[1,2,[3]]},null,true]}",
                "{\"service\":\"a\",\"status\":200,\"other\":{\"deep\":{\"deeper\":{\"x\":\"\\n\"}}}}",
                "{\"service\":\"a\",\"log\":\"{\\\"status\\\":503,\\\"route\\\":\\\"/x/1\\\"}\"}",
                "{\"service\":\"a\",\"message\":\"10.0.0.1 - - [21/Nov/2024:14:40:00 +0000] \\\"GET /a/1 HTTP/1.1\\\" 503 12\"}",
                "{\"service\":\"a\",\"message\":\"not a request\"}",
                "{\"service\":\"a\",\"status\":200,\"log\":\"x\"}",
                "{\"service\":\"caf\u00e9\",\"status\":200}",
                "{\"service\":\"a\",\"status\":200}x",
                "{\"service\":\"a\",\"status\":200}{}",
                "{\"service\":\"a\",\"status\":200,}",
                "{\"service\":\"a\",\"status\":200",
                "{\"service\":\"a\",\"status\":0123}",
                "{\"service\":\"a\",\"status\":+1}",
                "{\"service\":\"a\",\"status\":1.}",
                "{\"service\":\"a\",\"status\":-}",
                "{\"service\":\"a\",\"status\":200 1}",
                "{\"service\":\"a\",\"status\":tru}",
                "{\"service\":\"a\",\"status\":200,\"x\":[1,]}",
                "{\"service\":\"a\" \"status\":200}",
                "{\"service\":\"a\",\"status\":\"20\u00010\"}",
                "{service:\"a\",\"status\":200}",
                "\ufeff{\"service\":\"a\",\"status\":200}",
                "[{\"service\":\"a\",\"status\":200}]",
                "{}",
                "{\"service\":\"a\"}",
                "{\"status\":200}",
                "{\"service\":\"a\",\"status\":99}"));
        records.add("{\"service\":\"a\",\"status\":200,\"x\":" + "[".repeat(300) + "]".repeat(300) + "}");
        records.add("{\"service\":\"a\",\"status\":200,\"x\":" + "{\"a\":".repeat(150) + "1" + "}".repeat(150) + "}");
        for (String r : records) assertSameAsJackson(r);
    }

    @Test
    void whatTheScannerLeavesToJackson() {
        assertFalse(parser.scans("{\"service\":\"a\\\"b\",\"status\":200}".getBytes(StandardCharsets.UTF_8)), "an escape");
        assertFalse(parser.scans("{\"service\":\"caf\u00e9\",\"status\":200}".getBytes(StandardCharsets.UTF_8)), "non-ASCII");
        assertFalse(parser.scans("{\"attributes\":[],\"status\":200}".getBytes(StandardCharsets.UTF_8)), "an array under a candidate prefix");
        assertFalse(parser.scans("{\"service\":\"a\",\"status\":200,}".getBytes(StandardCharsets.UTF_8)), "malformed");
        assertTrue(parser.scans("{\"service\":\"a\",\"status\":200,\"tags\":[\"x\",{}]}".getBytes(StandardCharsets.UTF_8)), "an array elsewhere");
    }

    @Test
    void epochDaysAreLocalDates() {
        for (LocalDate d = LocalDate.of(0, 1, 1); d.getYear() <= 9999; d = d.plusDays(1)) {
            if (Timestamps.epochDay(d.getYear(), d.getMonthValue(), d.getDayOfMonth()) != d.toEpochDay()) {
                fail("epoch day of " + d);
            }
        }
        assertEquals(Timestamps.BAD_TIME, Timestamps.epochDay(2023, 2, 29));
        assertEquals(Timestamps.BAD_TIME, Timestamps.epochDay(2024, 4, 31));
        assertEquals(Timestamps.BAD_TIME, Timestamps.epochDay(2024, 13, 1));
        assertEquals(Timestamps.BAD_TIME, Timestamps.epochDay(2024, 1, 0));
    }

    @Test
    void decimalsAreWhatDoubleParseDoubleReads() {
        Random rnd = new Random(3);
        for (int i = 0; i < 50_000; i++) {
            String s = switch (i % 4) {
                case 0 -> Long.toString(rnd.nextLong() >>> rnd.nextInt(64));
                case 1 -> String.format("%d.%d", rnd.nextInt(Integer.MAX_VALUE), rnd.nextInt(1_000_000));
                case 2 -> String.format("%.3f", rnd.nextDouble() * 2e9);
                default -> "." + (rnd.nextInt(1_000_000) + 1);
            };
            assertEquals(Double.parseDouble(s), Text.parseDecimal(s, 0, s.length()), s);
        }
    }
}
