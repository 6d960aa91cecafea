package dev.burnrate.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.core.DeadLetterReason;
import dev.burnrate.schema.AccessLogEvent;
import dev.burnrate.serde.AccessLogAvroSerializer;
import dev.burnrate.serde.ConfluentAvro;
import dev.burnrate.serde.SchemaResolver;
import dev.burnrate.serde.SchemaResolverException;
import dev.burnrate.serde.StaticSchemaResolver;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class AvroAccessLogDecoderTest {
    private static final StaticSchemaResolver DEFAULT_IDS = StaticSchemaResolver.fromConfig(Map.of());
    private final AvroAccessLogDecoder decoder = new AvroAccessLogDecoder(DEFAULT_IDS);

    private static AccessLogEvent.Builder event() {
        return AccessLogEvent.newBuilder()
                .setTimestamp(Instant.parse("2024-05-01T10:00:00.250Z"))
                .setService("checkout").setRoute("/orders/{id}").setMethod("get").setStatus(503)
                .setDurationMs(12.5).setDimensions(Map.of("region", "eu-west-1"));
    }

    private static byte[] bytes(AccessLogEvent e) {
        return new AccessLogAvroSerializer(DEFAULT_IDS).serialize("access-logs", e);
    }

    private InvalidRecordException invalid(byte[] value) {
        return assertThrows(InvalidRecordException.class, () -> decoder.decode(value));
    }

    @Test
    void validRecord() throws InvalidRecordException {
        AccessEvent e = decoder.decode(bytes(event().build()));
        assertEquals(Instant.parse("2024-05-01T10:00:00.250Z").toEpochMilli(), e.timestampMs());
        assertEquals("checkout", e.service());
        assertEquals("/orders/{id}", e.route());
        assertEquals("GET", e.method());
        assertEquals(503, e.status());
        assertEquals(12.5, e.durationMs());
        assertEquals(Map.of("region", "eu-west-1"), e.dimensions());
    }

    @Test
    void absentOptionalFields() throws InvalidRecordException {
        AccessEvent e = decoder.decode(bytes(event().setMethod(null).setDurationMs(null).setDimensions(Map.of()).build()));
        assertNull(e.method());
        assertTrue(Double.isNaN(e.durationMs()));
        assertEquals(Map.of(), e.dimensions());
        assertNull(decoder.decode(bytes(event().setMethod(" ").build())).method());
    }

    @Test
    void unknownSchemaId() {
        byte[] b = bytes(event().build());
        b[1] = 0x12; // id 0x12000001
        InvalidRecordException e = invalid(b);
        assertEquals(DeadLetterReason.UNKNOWN_SCHEMA_ID, e.reason());
        assertTrue(e.getMessage().contains(String.valueOf(0x12000001)), e.getMessage());
    }

    @Test
    void truncatedOrCorruptBodyIsUndecodableWithAShortMessage() {
        byte[] good = bytes(event().build());
        for (byte[] bad : new byte[][] {
                Arrays.copyOf(good, good.length - 5),            // truncated
                Arrays.copyOf(good, 6),                          // header + 1 byte
                new byte[] {0, 0, 0, 0, 1},                      // header only
                Arrays.copyOf(good, good.length + 3),            // trailing garbage
                corrupt(good)}) {
            InvalidRecordException e = invalid(bad);
            assertEquals(DeadLetterReason.UNDECODABLE, e.reason(), e.getMessage());
            assertTrue(e.getMessage().length() < 300 && !e.getMessage().contains("\tat "), e.getMessage());
            assertEquals(0, e.getStackTrace().length, "expected bad input carries no stack trace");
        }
    }

    private static byte[] corrupt(byte[] good) {
        byte[] b = good.clone();
        // header (5) + timestamp varint (6 bytes for 2024 epoch millis), then the service length: zigzag 8 = 16
        assertEquals(16, b[11]);
        b[11] = (byte) 0x7F; // zigzag -64: a negative string length
        return b;
    }

    @Test
    void notFramedOrEmpty() {
        assertEquals(DeadLetterReason.UNDECODABLE, invalid("{\"service\":\"a\",\"status\":200}".getBytes()).reason());
        assertEquals(DeadLetterReason.UNDECODABLE, invalid(new byte[] {0, 0, 1}).reason());
        assertEquals(DeadLetterReason.EMPTY, invalid(new byte[0]).reason());
        assertEquals(DeadLetterReason.EMPTY, invalid(null).reason());
    }

    @Test
    void statusOutOfRange() throws InvalidRecordException {
        InvalidRecordException e = invalid(bytes(event().setStatus(700).build()));
        assertEquals(DeadLetterReason.STATUS_OUT_OF_RANGE, e.reason());
        assertTrue(e.getMessage().contains("700"), e.getMessage());
        assertEquals(DeadLetterReason.STATUS_OUT_OF_RANGE, invalid(bytes(event().setStatus(99).build())).reason());
        assertEquals(DeadLetterReason.STATUS_OUT_OF_RANGE, invalid(bytes(event().setStatus(600).build())).reason());
        assertEquals(100, decoder.decode(bytes(event().setStatus(100).build())).status());
        assertEquals(599, decoder.decode(bytes(event().setStatus(599).build())).status());
    }

    @Test
    void blankService() {
        assertEquals(DeadLetterReason.MISSING_SERVICE, invalid(bytes(event().setService("").build())).reason());
        assertEquals(DeadLetterReason.MISSING_SERVICE, invalid(bytes(event().setService("  ").build())).reason());
    }

    /** A producer still on the first version of the schema, before durationMs and dimensions were added. */
    @Test
    void olderWriterSchemaWithoutOptionalFieldsIsResolved() throws InvalidRecordException {
        Schema v1 = new Schema.Parser().parse("""
                {"type": "record", "name": "AccessLogEvent", "namespace": "dev.burnrate.schema", "fields": [
                  {"name": "timestamp", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                  {"name": "service", "type": "string"},
                  {"name": "route", "type": "string"},
                  {"name": "method", "type": ["null", "string"], "default": null},
                  {"name": "status", "type": "int"}
                ]}""");
        GenericRecord r = new GenericData.Record(v1);
        r.put("timestamp", 1_714_557_600_000L);
        r.put("service", "legacy");
        r.put("route", "/health");
        r.put("method", "head");
        r.put("status", 204);
        AvroAccessLogDecoder d = new AvroAccessLogDecoder(new StaticSchemaResolver(Map.of(5, v1)));
        AccessEvent e = d.decode(ConfluentAvro.encodeFramed(5, r));
        assertEquals(1_714_557_600_000L, e.timestampMs());
        assertEquals("legacy", e.service());
        assertEquals("/health", e.route());
        assertEquals("HEAD", e.method());
        assertEquals(204, e.status());
        assertTrue(Double.isNaN(e.durationMs()));
        assertEquals(Map.of(), e.dimensions());
    }

    /** A producer already on a newer version with an extra field: the field is skipped. */
    @Test
    void newerWriterSchemaWithExtraFieldIsResolved() throws InvalidRecordException {
        Schema v3 = new Schema.Parser().parse("""
                {"type": "record", "name": "AccessLogEvent", "namespace": "dev.burnrate.schema", "fields": [
                  {"name": "timestamp", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                  {"name": "traceId", "type": "string"},
                  {"name": "service", "type": "string"},
                  {"name": "route", "type": "string"},
                  {"name": "status", "type": "int"},
                  {"name": "durationMs", "type": ["null", "double"], "default": null},
                  {"name": "bytesSent", "type": "long"}
                ]}""");
        GenericRecord r = new GenericData.Record(v3);
        r.put("timestamp", 5L);
        r.put("traceId", "abc123");
        r.put("service", "new");
        r.put("route", "/x");
        r.put("status", 502);
        r.put("durationMs", 7.0);
        r.put("bytesSent", 1234L);
        AccessEvent e = new AvroAccessLogDecoder(new StaticSchemaResolver(Map.of(6, v3)))
                .decode(ConfluentAvro.encodeFramed(6, r));
        assertEquals(new AccessEvent(5L, "new", "/x", null, 502, 7.0, Map.of()), e);
    }

    @Test
    void writerSchemaThatIsNotAnAccessLogEventIsUndecodable() {
        // id 2 is the SloAlert schema by default
        byte[] b = bytes(event().build());
        b[4] = 2;
        InvalidRecordException e = invalid(b);
        assertEquals(DeadLetterReason.UNDECODABLE, e.reason());
        assertTrue(e.getMessage().contains("schema id 2"), e.getMessage());
    }

    @Test
    void writerSchemaLookedUpOncePerIdAndResolverFailurePropagates() throws InvalidRecordException {
        AtomicInteger lookups = new AtomicInteger();
        SchemaResolver counting = new SchemaResolver() {
            @Override
            public Schema writerSchema(int id) {
                lookups.incrementAndGet();
                if (id == 9) {
                    throw new SchemaResolverException("registry down");
                }
                return DEFAULT_IDS.writerSchema(id);
            }

            @Override
            public int idFor(String subject, Schema schema) {
                return DEFAULT_IDS.idFor(subject, schema);
            }
        };
        AvroAccessLogDecoder d = new AvroAccessLogDecoder(counting);
        for (int i = 0; i < 3; i++) {
            d.decode(bytes(event().setStatus(200 + i).build()));
        }
        assertEquals(1, lookups.get());

        byte[] b = bytes(event().build());
        b[4] = 9;
        // infrastructure failure: not an InvalidRecordException, so the record is not dead-lettered
        assertThrows(SchemaResolverException.class, () -> d.decode(b));
    }
}
