package dev.burnrate.serde;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes records in the Confluent wire format. The schema id comes from the {@link SchemaResolver} for subject
 * {@code <topic>-value} ({@code <topic>-key} for keys): Confluent's default TopicNameStrategy.
 *
 * <p>Resolver failures ({@link SchemaResolverException}) propagate unchanged.
 */
abstract class ConfluentAvroSerializer<T extends IndexedRecord> implements Serializer<T> {
    private final Schema schemaToRegister;
    private volatile SchemaResolver resolver;
    private volatile boolean isKey;

    /**
     * @param resolver         null to build one from the configs passed to {@link #configure}
     * @param schemaToRegister the schema whose id is looked up (registered); must be the same schema the records carry
     */
    ConfluentAvroSerializer(SchemaResolver resolver, Schema schemaToRegister) {
        this.resolver = resolver;
        this.schemaToRegister = schemaToRegister;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (resolver == null) {
            resolver = SchemaResolver.fromSerdeConfigs(configs);
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        SchemaResolver r = SchemaResolver.required(resolver, this);
        int id = r.idFor(subject(topic, isKey), schemaToRegister);
        return ConfluentAvro.encodeFramed(id, data);
    }

    static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
