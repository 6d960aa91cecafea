package dev.burnrate.ingest;

import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request served, after decoding and validation: the processor's internal event.
 *
 * @param timestampMs event time, epoch millis
 * @param service     service name, never blank
 * @param route       route as received (normalization happens in {@link RouteNormalizer})
 * @param method      HTTP method upper-cased, or null when the record had none
 * @param status      HTTP status code, 100-599
 * @param durationMs  request duration in milliseconds, or NaN when the record had none
 * @param dimensions  extra string dimensions (region, cluster, ...), never null
 */
public record AccessEvent(long timestampMs, String service, String route, String method, int status,
                          double durationMs, Map<String, String> dimensions) {
    public AccessEvent {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(route, "route");
        dimensions = dimensions == null ? Map.of() : Map.copyOf(dimensions);
    }
}
