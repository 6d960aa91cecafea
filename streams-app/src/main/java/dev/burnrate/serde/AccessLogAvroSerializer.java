package dev.burnrate.serde;

import dev.burnrate.schema.AccessLogEvent;

/**
 * {@link AccessLogEvent} in the Confluent wire format, subject {@code <topic>-value}: what a producer of access logs
 * (demo traffic, tests) writes. Registers/looks up the bundled {@code AccessLogEvent.avsc}.
 */
public final class AccessLogAvroSerializer extends ConfluentAvroSerializer<AccessLogEvent> {
    /** For Kafka's reflective instantiation: the resolver comes from {@link #configure}. */
    public AccessLogAvroSerializer() {
        this(null);
    }

    public AccessLogAvroSerializer(SchemaResolver resolver) {
        super(resolver, BundledSchemas.accessLogEvent());
    }
}
