package dev.burnrate.serde;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Maps Confluent wire-format schema ids to Avro schemas (reading side) and schemas to ids (writing side).
 *
 * <p>Error contract:
 * <ul>
 *   <li>{@link #writerSchema(int)} returns {@code null} when the id is simply unknown (the record is bad input and
 *       belongs on the dead-letter topic);</li>
 *   <li>both methods throw the unchecked {@link SchemaResolverException} when the lookup itself fails (registry
 *       down, timeout, auth, malformed answer) or, for {@link #idFor}, when no id can be given to the schema.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface SchemaResolver {

    /** Base URL of a Confluent-compatible Schema Registry; when set, {@link #fromConfig} uses the registry. */
    String REGISTRY_URL_CONFIG = "schema.registry.url";

    /**
     * @param id the schema id from bytes 1-4 of a framed record
     * @return the writer schema registered under that id, or {@code null} when the id is unknown
     * @throws SchemaResolverException when the lookup fails
     */
    Schema writerSchema(int id);

    /**
     * @param subject registry subject, e.g. {@code <topic>-value}; a static resolver ignores it
     * @param schema  the schema the caller writes with
     * @return the id to put in the wire-format header
     * @throws SchemaResolverException when no id can be obtained for the schema
     */
    int idFor(String subject, Schema schema);

    /**
     * {@link RegistrySchemaResolver} when {@value #REGISTRY_URL_CONFIG} is set (non-blank), else
     * {@link StaticSchemaResolver}. Unrelated keys are ignored, so the whole application config can be passed.
     */
    static SchemaResolver fromConfig(Map<String, String> config) {
        String url = config.get(REGISTRY_URL_CONFIG);
        if (url != null && !url.isBlank()) {
            return RegistrySchemaResolver.fromConfig(config);
        }
        return StaticSchemaResolver.fromConfig(config);
    }

    /** {@link #fromConfig} over the configs a Kafka serializer's {@code configure} gets (any value type, as text). */
    static SchemaResolver fromSerdeConfigs(Map<String, ?> configs) {
        Map<String, String> m = new HashMap<>();
        configs.forEach((k, v) -> {
            if (v != null) m.put(k, v.toString());
        });
        return fromConfig(m);
    }

    /** The resolver a serde was given or configured with; fails naming the serde when it got neither. */
    static SchemaResolver required(SchemaResolver resolver, Object serde) {
        if (resolver == null) {
            throw new IllegalStateException(serde.getClass().getSimpleName()
                    + " has no SchemaResolver: pass one to the constructor or call configure()");
        }
        return resolver;
    }
}
