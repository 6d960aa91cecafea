package dev.burnrate.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.schema.AccessLogEvent;
import dev.burnrate.schema.AlertStatus;
import dev.burnrate.schema.Evidence;
import dev.burnrate.schema.RouteEvidence;
import dev.burnrate.schema.SloAlert;
import dev.burnrate.schema.StatusCodeEvidence;
import dev.burnrate.schema.WindowEvidence;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfluentAvroTest {

    static AccessLogEvent event(String method, Double durationMs, Map<String, String> dims) {
        return AccessLogEvent.newBuilder()
                .setTimestamp(Instant.ofEpochMilli(1000))
                .setService("a").setRoute("/").setMethod(method).setStatus(503)
                .setDurationMs(durationMs).setDimensions(dims).build();
    }

    static SloAlert alert(Instant endsAt) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("slo", "checkout-availability");
        labels.put("severity", "page");
        return SloAlert.newBuilder()
                .setId("checkout-availability/fast-burn/eu")
                .setDedupKey("5f1e2d")
                .setStatus(endsAt == null ? AlertStatus.firing : AlertStatus.resolved)
                .setLabels(labels)
                .setAnnotations(Map.of("summary", "burning 14.4x"))
                .setStartsAt(Instant.parse("2024-05-01T10:00:00Z"))
                .setEndsAt(endsAt)
                .setEvaluatedAt(Instant.parse("2024-05-01T10:05:00.123Z"))
                .setGeneratorURL("http://burnrate/slo/checkout")
                .setEvidence(Evidence.newBuilder()
                        .setWindows(List.of(
                                new WindowEvidence("5m", 1000L, 200L, 0.2, 200.0, 14.4),
                                new WindowEvidence("1h", 12000L, 1300L, 0.108, 108.3, 14.4)))
                        .setTopRoutes(List.of(new RouteEvidence("/pay", 500L, 190L, 0.38)))
                        .setTopStatusCodes(List.of(new StatusCodeEvidence(503, 180L, 0.9)))
                        .build())
                .build();
    }

    @Test
    void headerIsMagicZeroThenBigEndianId() {
        assertArrayEquals(new byte[] {0, 0x01, 0x02, 0x03, 0x04, 9, 8},
                ConfluentAvro.frame(0x01020304, new byte[] {9, 8}));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 1}, ConfluentAvro.frame(1, new byte[0]));
        assertArrayEquals(new byte[] {0, (byte) 0x80, 0, 0, 0}, ConfluentAvro.frame(Integer.MIN_VALUE, new byte[0]));
        assertEquals(0x01020304, ConfluentAvro.schemaId(new byte[] {0, 0x01, 0x02, 0x03, 0x04, 9}));
        assertEquals(255, ConfluentAvro.schemaId(new byte[] {0, 0, 0, 0, (byte) 0xFF}));
        assertEquals(-1, ConfluentAvro.schemaId(new byte[] {0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
    }

    /** The exact bytes Confluent's KafkaAvroSerializer would produce, written out by hand from the Avro spec. */
    @Test
    void encodedAccessLogEventMatchesHandBuiltBytes() {
        byte[] expected = {
                0, 0, 0, 0, 42,                          // magic, schema id 42 big-endian
                (byte) 0xD0, 0x0F,                       // timestamp 1000 ms: zigzag varint of 1000
                0x02, 'a',                               // service "a": length 1 (zigzag 2) + UTF-8
                0x02, '/',                               // route "/"
                0x02, 0x06, 'G', 'E', 'T',               // method: union branch 1 (string), "GET"
                (byte) 0xEE, 0x07,                       // status 503: zigzag varint
                0x02, 0, 0, 0, 0, 0, 0, (byte) 0xF8, 0x3F, // durationMs: branch 1 (double), 1.5 little-endian
                0x02, 0x02, 'r', 0x04, 'e', 'u', 0x00     // dimensions: one block of 1 entry {"r": "eu"}, end
        };
        byte[] actual = ConfluentAvro.encodeFramed(42, event("GET", 1.5, Map.of("r", "eu")));
        assertArrayEquals(expected, actual, () -> Arrays.toString(actual));
    }

    @Test
    void nullUnionBranchesAndEmptyMapEncodeAsSingleZeroBytes() {
        byte[] actual = ConfluentAvro.encode(event(null, null, Map.of()));
        byte[] expected = {(byte) 0xD0, 0x0F, 0x02, 'a', 0x02, '/', 0x00, (byte) 0xEE, 0x07, 0x00, 0x00};
        assertArrayEquals(expected, actual, () -> Arrays.toString(actual));
    }

    @Test
    void looksFramed() {
        assertFalse(ConfluentAvro.looksFramed(null));
        assertFalse(ConfluentAvro.looksFramed(new byte[0]));
        assertFalse(ConfluentAvro.looksFramed(new byte[] {0, 0, 0, 1}));
        assertFalse(ConfluentAvro.looksFramed(new byte[] {1, 0, 0, 0, 1}));
        assertFalse(ConfluentAvro.looksFramed("{\"service\":\"a\"}".getBytes()));
        assertTrue(ConfluentAvro.looksFramed(new byte[] {0, 0, 0, 0, 1}));
        assertThrows(IllegalArgumentException.class, () -> ConfluentAvro.schemaId(new byte[] {1, 0, 0, 0, 1}));
        assertThrows(IllegalArgumentException.class, () -> ConfluentAvro.schemaId(new byte[] {0, 0, 0}));
    }

    @Test
    void accessLogEventRoundTrip() throws IOException {
        AccessLogEvent in = event("GET", 12.5, Map.of("region", "eu-west-1", "cluster", "c1"));
        byte[] framed = ConfluentAvro.encodeFramed(7, in);
        assertEquals(7, ConfluentAvro.schemaId(framed));
        AccessLogEvent out = ConfluentAvro.decode(framed, BundledSchemas.accessLogEvent(),
                AccessLogEvent.getClassSchema());
        assertEquals(in, out);
        assertEquals(String.class, out.getDimensions().keySet().iterator().next().getClass());
        assertEquals(Instant.ofEpochMilli(1000), out.getTimestamp());
    }

    @Test
    void sloAlertRoundTrip() throws IOException {
        for (SloAlert in : List.of(alert(null), alert(Instant.parse("2024-05-01T11:00:00Z")))) {
            byte[] framed = ConfluentAvro.encodeFramed(2, in);
            SloAlert out = ConfluentAvro.decode(framed, BundledSchemas.sloAlert(), SloAlert.getClassSchema());
            assertEquals(in, out);
            assertEquals(in.getEndsAt(), out.getEndsAt());
            assertEquals(180L, out.getEvidence().getTopStatusCodes().get(0).getCount());
        }
    }

    @Test
    void truncatedCorruptOrTrailingBodiesAreIoExceptions() {
        byte[] framed = ConfluentAvro.encodeFramed(1, event("GET", 1.5, Map.of("r", "eu")));
        byte[] truncated = Arrays.copyOf(framed, framed.length - 3);
        IOException e = assertThrows(IOException.class, () -> ConfluentAvro.decode(truncated,
                BundledSchemas.accessLogEvent(), AccessLogEvent.getClassSchema()));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        byte[] trailing = Arrays.copyOf(framed, framed.length + 2);
        e = assertThrows(IOException.class, () -> ConfluentAvro.decode(trailing,
                BundledSchemas.accessLogEvent(), AccessLogEvent.getClassSchema()));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());

        byte[] badUnion = framed.clone();
        badUnion[11] = 0x08; // method union branch 4: the union has 2 branches
        assertThrows(IOException.class, () -> ConfluentAvro.decode(badUnion,
                BundledSchemas.accessLogEvent(), AccessLogEvent.getClassSchema()));
    }

    /** A corrupt length prefix must not make Avro allocate what it claims (here ~1.5 GB) before noticing. */
    @Test
    void hugeLengthOrCountPrefixesAreRefusedWithoutAllocating() throws IOException {
        java.io.ByteArrayOutputStream hugeString = new java.io.ByteArrayOutputStream();
        hugeString.write(new byte[] {0, 0, 0, 0, 1, (byte) 0xD0, 0x0F});
        writeVarint(hugeString, 1_500_000_000L * 2); // zigzag
        hugeString.write('a');
        IOException e = assertThrows(IOException.class, () -> ConfluentAvro.decode(hugeString.toByteArray(),
                BundledSchemas.accessLogEvent(), AccessLogEvent.getClassSchema()));
        assertTrue(e.getMessage().contains("string length of 1500000000 is longer than the 8-byte body"),
                e.getMessage());

        // a valid prefix up to dimensions, then a map block claiming 1e9 entries
        byte[] prefix = ConfluentAvro.encodeFramed(1, event(null, null, Map.of()));
        java.io.ByteArrayOutputStream hugeMap = new java.io.ByteArrayOutputStream();
        hugeMap.write(prefix, 0, prefix.length - 1);
        writeVarint(hugeMap, 1_000_000_000L * 2);
        hugeMap.write(new byte[] {2, 'k', 2, 'v', 0});
        e = assertThrows(IOException.class, () -> ConfluentAvro.decode(hugeMap.toByteArray(),
                BundledSchemas.accessLogEvent(), AccessLogEvent.getClassSchema()));
        assertTrue(e.getMessage().contains("collection of 1000000000 items"), e.getMessage());
    }

    private static void writeVarint(java.io.ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
