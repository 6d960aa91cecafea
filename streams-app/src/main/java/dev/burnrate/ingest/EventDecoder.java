package dev.burnrate.ingest;

import dev.burnrate.core.SkipReason;
import dev.burnrate.core.DeadLetterReason;

/**
 * Turns one input record's bytes into {@link AccessEvent}s, detecting the encoding per record from its first bytes
 * (no configuration, no header): Confluent-framed Avro starts with the magic byte 0; an OTLP protobuf batch from the
 * OpenTelemetry Collector's kafka exporter ({@code otlp_proto}) with 0x0A (field 1, length-delimited); JSON with
 * '{' (after optional whitespace or a UTF-8 BOM), and an OTLP/JSON batch ({@code otlp_json}) is the JSON object whose
 * first key is {@code "resourceLogs"} or {@code "resourceSpans"}, as the collector writes it. Anything else, or
 * anything over the size limit, is an {@link InvalidRecordException} for the dead-letter topic.
 *
 * <p>A plain record gives one event; an OTLP batch gives one per HTTP request in it, and counts the other entries as
 * skipped. The events go to a {@link Sink} as they are decoded. When the decoder then throws, the events it already
 * gave stand (a batch with some bad entries: its good ones are counted, and the record is dead-lettered for the
 * others); a single-event record throws before giving anything.
 */
public final class EventDecoder {
    /** Receives what one record decoded to. */
    public interface Sink {
        void event(AccessEvent event);

        /** An entry of a batch that is not an HTTP request served: counted, not dead-lettered. */
        void skipped(SkipReason reason);
    }

    /** One encoding's decoder. */
    @FunctionalInterface
    public interface Decoder {
        void decode(byte[] value, long recordTimestampMs, Sink sink) throws InvalidRecordException;
    }

    /** First byte of an OTLP LogsData / TracesData message: field 1 (resource_logs / resource_spans), wire type 2. */
    static final byte OTLP_PROTO_FIRST_BYTE = 0x0A;

    private static final byte[] RESOURCE = "\"resource".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] LOGS = "Logs\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] SPANS = "Spans\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final int maxRecordBytes;
    private final Decoder json;
    private final Decoder avro;
    private final Decoder otlpProto;
    private final Decoder otlpJson;

    public EventDecoder(int maxRecordBytes, Decoder json, Decoder avro, Decoder otlpProto, Decoder otlpJson) {
        this.maxRecordBytes = maxRecordBytes;
        this.json = json;
        this.avro = avro;
        this.otlpProto = otlpProto;
        this.otlpJson = otlpJson;
    }

    /**
     * Decodes the record; an event whose service or route name {@link Names} rejects is not given to the sink, and the
     * record is then dead-lettered (reason invalid-name) after the events that stand.
     */
    public void decode(byte[] value, long recordTimestampMs, Sink sink) throws InvalidRecordException {
        Names.Checked checked = new Names.Checked(sink);
        decodeAny(value, recordTimestampMs, checked);
        checked.throwIfRejected();
    }

    private void decodeAny(byte[] value, long recordTimestampMs, Sink sink) throws InvalidRecordException {
        if (value == null || value.length == 0) throw new InvalidRecordException(DeadLetterReason.EMPTY, "empty record value");
        if (value.length > maxRecordBytes) {
            throw new InvalidRecordException(DeadLetterReason.OVERSIZED,
                    value.length + " bytes, over ingest.max.record.bytes=" + maxRecordBytes);
        }
        byte first = value[0];
        if (first == 0) {
            avro.decode(value, recordTimestampMs, sink);
            return;
        }
        int i = 0;
        if (value.length >= 3 && (first & 0xff) == 0xEF && (value[1] & 0xff) == 0xBB && (value[2] & 0xff) == 0xBF) i = 3;
        i = skipWhitespace(value, i);
        boolean object = i < value.length && value[i] == '{';
        if (first == OTLP_PROTO_FIRST_BYTE) {
            if (!object) {
                otlpProto.decode(value, recordTimestampMs, sink);
                return;
            }
            // '\n' then '{': JSON after a newline, or (rarely) a protobuf batch whose first entry is 123 bytes long
            try {
                json.decode(value, recordTimestampMs, sink);
            } catch (InvalidRecordException notJson) {
                if (notJson.reason() != DeadLetterReason.UNDECODABLE) throw notJson;
                try {
                    otlpProto.decode(value, recordTimestampMs, sink);
                } catch (InvalidRecordException notOtlp) {
                    throw notOtlp.reason() == DeadLetterReason.UNDECODABLE ? notJson : notOtlp;
                }
            }
            return;
        }
        if (object) {
            (isOtlpJson(value, i + 1) ? otlpJson : json).decode(value, recordTimestampMs, sink);
            return;
        }
        throw new InvalidRecordException(DeadLetterReason.UNDECODABLE, "neither a JSON object, an OTLP batch nor "
                + "Confluent-framed Avro (first byte 0x" + String.format("%02x", first & 0xff) + ")");
    }

    /** Whether the object's first key is "resourceLogs" or "resourceSpans": a few byte compares, and a plain access
     * log's first key almost always differs at its first letter. */
    private static boolean isOtlpJson(byte[] v, int from) {
        int i = skipWhitespace(v, from);
        if (!startsWith(v, i, RESOURCE)) return false;
        i += RESOURCE.length;
        return startsWith(v, i, LOGS) || startsWith(v, i, SPANS);
    }

    private static boolean startsWith(byte[] v, int at, byte[] prefix) {
        if (at + prefix.length > v.length) return false;
        for (int k = 0; k < prefix.length; k++) {
            if (v[at + k] != prefix[k]) return false;
        }
        return true;
    }

    private static int skipWhitespace(byte[] v, int i) {
        while (i < v.length && (v[i] == ' ' || v[i] == '\t' || v[i] == '\r' || v[i] == '\n')) i++;
        return i;
    }
}
