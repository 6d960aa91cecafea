package dev.burnrate.serde;

import dev.burnrate.schema.SloAlert;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link SloAlert} in the Confluent wire format, subject {@code <topic>-value}. Registers/looks up the bundled
 * {@code SloAlert.avsc}; reads any writer schema resolvable into it.
 *
 * <p>Either pass a {@link SchemaResolver}, or use the no-arg constructor and {@link #configure} with the
 * application config (see {@link SchemaResolver#fromConfig}).
 */
public final class AlertAvroSerde implements Serde<SloAlert> {
    private final AlertSerializer serializer;
    private final AlertDeserializer deserializer;

    public AlertAvroSerde() {
        this(null);
    }

    public AlertAvroSerde(SchemaResolver resolver) {
        this.serializer = new AlertSerializer(resolver);
        this.deserializer = new AlertDeserializer(resolver);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<SloAlert> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<SloAlert> deserializer() {
        return deserializer;
    }

    public static final class AlertSerializer extends ConfluentAvroSerializer<SloAlert> {
        /** For Kafka's reflective instantiation: the resolver comes from {@link #configure}. */
        public AlertSerializer() {
            this(null);
        }

        public AlertSerializer(SchemaResolver resolver) {
            super(resolver, BundledSchemas.sloAlert());
        }
    }

    public static final class AlertDeserializer extends ConfluentAvroDeserializer<SloAlert> {
        /** For Kafka's reflective instantiation: the resolver comes from {@link #configure}. */
        public AlertDeserializer() {
            this(null);
        }

        public AlertDeserializer(SchemaResolver resolver) {
            super(resolver, SloAlert.getClassSchema());
        }
    }
}
