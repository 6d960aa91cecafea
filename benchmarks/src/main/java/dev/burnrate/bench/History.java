package dev.burnrate.bench;

import dev.burnrate.core.TimeBuckets;
import dev.burnrate.demo.AccessLogJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The memory part's input: {@code days} of access logs ending now for {@code services} x {@code routes} routes, with
 * Zipf route popularity. The keys are ranked 1..K in a fixed random order (so every service has busy and quiet
 * routes); the key of rank k gets requests as a Poisson process of {@code topRate / k} per hour: with the default
 * 1,000/h the ~1,000 busiest keys are busy every hour, the median key (rank 50k) sees a request every ~50 hours.
 *
 * <p>What the state holds is which (key, bucket) pairs have requests, not how many. So the input carries, per
 * slot of the finest bucket tier that still keeps that stretch of time (1h buckets older than 6h, 5m buckets back to
 * 6h, 1m back to 1h, 10s in the last 5m), one request for each key whose process has a request in that slot: each
 * bucket is non-empty exactly when the Poisson process puts a request in it, with a replayable volume (a busy key's
 * buckets hold 1 request instead of hundreds; the encoding's size does not grow much with the counts). Statuses:
 * 3% 404, 1% 5xx (500, 502, 503 or 504), the rest 200. Produced in event-time order, so nothing is late.
 */
final class History {
    private static final int[] FIVE_XX = {500, 502, 503, 504};
    private static final long HOUR = 3_600_000, FIVE_MIN = 300_000, MINUTE = 60_000, TEN_S = 10_000;

    private final int services;
    private final int routes;
    private final int days;
    private final double topRatePerHour;

    History(int services, int routes, int days, double topRatePerHour) {
        this.services = services;
        this.routes = routes;
        this.days = days;
        this.topRatePerHour = topRatePerHour;
    }

    int keys() {
        return services * routes;
    }

    /** Produces the history ending at nowMs to the topic; returns the number of records. */
    long produce(KafkaProducer<byte[], byte[]> producer, String topic, int partitions, long nowMs) {
        int k = keys();
        Random random = new Random(42);
        // rank of each key: a fixed random permutation
        int[] rank = new int[k];
        for (int i = 0; i < k; i++) rank[i] = i + 1;
        for (int i = k - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = rank[i];
            rank[i] = rank[j];
            rank[j] = t;
        }
        double[] perMs = new double[k];
        for (int i = 0; i < k; i++) perMs[i] = topRatePerHour / rank[i] / HOUR;
        long end = TimeBuckets.start(nowMs, TEN_S);
        long start = TimeBuckets.start(end - days * 24 * HOUR, HOUR);
        AccessLogJson[] conventions = AccessLogJson.values();
        long sent = 0;
        List<long[]> slot = new ArrayList<>(); // (time, key, status)
        for (long t = start; t < end; ) {
            long len = t < end - 6 * HOUR ? HOUR : t < end - HOUR ? FIVE_MIN : t < end - 5 * MINUTE ? MINUTE : TEN_S;
            len = Math.min(len, end - t);
            slot.clear();
            for (int i = 0; i < k; i++) {
                double p = 1 - Math.exp(-perMs[i] * len);
                if (random.nextDouble() >= p) continue;
                double u = random.nextDouble();
                int status = u < 0.03 ? 404 : u < 0.04 ? FIVE_XX[random.nextInt(FIVE_XX.length)] : 200;
                slot.add(new long[] {t + (long) (random.nextDouble() * len), i, status});
            }
            slot.sort((a, b) -> Long.compare(a[0], b[0]));
            for (long[] e : slot) {
                int key = (int) e[1];
                byte[] v = conventions[(int) (sent % conventions.length)].bytes(e[0], "svc-" + key / routes,
                        "/api/r" + key % routes + "/items", "GET", (int) e[2], 20);
                producer.send(new ProducerRecord<>(topic, (int) (sent % partitions), e[0], null, v));
                sent++;
            }
            t += len;
        }
        producer.flush();
        return sent;
    }
}
