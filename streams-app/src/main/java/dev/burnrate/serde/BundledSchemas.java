package dev.burnrate.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/**
 * The schemas shipped with the application, read from the {@code .avsc} files on the class path
 * ({@code avro/AccessLogEvent.avsc}, {@code avro/SloAlert.avsc}). Unlike the generated classes' {@code SCHEMA$} they
 * carry no {@code avro.java.string} properties, so they are what we register with a Schema Registry.
 */
public final class BundledSchemas {
    private static final Schema ACCESS_LOG_EVENT = load("avro/AccessLogEvent.avsc");
    private static final Schema SLO_ALERT = load("avro/SloAlert.avsc");

    private BundledSchemas() {
    }

    public static Schema accessLogEvent() {
        return ACCESS_LOG_EVENT;
    }

    public static Schema sloAlert() {
        return SLO_ALERT;
    }

    private static Schema load(String resource) {
        try (InputStream in = BundledSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + resource + " is not on the class path");
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + resource, e);
        }
    }
}
