package dev.burnrate.demo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * Writes one access-log record as JSON in the convention of a given log shipper, the way each documents its output.
 * Used by the demo, the tests and the benchmark, so all three exercise the same realistic input mix.
 */
public enum AccessLogJson {
    /** Vector/Logstash style plain fields, epoch millis. */
    PLAIN {
        @Override
        String json(long ts, String service, String path, String method, int status, double durationMs) {
            return String.format(Locale.ROOT, "{\"timestamp\":%d,\"service\":\"%s\",\"route\":\"%s\",\"method\":\"%s\",\"status\":%d,\"duration_ms\":%.1f}",
                    ts, service, path, method, status, durationMs);
        }
    },
    /** Elastic Common Schema (Filebeat/Elastic Agent), nested objects, duration in nanoseconds. */
    ECS {
        @Override
        String json(long ts, String service, String path, String method, int status, double durationMs) {
            return String.format(Locale.ROOT, "{\"@timestamp\":\"%s\",\"service\":{\"name\":\"%s\"},\"url\":{\"path\":\"%s\"},"
                            + "\"http\":{\"request\":{\"method\":\"%s\"},\"response\":{\"status_code\":%d}},\"event\":{\"duration\":%d}}",
                    Instant.ofEpochMilli(ts), service, path, method, status, (long) (durationMs * 1_000_000));
        }
    },
    /** OpenTelemetry semantic conventions with dotted keys, as a collector's JSON exporter flattens attributes. */
    OTEL {
        @Override
        String json(long ts, String service, String path, String method, int status, double durationMs) {
            return String.format(Locale.ROOT, "{\"timestamp\":\"%s\",\"service.name\":\"%s\",\"http.route\":\"%s\",\"http.request.method\":\"%s\","
                    + "\"http.response.status_code\":%d}", Instant.ofEpochMilli(ts), service, path, method, status);
        }
    },
    /** nginx log_format json: status and request_time as strings, request_time in seconds. */
    NGINX {
        @Override
        String json(long ts, String service, String path, String method, int status, double durationMs) {
            return String.format(Locale.ROOT, "{\"time_iso8601\":\"%s\",\"service\":\"%s\",\"request_uri\":\"%s\",\"request_method\":\"%s\","
                            + "\"status\":\"%d\",\"request_time\":\"%.3f\"}",
                    Instant.ofEpochMilli(ts).toString().replace("Z", "+00:00"), service, path, method, status, durationMs / 1000);
        }
    },
    /** Fluent Bit with its epoch-seconds double time key. */
    FLUENT_BIT {
        @Override
        String json(long ts, String service, String path, String method, int status, double durationMs) {
            return String.format(Locale.ROOT, "{\"date\":%.3f,\"service\":\"%s\",\"path\":\"%s\",\"method\":\"%s\",\"status_code\":%d}",
                    ts / 1000.0, service, path, method, status);
        }
    };

    abstract String json(long ts, String service, String path, String method, int status, double durationMs);

    public byte[] bytes(long ts, String service, String path, String method, int status, double durationMs) {
        return json(ts, service, path, method, status, durationMs).getBytes(StandardCharsets.UTF_8);
    }
}
