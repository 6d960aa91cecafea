package dev.burnrate.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.schema.AccessLogEvent;
import dev.burnrate.schema.SloAlert;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class StaticSchemaResolverTest {

    @Test
    void defaultsAreOneForAccessLogEventAndTwoForAlert() {
        StaticSchemaResolver r = StaticSchemaResolver.fromConfig(Map.of());
        assertSame(BundledSchemas.accessLogEvent(), r.writerSchema(1));
        assertSame(BundledSchemas.sloAlert(), r.writerSchema(2));
        assertNull(r.writerSchema(3));
        assertNull(r.writerSchema(0));
        assertEquals(1, r.idFor("access-logs-value", BundledSchemas.accessLogEvent()));
        assertEquals(2, r.idFor("alerts-value", BundledSchemas.sloAlert()));
    }

    @Test
    void idsAreConfigurable() {
        StaticSchemaResolver r = StaticSchemaResolver.fromConfig(Map.of(
                StaticSchemaResolver.ACCESS_LOG_EVENT_ID_CONFIG, "101", StaticSchemaResolver.ALERT_ID_CONFIG, " 7 "));
        assertNull(r.writerSchema(1));
        assertNull(r.writerSchema(2));
        assertEquals("dev.burnrate.schema.AccessLogEvent", r.writerSchema(101).getFullName());
        assertEquals("dev.burnrate.schema.SloAlert", r.writerSchema(7).getFullName());
        assertEquals(7, r.idFor("x", BundledSchemas.sloAlert()));
    }

    @Test
    void badIdConfigIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                StaticSchemaResolver.fromConfig(Map.of(StaticSchemaResolver.ALERT_ID_CONFIG, "two")));
        assertTrue(e.getMessage().contains(StaticSchemaResolver.ALERT_ID_CONFIG), e.getMessage());
        assertThrows(IllegalArgumentException.class, () ->
                StaticSchemaResolver.fromConfig(Map.of(StaticSchemaResolver.ALERT_ID_CONFIG, "1")));
    }

    /** The generated classes' SCHEMA$ carries avro.java.string properties; it is still the same schema. */
    @Test
    void idForMatchesByCanonicalFormNotByPropertiesOrDocs() {
        StaticSchemaResolver r = StaticSchemaResolver.fromConfig(Map.of());
        assertEquals(1, r.idFor("s", AccessLogEvent.getClassSchema()));
        assertEquals(2, r.idFor("s", SloAlert.getClassSchema()));
    }

    @Test
    void idForUnknownSchemaFails() {
        Schema other = SchemaBuilder.record("Other").fields().requiredString("x").endRecord();
        SchemaResolverException e = assertThrows(SchemaResolverException.class,
                () -> StaticSchemaResolver.fromConfig(Map.of()).idFor("topic-value", other));
        assertTrue(e.getMessage().contains("Other") && e.getMessage().contains("topic-value"), e.getMessage());
    }

    @Test
    void explicitMap() {
        Schema other = SchemaBuilder.record("Other").fields().requiredString("x").endRecord();
        StaticSchemaResolver r = new StaticSchemaResolver(Map.of(40, other));
        assertSame(other, r.writerSchema(40));
        assertEquals(40, r.idFor("s", other));
        assertNull(r.writerSchema(1));
    }

    @Test
    void factoryChoosesRegistryOnlyWhenUrlIsSet() {
        assertInstanceOf(StaticSchemaResolver.class, SchemaResolver.fromConfig(Map.of()));
        assertInstanceOf(StaticSchemaResolver.class,
                SchemaResolver.fromConfig(Map.of(SchemaResolver.REGISTRY_URL_CONFIG, "  ")));
        SchemaResolver reg = SchemaResolver.fromConfig(Map.of(SchemaResolver.REGISTRY_URL_CONFIG,
                "http://registry:8081/", StaticSchemaResolver.ALERT_ID_CONFIG, "9"));
        assertInstanceOf(RegistrySchemaResolver.class, reg);
        assertEquals("http://registry:8081", ((RegistrySchemaResolver) reg).url());
        // static ids configured next to a registry URL are ignored, not an error
        SchemaResolver stat = SchemaResolver.fromConfig(Map.of(StaticSchemaResolver.ALERT_ID_CONFIG, "9"));
        assertEquals(9, stat.idFor("s", BundledSchemas.sloAlert()));
    }

    @Test
    void registryConfigIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> SchemaResolver.fromConfig(
                Map.of(SchemaResolver.REGISTRY_URL_CONFIG, "http://a:8081,http://b:8081")));
        assertThrows(IllegalArgumentException.class, () -> SchemaResolver.fromConfig(
                Map.of(SchemaResolver.REGISTRY_URL_CONFIG, "registry:8081")));
        assertThrows(IllegalArgumentException.class, () -> SchemaResolver.fromConfig(Map.of(
                SchemaResolver.REGISTRY_URL_CONFIG, "http://a:8081",
                RegistrySchemaResolver.BASIC_AUTH_USER_INFO_CONFIG, "no-colon")));
    }
}
