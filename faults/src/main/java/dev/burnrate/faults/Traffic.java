package dev.burnrate.faults;

import dev.burnrate.core.TimeBuckets;
import dev.burnrate.demo.AccessLogJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Realistic input with scripted incidents: three services, requests at a fixed event-time step spread round-robin
 * over the input partitions (so each service's counts are handed over between tasks), in the shippers' JSON
 * conventions, with incidents that make the default SLO's rules fire and resolve. Produced at a paced rate by a
 * background thread, so faults land while traffic flows.
 */
final class Traffic {
    static final List<String> SERVICES = List.of("checkout", "catalog", "auth");
    static final long MIN = 60_000;
    static final long HOUR = 60 * MIN;

    /** A good record (value null for a hostile one, whose bytes are in {@code raw}). */
    record Rec(int partition, long ts, String service, int status, byte[] value) {
    }

    /** An incident: from..to, the service's error ratio (every n-th request fails with code). */
    record Incident(String service, long fromMs, long toMs, int everyNth, int code) {
    }

    final long start;
    final long end;
    final List<Rec> good;
    final int partitions;

    private Traffic(long start, long end, List<Rec> good, int partitions) {
        this.start = start;
        this.end = end;
        this.good = good;
        this.partitions = partitions;
    }

    /**
     * {@code hours} of event time ending an hour ago (hour-aligned, so the time series' steps are whole), one request
     * per service every {@code stepMs}, with an incident of each kind per two hours: checkout 12.5% 503 for 35
     * minutes (fast and slow burn fire and resolve), auth 50% 502 for 6 minutes. Traffic goes on 10 s past the end,
     * so the evaluation clock reaches the end on every partition.
     */
    static Traffic generate(int hours, long stepMs, int partitions) {
        long s = TimeBuckets.start(System.currentTimeMillis(), HOUR) - (hours + 1) * HOUR;
        long end = s + hours * HOUR;
        List<Incident> incidents = new ArrayList<>();
        for (long h = s; h + 2 * HOUR <= end; h += 2 * HOUR) {
            incidents.add(new Incident("checkout", h + 40 * MIN, h + 75 * MIN, 8, 503));
            incidents.add(new Incident("auth", h + 95 * MIN, h + 101 * MIN, 2, 502));
        }
        List<Rec> out = new ArrayList<>();
        AccessLogJson[] conventions = AccessLogJson.values();
        int n = 0;
        for (long ts = s; ts < end + 10_000; ts += stepMs) {
            for (String service : SERVICES) {
                int status = 200;
                for (Incident i : incidents) {
                    if (i.service().equals(service) && ts >= i.fromMs() && ts < i.toMs() && n % i.everyNth() == 0) status = i.code();
                }
                String route = (n % 3 == 0) ? "/api/pay" : "/api/items/" + (n % 50);
                out.add(new Rec(n % partitions, ts, service, status, conventions[n % conventions.length].bytes(ts, service, route, "GET", status, 20)));
                n++;
            }
        }
        return new Traffic(s, end, out, partitions);
    }

    /** Adds requests and errors per service to {@code totals}. */
    static void add(Map<String, List<Long>> totals, Map<String, List<Long>> more) {
        more.forEach((svc, m) -> totals.merge(svc, m, (x, y) -> List.of(x.get(0) + y.get(0), x.get(1) + y.get(1))));
    }

    /** Requests and errors (5xx, the default SLO's definition) per service, of the events before the end. */
    Map<String, List<Long>> totals() {
        Map<String, List<Long>> out = new TreeMap<>();
        for (String svc : SERVICES) {
            List<Rec> of = good.stream().filter(r -> r.service().equals(svc) && r.ts() < end).toList();
            out.put(svc, List.of((long) of.size(), of.stream().filter(r -> r.status() >= 500).count()));
        }
        return out;
    }

    /** The newest evaluation instant every partition's events reach (evaluation follows the slowest partition). */
    long lastInstant(long evaluationStepMs) {
        long last = Long.MAX_VALUE;
        for (int p = 0; p < partitions; p++) {
            final int part = p;
            long max = good.stream().filter(r -> r.partition() == part).mapToLong(Rec::ts).max().orElseThrow();
            last = Math.min(last, TimeBuckets.start(max, evaluationStepMs));
        }
        return last;
    }

    /**
     * Records produced besides the good traffic, spread evenly through it, each on a rotating partition with the
     * event time of the good record it follows: hostile bytes, a scanner's requests.
     */
    interface Extra {
        int count();

        /** The {@code index}-th extra record, following a good record of event time {@code ts}; called in order. */
        byte[] record(int index, long ts);

        /** Requests and errors the extra records add to each service before the traffic's end (none by default). */
        default Map<String, List<Long>> counted() {
            return Map.of();
        }

        /** {@code a}'s records spread evenly among {@code b}'s; what both add to the services. */
        static Extra mix(Extra a, Extra b) {
            int total = a.count() + b.count();
            return new Extra() {
                private int fromA;
                private int fromB;

                @Override
                public int count() {
                    return total;
                }

                @Override
                public byte[] record(int index, long ts) {
                    return Feed.interleavedUpTo(index, a.count(), total) > fromA ? a.record(fromA++, ts) : b.record(fromB++, ts);
                }

                @Override
                public Map<String, List<Long>> counted() {
                    Map<String, List<Long>> sum = new TreeMap<>(a.counted());
                    add(sum, b.counted());
                    return sum;
                }
            };
        }

        static Extra of(List<byte[]> records) {
            return new Extra() {
                @Override
                public int count() {
                    return records.size();
                }

                @Override
                public byte[] record(int index, long ts) {
                    return records.get(index);
                }
            };
        }
    }

    /**
     * Produces the good records and the {@code extra} ones interleaved evenly at about {@code perSecond} records/s
     * on a background thread.
     */
    static Feed feed(KafkaProducer<byte[], byte[]> producer, String topic, Traffic t, Extra extra, int perSecond) {
        Feed f = new Feed(producer, topic, t, extra, perSecond);
        f.thread.start();
        return f;
    }

    static final class Feed {
        final Thread thread;
        final AtomicLong sent = new AtomicLong();
        final int total;
        private volatile Throwable failure;
        private volatile long allowed = Long.MAX_VALUE;

        private Feed(KafkaProducer<byte[], byte[]> producer, String topic, Traffic t, Extra extra, int perSecond) {
            total = t.good.size() + extra.count();
            thread = new Thread(() -> {
                try {
                    long t0 = System.nanoTime();
                    int h = 0;
                    long n = 0;
                    for (int i = 0; i < t.good.size(); i++) {
                        if (n >= allowed) {
                            while (n >= allowed) Thread.sleep(20);
                            t0 = System.nanoTime() - n * 1_000_000_000L / perSecond; // the pace goes on from here, no burst
                        }
                        Rec r = t.good.get(i);
                        producer.send(new ProducerRecord<>(topic, r.partition(), r.ts(), null, r.value()));
                        n++;
                        for (long due = interleavedUpTo(i, extra.count(), t.good.size()); h < due; h++, n++) {
                            producer.send(new ProducerRecord<>(topic, h % t.partitions, r.ts(), null, extra.record(h, r.ts())));
                        }
                        sent.set(n);
                        long due = t0 + n * 1_000_000_000L / perSecond;
                        long wait = due - System.nanoTime();
                        if (wait > 1_000_000) Thread.sleep(wait / 1_000_000);
                    }
                    for (; h < extra.count(); h++) producer.send(new ProducerRecord<>(topic, h % t.partitions, t.end, null, extra.record(h, t.end)));
                    producer.flush();
                    sent.set(total);
                } catch (Throwable e) {
                    failure = e;
                }
            }, "traffic");
            thread.setDaemon(true);
        }

        /** How many of the {@code extra} records are sent by the time good record {@code i} is: spread evenly. */
        static long interleavedUpTo(int i, int extra, int good) {
            return (long) ((i + 1) * (double) extra / good);
        }

        /**
         * Holds the traffic once this share of it is sent, until allowed further: a scenario gives each fault its own
         * stretch of traffic, so no fault lands after the traffic has ended (when there is nothing left to recover).
         */
        void allowUpTo(double share) {
            allowed = (long) Math.ceil(share * total);
        }

        /** The share of records handed to the producer so far, 0..1. */
        double progress() {
            return (double) sent.get() / total;
        }

        void await() throws InterruptedException {
            thread.join();
            if (failure != null) throw new IllegalStateException("producing the traffic failed", failure);
        }
    }
}
