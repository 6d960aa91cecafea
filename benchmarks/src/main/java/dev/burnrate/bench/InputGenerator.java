package dev.burnrate.bench;

import dev.burnrate.demo.AccessLogJson;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The throughput input: realistic JSON access logs in the mix of shipper conventions the product supports
 * ({@link AccessLogJson}: plain, ECS, OpenTelemetry, nginx, Fluent Bit), 60 services with 12-24 route templates each
 * (ids, UUIDs and query strings in the paths, so route normalization does real work), skewed popularity, ~1% 5xx
 * overall (most services 0.5%, a few unhealthy ones 3-6%), ~3% 4xx, ~1% 3xx. Event time advances 3 ms per record
 * (2M records = 100 minutes) with jitter; records go round-robin to the input partitions, each partition in event-time
 * order like a shipper's stream. Every record is valid (no dead letters), so "all processed" is exact.
 */
final class InputGenerator {
    static final String[] BASE = {"checkout", "catalog", "auth", "search", "payments", "cart", "orders", "inventory",
            "shipping", "users", "reviews", "recommendations", "gateway", "notifications", "billing"};
    static final String[] TEMPLATES = {"/api/v1/orders/%d", "/api/v1/orders/%d/items", "/api/v1/orders", "/api/v1/cart",
            "/api/v1/users/%s", "/api/v1/users/%s/sessions", "/api/v2/products/%d?page=%d", "/api/v2/products",
            "/api/v2/search?q=shoes&page=%d", "/health", "/api/v1/pay", "/api/v1/token", "/api/v1/items/%d/reviews",
            "/static/app.%x.js", "/api/v1/categories", "/api/v1/recommendations/%d", "/api/v1/inventory/%d/stock",
            "/api/v1/shipping/quote", "/api/v1/invoices/%d/pdf", "/api/v1/notifications/unread", "/graphql",
            "/api/v1/login", "/api/v1/logout", "/api/v1/profile"};
    static final String[] METHODS = {"GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE"};

    static final int SERVICES = 60;
    static final long STEP_MS = 3;

    private InputGenerator() {
    }

    /** Receives one generated record. */
    @FunctionalInterface
    interface RecordSink {
        void record(long index, long timestampMs, byte[] value);
    }

    /** Produces n records to the topic (partitions round-robin) with event time from startMs; returns bytes written. */
    static long produce(String bootstrap, String topic, int partitions, long n, long startMs, double stepMs) {
        try (KafkaProducer<byte[], byte[]> producer = Kafka.bulkProducer(bootstrap)) {
            long bytes = generate(n, startMs, stepMs, (i, ts, value) ->
                    producer.send(new ProducerRecord<>(topic, (int) (i % partitions), ts, null, value)));
            producer.flush();
            return bytes;
        }
    }

    /** The n records, the same for the same n and startMs, in event-time order (with jitter); returns their bytes. */
    static long generate(long n, long startMs, RecordSink sink) {
        return generate(n, startMs, STEP_MS, sink);
    }

    /** As {@link #generate(long, long, RecordSink)}, event time advancing stepMs per record. */
    static long generate(long n, long startMs, double stepMs, RecordSink sink) {
        Random rnd = new Random(42);
        String[] services = new String[SERVICES];
        double[] errorRate = new double[SERVICES];
        int[] templates = new int[SERVICES];
        for (int s = 0; s < SERVICES; s++) {
            services[s] = BASE[s % BASE.length] + "-" + (s / BASE.length + 1);
            errorRate[s] = s % 12 == 5 ? 0.03 + 0.03 * rnd.nextDouble() : 0.005; // 5 of 60 services unhealthy
            templates[s] = 12 + rnd.nextInt(TEMPLATES.length - 11);
        }
        AccessLogJson[] conventions = AccessLogJson.values();
        long bytes = 0;
        for (long i = 0; i < n; i++) {
            // skewed popularity: a few services and routes take most of the traffic
            int s = (int) Math.min(SERVICES - 1, Math.abs(rnd.nextGaussian()) * SERVICES / 2.5);
            int t = (int) Math.min(templates[s] - 1, Math.abs(rnd.nextGaussian()) * templates[s] / 2.0);
            String route = String.format(TEMPLATES[(t + s) % TEMPLATES.length], 1000 + rnd.nextInt(90000),
                    rnd.nextInt(5)).replace("%s", "");
            if (route.contains("/users/")) route = route.replaceFirst("/users/[^/]*", "/users/" + new UUID(rnd.nextLong(), rnd.nextLong()));
            double p = rnd.nextDouble();
            int status;
            if (p < errorRate[s]) status = rnd.nextInt(10) < 6 ? 503 : (rnd.nextBoolean() ? 500 : 504);
            else if (p < errorRate[s] + 0.03) status = rnd.nextInt(4) == 0 ? 429 : 404;
            else if (p < errorRate[s] + 0.04) status = 302;
            else status = rnd.nextInt(20) == 0 ? 201 : 200;
            long ts = startMs + (long) (i * stepMs) + rnd.nextInt(50);
            byte[] value = conventions[rnd.nextInt(conventions.length)].bytes(ts, services[s], route,
                    METHODS[rnd.nextInt(METHODS.length)], status, 2 + rnd.nextInt(300) + rnd.nextDouble());
            bytes += value.length;
            sink.record(i, ts, value);
        }
        return bytes;
    }
}
