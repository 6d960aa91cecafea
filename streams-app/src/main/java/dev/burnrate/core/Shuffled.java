package dev.burnrate.core;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the ingest stage sends through the by-service topic: one {@link Batch} of counts per service and hand-over,
 * and progress marks. The ingest stage counts events per (service, route, status, finest bucket), so the hand-over
 * carries one record per service instead of one per request. A progress mark is broadcast to every partition so
 * each windows task learns how far every input partition has got; the minimum over input partitions is the
 * watermark below which no more events will arrive (see windows.Watermark).
 */
public sealed interface Shuffled {
    /**
     * Request counts of one service per (route, status, bucket start). Mutable while the ingest stage counts into
     * it; routes keep the order of their first count (so the windows stage admits them in input order, whatever
     * the hand-over boundaries).
     */
    final class Batch implements Shuffled {
        private final String service;
        private final Map<String, RouteCounts> routes = new LinkedHashMap<>();

        public Batch(String service) {
            this.service = service;
        }

        public String service() {
            return service;
        }

        public void add(String route, int status, long bucketStartMs, long n) {
            RouteCounts r = routes.get(route);
            if (r == null) {
                r = new RouteCounts();
                routes.put(route, r);
            }
            r.add(status, bucketStartMs, n);
        }

        /** Visits every (route, status, bucket, count), routes in order of their first count. */
        public void forEach(Visitor v) {
            for (Map.Entry<String, RouteCounts> e : routes.entrySet()) {
                RouteCounts r = e.getValue();
                for (int i = 0; i < r.size; i++) v.count(e.getKey(), r.statuses[i], r.buckets[i], r.counts[i]);
            }
        }

        /** How many requests the batch counts. */
        public long requests() {
            long sum = 0;
            for (RouteCounts r : routes.values()) for (int i = 0; i < r.size; i++) sum += r.counts[i];
            return sum;
        }

        public boolean isEmpty() {
            return routes.isEmpty();
        }

        @Override
        public boolean equals(Object o) {
            // same service, same counts in the same order: the same encoding
            return o instanceof Batch b && Arrays.equals(ShuffledSerde.encode(this), ShuffledSerde.encode(b));
        }

        @Override
        public int hashCode() {
            return service.hashCode();
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("Batch{").append(service);
            forEach((route, status, bucket, n) -> s.append(", ").append(route).append(' ').append(status).append('@').append(bucket).append('=').append(n));
            return s.append('}').toString();
        }

        @FunctionalInterface
        public interface Visitor {
            void count(String route, int status, long bucketStartMs, long n);
        }

        /** One route's counts: a handful of (status, bucket) pairs per hand-over, so a linear scan beats hashing. */
        private static final class RouteCounts {
            private short[] statuses = new short[4];
            private long[] buckets = new long[4];
            private long[] counts = new long[4];
            private int size;

            void add(int status, long bucketStartMs, long n) {
                for (int i = size - 1; i >= 0; i--) {
                    if (statuses[i] == status && buckets[i] == bucketStartMs) {
                        counts[i] += n;
                        return;
                    }
                }
                if (size == statuses.length) {
                    statuses = Arrays.copyOf(statuses, size * 2);
                    buckets = Arrays.copyOf(buckets, size * 2);
                    counts = Arrays.copyOf(counts, size * 2);
                }
                statuses[size] = (short) status;
                buckets[size] = bucketStartMs;
                counts[size] = n;
                size++;
            }
        }
    }

    /**
     * @param sourcePartition  the input partition this mark speaks for
     * @param sourcePartitions how many input partitions there are (the watermark needs a mark from each)
     * @param timeMs           all events of that partition up to this event time have been sent before this mark
     */
    record Progress(int sourcePartition, int sourcePartitions, long timeMs) implements Shuffled {
    }
}
