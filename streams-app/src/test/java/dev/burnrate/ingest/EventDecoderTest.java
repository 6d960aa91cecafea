package dev.burnrate.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.burnrate.core.DeadLetterReason;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The per-record encoding detection: by the first bytes only, with the ambiguous cases decided correctly. */
class EventDecoderTest {

    static CollectingSink decode(byte[] value) throws InvalidRecordException {
        CollectingSink sink = new CollectingSink();
        ShipperFormatsTest.DECODER.decode(value, ShipperFormatsTest.RECORD_TS, sink);
        return sink;
    }

    static CollectingSink decode(String value) throws InvalidRecordException {
        return decode(value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void plainJsonIsNotTakenForOtlpJson() throws Exception {
        // a first key that starts like OTLP's but is not it
        assertEquals("a", decode("{\"resource\":\"db\",\"service\":\"a\",\"status\":200}").single().service());
        assertEquals("a", decode("{\"resourceLogsCount\":1,\"service\":\"a\",\"status\":200}").single().service());
        // JSON after a newline byte, which is also the first byte of an OTLP protobuf batch
        assertEquals("a", decode("\n {\"service\":\"a\",\"status\":200}").single().service());
    }

    @Test
    void otlpJsonIsRecognizedByItsFirstKeyAfterWhitespace() throws Exception {
        CollectingSink s = decode("""
                 {
                  "resourceLogs": [{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"a"}}]},
                   "scopeLogs":[{"logRecords":[{"attributes":[{"key":"http.response.status_code","value":{"intValue":"204"}}]}]}]}]
                }""");
        assertEquals(204, s.single().status());
        assertEquals(ShipperFormatsTest.RECORD_TS, s.single().timestampMs(), "no time in the record: the Kafka timestamp");
    }

    @Test
    void aProtobufBatchThatLooksLikeJsonAfterANewlineIsStillDecoded() throws Exception {
        // the first ResourceLogs 123 bytes long: its length byte is '{'
        LogRecord r = LogRecord.newBuilder().setTimeUnixNano(1_732_200_000_000_000_000L)
                .addAttributes(OtlpDecoderTest.kv("http.response.status_code", 200)).build();
        LogsData d = null;
        for (int pad = 0; pad < 123; pad++) {
            ResourceLogs rl = ResourceLogs.newBuilder().setResource(OtlpDecoderTest.resource(OtlpDecoderTest.kv("service.name", "a")))
                    .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(r)).setSchemaUrl("x".repeat(pad)).build();
            if (rl.getSerializedSize() == 123) {
                d = LogsData.newBuilder().addResourceLogs(rl).build();
                break;
            }
        }
        byte[] value = d.toByteArray();
        assertEquals('\n', value[0]);
        assertEquals('{', value[1]);
        assertEquals("a", decode(value).single().service());
    }

    @Test
    void neitherJsonNorOtlpNorAvroIsUndecodable() {
        for (String s : new String[] {"\nhello", "hello", "\n{not json", "[1,2]"}) {
            InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> decode(s), s);
            assertEquals(DeadLetterReason.UNDECODABLE, e.reason(), s);
        }
    }
}
