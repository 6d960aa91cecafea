package dev.burnrate.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.schema.AccessLogEvent;
import dev.burnrate.schema.SloAlert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AlertAvroSerdeTest {

    /** Records what the serde asks; answers from the default static ids. */
    static final class RecordingResolver implements SchemaResolver {
        final SchemaResolver delegate = StaticSchemaResolver.fromConfig(Map.of());
        final List<String> subjects = new ArrayList<>();
        final List<Schema> schemas = new ArrayList<>();
        final List<Integer> lookedUpIds = new ArrayList<>();

        @Override
        public Schema writerSchema(int id) {
            lookedUpIds.add(id);
            return delegate.writerSchema(id);
        }

        @Override
        public int idFor(String subject, Schema schema) {
            subjects.add(subject);
            schemas.add(schema);
            return delegate.idFor(subject, schema);
        }
    }

    @Test
    void roundTripWithSubjectTopicValue() {
        RecordingResolver resolver = new RecordingResolver();
        Serde<SloAlert> serde = new AlertAvroSerde(resolver);
        SloAlert alert = ConfluentAvroTest.alert(null);
        byte[] bytes = serde.serializer().serialize("slo-alerts", alert);

        assertArrayEquals(new byte[] {0, 0, 0, 0, 2}, Arrays.copyOf(bytes, 5));
        assertEquals(List.of("slo-alerts-value"), resolver.subjects);
        assertEquals(BundledSchemas.sloAlert(), resolver.schemas.get(0), "registers the bundled .avsc");
        assertEquals(alert, serde.deserializer().deserialize("slo-alerts", bytes));
        SloAlert resolved = ConfluentAvroTest.alert(Instant.parse("2024-05-01T11:00:00Z"));
        assertEquals(resolved, serde.deserializer().deserialize("slo-alerts",
                serde.serializer().serialize("slo-alerts", resolved)));
        assertEquals(List.of(2), resolver.lookedUpIds, "reader built once per schema id");
    }

    @Test
    void keySerdeUsesTopicKeySubject() {
        RecordingResolver resolver = new RecordingResolver();
        AlertAvroSerde serde = new AlertAvroSerde(resolver);
        serde.configure(Map.of(), true);
        serde.serializer().serialize("t", ConfluentAvroTest.alert(null));
        assertEquals(List.of("t-key"), resolver.subjects);
    }

    @Test
    void configuredFromPropertiesLikeKafkaDoes() {
        AlertAvroSerde serde = new AlertAvroSerde();
        serde.configure(Map.of(StaticSchemaResolver.ALERT_ID_CONFIG, 77, "bootstrap.servers", "x:9092"), false);
        byte[] bytes = serde.serializer().serialize("alerts", ConfluentAvroTest.alert(null));
        assertEquals(77, ConfluentAvro.schemaId(bytes));
        assertEquals(ConfluentAvroTest.alert(null), serde.deserializer().deserialize("alerts", bytes));
    }

    @Test
    void unconfiguredSerializerFailsClearly() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new AlertAvroSerde.AlertSerializer().serialize("t", ConfluentAvroTest.alert(null)));
        assertTrue(e.getMessage().contains("configure"), e.getMessage());
    }

    @Test
    void nullsPassThrough() {
        AlertAvroSerde serde = new AlertAvroSerde(StaticSchemaResolver.fromConfig(Map.of()));
        assertNull(serde.serializer().serialize("t", null));
        assertNull(serde.deserializer().deserialize("t", null));
    }

    @Test
    void badBytesAreSerializationExceptions() {
        AlertAvroSerde serde = new AlertAvroSerde(StaticSchemaResolver.fromConfig(Map.of()));
        byte[] good = serde.serializer().serialize("t", ConfluentAvroTest.alert(null));

        SerializationException e = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("t", "{\"id\":\"x\"}".getBytes()));
        assertTrue(e.getMessage().contains("wire format"), e.getMessage());

        byte[] unknownId = good.clone();
        unknownId[4] = 9;
        e = assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", unknownId));
        assertTrue(e.getMessage().contains("unknown schema id 9"), e.getMessage());

        e = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("t", Arrays.copyOf(good, good.length - 4)));
        assertTrue(e.getMessage().contains("schema id 2"), e.getMessage());

        // an access-log event (id 1) is not an alert: resolution fails
        byte[] event = new AccessLogAvroSerializer(StaticSchemaResolver.fromConfig(Map.of()))
                .serialize("t", ConfluentAvroTest.event("GET", null, Map.of()));
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", event));
    }

    @Test
    void resolverFailuresAreNotSwallowed() {
        SchemaResolver down = new SchemaResolver() {
            @Override
            public Schema writerSchema(int id) {
                throw new SchemaResolverException("registry down");
            }

            @Override
            public int idFor(String subject, Schema schema) {
                throw new SchemaResolverException("registry down");
            }
        };
        AlertAvroSerde serde = new AlertAvroSerde(down);
        assertThrows(SchemaResolverException.class,
                () -> serde.serializer().serialize("t", ConfluentAvroTest.alert(null)));
        assertThrows(SchemaResolverException.class,
                () -> serde.deserializer().deserialize("t", new byte[] {0, 0, 0, 0, 2, 0}));
    }

    @Test
    void accessLogSerializerWritesIdOneAndTheEvent() throws Exception {
        RecordingResolver resolver = new RecordingResolver();
        AccessLogEvent event = ConfluentAvroTest.event("POST", 3.0, Map.of("region", "eu"));
        byte[] bytes = new AccessLogAvroSerializer(resolver).serialize("access-logs", event);
        assertEquals(1, ConfluentAvro.schemaId(bytes));
        assertEquals(List.of("access-logs-value"), resolver.subjects);
        assertEquals(BundledSchemas.accessLogEvent(), resolver.schemas.get(0));
        assertEquals(event, ConfluentAvro.decode(bytes, BundledSchemas.accessLogEvent(), AccessLogEvent.getClassSchema()));
    }
}
