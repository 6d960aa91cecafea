package dev.burnrate.serde;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Schema ids fixed by configuration, for deployments without a Schema Registry. The producer and the processor must
 * agree on the ids out of band.
 *
 * <p>{@link #idFor} ignores the subject and matches the schema by its Avro parsing canonical form (so docs, defaults
 * and {@code avro.java.string} properties do not matter); a schema not in the table is a
 * {@link SchemaResolverException}.
 */
public final class StaticSchemaResolver implements SchemaResolver {

    /** Id of the bundled AccessLogEvent schema; default {@value #DEFAULT_ACCESS_LOG_EVENT_ID}. */
    public static final String ACCESS_LOG_EVENT_ID_CONFIG = "avro.schema.id.access-log-event";
    /** Id of the bundled SloAlert schema; default {@value #DEFAULT_ALERT_ID}. */
    public static final String ALERT_ID_CONFIG = "avro.schema.id.alert";
    public static final int DEFAULT_ACCESS_LOG_EVENT_ID = 1;
    public static final int DEFAULT_ALERT_ID = 2;

    private final Map<Integer, Schema> byId;
    private final Map<Long, Integer> idByFingerprint = new HashMap<>();

    /** @param schemasById id -> schema; copied */
    public StaticSchemaResolver(Map<Integer, Schema> schemasById) {
        this.byId = Map.copyOf(schemasById);
        for (Map.Entry<Integer, Schema> e : byId.entrySet()) {
            // two ids for the same schema would make idFor ambiguous: keep the lowest so it is at least deterministic
            idByFingerprint.merge(SchemaNormalization.parsingFingerprint64(e.getValue()), e.getKey(), Math::min);
        }
    }

    /** The bundled AccessLogEvent and SloAlert schemas under the ids configured by {@value #ACCESS_LOG_EVENT_ID_CONFIG}
     * and {@value #ALERT_ID_CONFIG} (defaults 1 and 2). */
    public static StaticSchemaResolver fromConfig(Map<String, String> config) {
        int eventId = intConfig(config, ACCESS_LOG_EVENT_ID_CONFIG, DEFAULT_ACCESS_LOG_EVENT_ID);
        int alertId = intConfig(config, ALERT_ID_CONFIG, DEFAULT_ALERT_ID);
        if (eventId == alertId) {
            throw new IllegalArgumentException(ACCESS_LOG_EVENT_ID_CONFIG + " and " + ALERT_ID_CONFIG
                    + " must differ, both are " + eventId);
        }
        Map<Integer, Schema> m = new LinkedHashMap<>();
        m.put(eventId, BundledSchemas.accessLogEvent());
        m.put(alertId, BundledSchemas.sloAlert());
        return new StaticSchemaResolver(m);
    }

    @Override
    public Schema writerSchema(int id) {
        return byId.get(id);
    }

    @Override
    public int idFor(String subject, Schema schema) {
        Integer id = idByFingerprint.get(SchemaNormalization.parsingFingerprint64(schema));
        if (id == null) {
            throw new SchemaResolverException("no static schema id configured for schema " + schema.getFullName()
                    + " (subject " + subject + "); known ids: " + byId.keySet());
        }
        return id;
    }

    private static int intConfig(Map<String, String> config, String key, int dflt) {
        String v = config.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer schema id, got '" + v + "'");
        }
    }
}
