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

        /** Adds n requests of a status, or n of a pseudo-status (see {@link LatencyCounting}). */
        public void add(String route, int status, long bucketStartMs, long n) {
            RouteCounts r = route(route);
            if (LatencyCounting.isHistogram(status)) r.histogram(bucketStartMs).add(status - LatencyCounting.HISTOGRAM_BASE, n);
            else r.add(status, bucketStartMs, n);
        }

        /**
         * Counts one request: its status, its latency SLIs' keys (specs: the indexes that apply to this service) and,
         * with a duration, its histogram bin. A few array increments, no object per request.
         */
        public void addEvent(String route, int status, long bucketStartMs, double durationMs, LatencyCounting latency, int[] specs) {
            RouteCounts r = route(route);
            r.add(status, bucketStartMs, 1);
            for (int i : specs) {
                int key = latency.classify(i, status, durationMs);
                if (key != 0) r.add(key, bucketStartMs, 1);
            }
            if (durationMs >= 0) {
                long minute = TimeBuckets.start(bucketStartMs, LatencyCounting.HISTOGRAM_BUCKET_MS);
                r.histogram(minute).add(LatencyHistogram.bin(durationMs), 1);
            }
        }

        private RouteCounts route(String route) {
            RouteCounts r = routes.get(route);
            if (r == null) {
                r = new RouteCounts();
                routes.put(route, r);
            }
            return r;
        }

        /** Visits every (route, status, bucket, count) of requests, routes in order of their first count. */
        public void forEach(Visitor v) {
            for (Map.Entry<String, RouteCounts> e : routes.entrySet()) {
                RouteCounts r = e.getValue();
                for (int i = 0; i < r.size; i++) {
                    if (r.statuses[i] < LatencyCounting.HISTOGRAM_BASE) v.count(e.getKey(), r.statuses[i], r.buckets[i], r.counts[i]);
                }
            }
        }

        /**
         * {@link #forEach} and the latency counts as pseudo-statuses (see {@link LatencyCounting}): a route's SLI
         * counts among its statuses, after the first status of their bucket, its histogram bins after them.
         */
        public void forEachEntry(Visitor v) {
            for (Map.Entry<String, RouteCounts> e : routes.entrySet()) {
                RouteCounts r = e.getValue();
                for (int i = 0; i < r.size; i++) v.count(e.getKey(), r.statuses[i], r.buckets[i], r.counts[i]);
                for (int h = 0; h < r.histograms; h++) {
                    LatencyHistogram hist = r.histogramOf[h];
                    for (int i = 0; i < hist.size(); i++) {
                        v.count(e.getKey(), LatencyCounting.HISTOGRAM_BASE + hist.binAt(i), r.minutes[h], hist.countAt(i));
                    }
                }
            }
        }

        /** How many requests the batch counts. */
        public long requests() {
            long sum = 0;
            for (RouteCounts r : routes.values()) for (int i = 0; i < r.size; i++) if (r.statuses[i] < LatencyCounting.HISTOGRAM_BASE) sum += r.counts[i];
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
            forEachEntry((route, status, bucket, n) -> s.append(", ").append(route).append(' ').append(status).append('@').append(bucket).append('=').append(n));
            return s.append('}').toString();
        }

        @FunctionalInterface
        public interface Visitor {
            void count(String route, int status, long bucketStartMs, long n);
        }

        /** One route's counts: a handful of (status, bucket) pairs per hand-over, so a linear scan beats hashing. */
        private static final class RouteCounts {
            private int[] statuses = new int[4];
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
                statuses[size] = status;
                buckets[size] = bucketStartMs;
                counts[size] = n;
                size++;
            }

            /** Durations per minute: a hand-over spans one or two minutes, many only in a fast replay. */
            private long[] minutes;
            private LatencyHistogram[] histogramOf;
            private int histograms;

            LatencyHistogram histogram(long minute) {
                for (int h = histograms - 1; h >= 0; h--) if (minutes[h] == minute) return histogramOf[h];
                if (minutes == null) {
                    minutes = new long[2];
                    histogramOf = new LatencyHistogram[2];
                } else if (histograms == minutes.length) {
                    minutes = Arrays.copyOf(minutes, histograms * 2);
                    histogramOf = Arrays.copyOf(histogramOf, histograms * 2);
                }
                minutes[histograms] = minute;
                return histogramOf[histograms++] = new LatencyHistogram();
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
