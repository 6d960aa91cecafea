package dev.burnrate.ingest;

import dev.burnrate.core.DeadLetterReason;
import dev.burnrate.schema.AccessLogEvent;
import dev.burnrate.serde.ConfluentAvro;
import dev.burnrate.serde.SchemaResolver;
import dev.burnrate.serde.SchemaResolverException;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;

/**
 * Confluent-framed Avro {@code AccessLogEvent} bytes -> {@link AccessEvent}.
 *
 * <p>The writer schema comes from the {@link SchemaResolver} by the id in the header and is resolved into the
 * bundled {@code AccessLogEvent} schema, so producers on an older or newer compatible schema version are read
 * (missing optional fields take their defaults, extra fields are skipped).
 *
 * <p>Bad input is an {@link InvalidRecordException}: {@link DeadLetterReason#EMPTY}, {@link DeadLetterReason#UNDECODABLE}
 * (no framing, corrupt body, writer schema not resolvable), {@link DeadLetterReason#UNKNOWN_SCHEMA_ID},
 * {@link DeadLetterReason#MISSING_SERVICE}, {@link DeadLetterReason#STATUS_OUT_OF_RANGE}. A failing resolver (registry
 * down) is not bad input: its {@link SchemaResolverException} propagates, so an outage stops the processor rather than
 * dead-lettering every record. Thread-safe.
 */
public final class AvroAccessLogDecoder {
    private static final Schema READER = AccessLogEvent.getClassSchema();

    private final SchemaResolver resolver;
    private final Map<Integer, DatumReader<AccessLogEvent>> readers = new ConcurrentHashMap<>();

    public AvroAccessLogDecoder(SchemaResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * @throws InvalidRecordException     when the bytes cannot become an {@link AccessEvent}
     * @throws SchemaResolverException when the writer schema lookup fails (not when the id is merely unknown)
     */
    public AccessEvent decode(byte[] value) throws InvalidRecordException {
        if (value == null || value.length == 0) {
            throw new InvalidRecordException(DeadLetterReason.EMPTY, "empty value");
        }
        if (!ConfluentAvro.looksFramed(value)) {
            throw new InvalidRecordException(DeadLetterReason.UNDECODABLE,
                    "not in the Confluent Avro wire format (magic byte 0 + 4-byte schema id)");
        }
        int id = ConfluentAvro.schemaId(value);
        AccessLogEvent record;
        try {
            record = ConfluentAvro.decode(value, readerFor(id));
        } catch (IOException e) {
            throw new InvalidRecordException(DeadLetterReason.UNDECODABLE,
                    "schema id " + id + ": " + e.getMessage());
        }
        return toEvent(record);
    }

    private DatumReader<AccessLogEvent> readerFor(int id) throws InvalidRecordException {
        DatumReader<AccessLogEvent> reader = readers.get(id);
        if (reader != null) {
            return reader;
        }
        Schema writer = resolver.writerSchema(id);
        if (writer == null) {
            throw new InvalidRecordException(DeadLetterReason.UNKNOWN_SCHEMA_ID, "unknown Avro schema id " + id);
        }
        reader = ConfluentAvro.reader(writer, READER);
        DatumReader<AccessLogEvent> prev = readers.putIfAbsent(id, reader);
        return prev != null ? prev : reader;
    }

    private static AccessEvent toEvent(AccessLogEvent r) throws InvalidRecordException {
        String service = r.getService();
        if (service == null || service.isBlank()) {
            throw new InvalidRecordException(DeadLetterReason.MISSING_SERVICE, "service is blank");
        }
        int status = r.getStatus();
        if (status < 100 || status > 599) {
            throw new InvalidRecordException(DeadLetterReason.STATUS_OUT_OF_RANGE,
                    "status " + status + " outside 100-599");
        }
        String method = r.getMethod();
        method = method == null || method.isBlank() ? null : method.trim().toUpperCase(Locale.ROOT);
        Double duration = r.getDurationMs();
        return new AccessEvent(r.getTimestamp().toEpochMilli(), service.trim(), r.getRoute(), method, status,
                duration == null ? Double.NaN : duration, r.getDimensions());
    }
}
