package dev.burnrate.ingest;

/**
 * Turns one input record's bytes into an {@link AccessEvent}, detecting the encoding per record: Confluent-framed
 * Avro starts with the magic byte 0, JSON with '{' (after optional whitespace or a UTF-8 BOM). Anything else, or
 * anything over the size limit, is an {@link InvalidRecordException} for the dead-letter topic.
 */
public final class EventDecoder {
    /** One encoding's decoder. */
    @FunctionalInterface
    public interface Decoder {
        AccessEvent decode(byte[] value, long recordTimestampMs) throws InvalidRecordException;
    }

    private final int maxRecordBytes;
    private final Decoder json;
    private final Decoder avro;

    public EventDecoder(int maxRecordBytes, Decoder json, Decoder avro) {
        this.maxRecordBytes = maxRecordBytes;
        this.json = json;
        this.avro = avro;
    }

    public AccessEvent decode(byte[] value, long recordTimestampMs) throws InvalidRecordException {
        if (value == null || value.length == 0) throw new InvalidRecordException(DeadLetterReason.EMPTY, "empty record value");
        if (value.length > maxRecordBytes) {
            throw new InvalidRecordException(DeadLetterReason.OVERSIZED,
                    value.length + " bytes, over ingest.max.record.bytes=" + maxRecordBytes);
        }
        if (value[0] == 0) return avro.decode(value, recordTimestampMs);
        int i = 0;
        if (value.length >= 3 && (value[0] & 0xff) == 0xEF && (value[1] & 0xff) == 0xBB && (value[2] & 0xff) == 0xBF) i = 3;
        while (i < value.length && (value[i] == ' ' || value[i] == '\t' || value[i] == '\r' || value[i] == '\n')) i++;
        if (i < value.length && value[i] == '{') return json.decode(value, recordTimestampMs);
        throw new InvalidRecordException(DeadLetterReason.UNDECODABLE, "neither a JSON object nor Confluent-framed Avro (first byte 0x"
                + String.format("%02x", value[0] & 0xff) + ")");
    }
}
