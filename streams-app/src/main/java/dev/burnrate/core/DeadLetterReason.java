package dev.burnrate.core;

import java.util.Locale;

/** Why a record could not become an access event (the ingest stage's decoding). The name goes into the dead-letter header and the metric tag. */
public enum DeadLetterReason {
    /** empty value (tombstone or zero bytes) */
    EMPTY,
    /** larger than ingest.max.record.bytes */
    OVERSIZED,
    /** neither a JSON object, an OTLP batch nor an Avro record in the Confluent wire format */
    UNDECODABLE,
    /** Confluent framing with a schema id the processor does not know and cannot fetch */
    UNKNOWN_SCHEMA_ID,
    /** no service name under any known field */
    MISSING_SERVICE,
    /** no status code under any known field, or one that is not a number */
    MISSING_STATUS,
    /** status code outside 100-599 */
    STATUS_OUT_OF_RANGE,
    /** a timestamp field is present but cannot be read as ISO-8601 or epoch seconds/millis */
    INVALID_TIMESTAMP,
    /** a service or route name holding a control character, a line separator or a lone surrogate (see the ingest stage's Names) */
    INVALID_NAME;

    /** kebab-case name used in headers and metric tags, e.g. "missing-service". */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
