package dev.burnrate.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the Confluent wire format: writer schema by id from the {@link SchemaResolver}, resolved into the
 * reader schema. Bad bytes (no framing, unknown id, corrupt body) are a {@link SerializationException}, which Kafka
 * Streams hands to its deserialization exception handler; resolver failures ({@link SchemaResolverException})
 * propagate unchanged.
 */
class ConfluentAvroDeserializer<T> implements Deserializer<T> {
    private final Schema readerSchema;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private volatile SchemaResolver resolver;

    /** @param resolver null to build one from the configs passed to {@link #configure} */
    ConfluentAvroDeserializer(SchemaResolver resolver, Schema readerSchema) {
        this.resolver = resolver;
        this.readerSchema = readerSchema;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (resolver == null) {
            resolver = SchemaResolver.fromSerdeConfigs(configs);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        SchemaResolver r = SchemaResolver.required(resolver, this);
        if (!ConfluentAvro.looksFramed(data)) {
            throw new SerializationException("record on " + topic + " is not in the Confluent Avro wire format");
        }
        int id = ConfluentAvro.schemaId(data);
        DatumReader<T> reader = readers.get(id);
        if (reader == null) {
            Schema writer = r.writerSchema(id);
            if (writer == null) {
                throw new SerializationException("record on " + topic + ": unknown schema id " + id);
            }
            reader = ConfluentAvro.reader(writer, readerSchema);
            readers.putIfAbsent(id, reader);
        }
        try {
            return ConfluentAvro.decode(data, reader);
        } catch (IOException e) {
            throw new SerializationException("record on " + topic + " with schema id " + id + ": " + e.getMessage());
        }
    }
}
