package dev.burnrate.bench;

import dev.burnrate.app.AppConfig;
import dev.burnrate.app.AppKey;
import dev.burnrate.app.Application;
import dev.burnrate.ingest.EventDecoder;
import dev.burnrate.ingest.IngestBuffer;
import dev.burnrate.ingest.IngestCounting;
import dev.burnrate.ingest.InvalidRecordException;
import dev.burnrate.ingest.RouteNormalizer;
import dev.burnrate.core.LatencyCounting;
import dev.burnrate.core.Shuffled;
import dev.burnrate.metrics.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The ingest stage's CPU cost per record without Kafka (BENCHMARKS.md, "Decode"): the throughput benchmark's input
 * ({@link InputGenerator}), held in memory, through exactly what an ingest task runs per record
 * ({@link EventDecoder} as the application builds it, then {@link IngestCounting}: route normalization, the lateness
 * check, the count into an {@link IngestBuffer}), drained every {@code --drain-every} records as a hand-over would.
 * One thread; warm-up passes, then measured passes, each over the whole input with fresh counting state. Prints the
 * thread's CPU ns (and wall ns) and bytes allocated ({@code com.sun.management.ThreadMXBean}) per record, per pass and
 * the median, and against the cost of reading every record's bytes once in a plain loop, measured in the same pass (the
 * floor any decoder pays on this machine at this moment: a ratio to it moves much less with other load than ns do);
 * a pass whose counts do not account for exactly its input (every record ingested once, none late or dead-lettered,
 * the drained counts summing to the input) stops the run instead of printing a rate.
 * <pre>
 * mvn -q -o -pl benchmarks -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=/tmp/decode-bench.cp -DincludeScope=runtime
 * java -cp benchmarks/target/classes:$(cat /tmp/decode-bench.cp) dev.burnrate.bench.DecodeBench [--records N] [--warmup P] [--passes P]
 * </pre>
 */
public final class DecodeBench {
    /** What the ingest stage counts at by default: the early evaluation step (evaluation.early.step). */
    static final long BUCKET_MS = dev.burnrate.core.Durations.parse(dev.burnrate.app.AppKey.EVALUATION_EARLY_STEP.defaultValue).toMillis();

    private DecodeBench() {
    }

    public static void main(String[] args) {
        int records = 500_000, warmup = 5, passes = 5, drainEvery = 10_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--records" -> records = Integer.parseInt(args[++i].replace("_", ""));
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--drain-every" -> drainEvery = Integer.parseInt(args[++i].replace("_", ""));
                default -> {
                    System.err.println("usage: DecodeBench [--records N (500000)] [--warmup P (5)] [--passes P (5)] [--drain-every K (10000)]");
                    System.exit(2);
                }
            }
        }
        byte[][] values = new byte[records][];
        long[] timestamps = new long[records];
        // event time ending now, as the throughput benchmark's input
        long bytes = InputGenerator.generate(records, System.currentTimeMillis() - records * InputGenerator.STEP_MS,
                (i, ts, value) -> {
                    values[(int) i] = value;
                    timestamps[(int) i] = ts;
                });
        AppConfig cfg = AppConfig.ofMap(Map.of());
        EventDecoder decoder = Application.decoder(cfg);
        RouteNormalizer normalizer = RouteNormalizer.fromProperties(cfg.appValues());
        long graceMs = cfg.getDuration(AppKey.LATENESS_GRACE).toMillis();
        System.out.printf(Locale.ROOT, "input: %,d records, %.1f bytes average; %d warm-up and %d measured passes, drained every %,d records%n",
                records, bytes / (double) records, warmup, passes, drainEvery);

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        double[] ns = new double[passes], cpu = new double[passes], alloc = new double[passes], floor = new double[passes];
        for (int p = -warmup; p < passes; p++) {
            ProcessorMetrics metrics = new ProcessorMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            IngestCounting counting = new IngestCounting(normalizer, graceMs, BUCKET_MS, metrics, IngestBuffer.inMemory());
            // the floor: reading each record's bytes once (what any decoder pays for this input on this machine now)
            long f0 = threads.getCurrentThreadCpuTime(), quotes = 0;
            for (byte[] v : values) {
                for (byte b : v) if (b == '"') quotes++;
            }
            double floorPer = (threads.getCurrentThreadCpuTime() - f0) / (double) records;
            if (quotes == 0) throw new IllegalStateException("no JSON in the input");
            long counted = 0, deadLetters = 0;
            long a0 = threads.getThreadAllocatedBytes(thread);
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < records; i++) {
                try {
                    decoder.decode(values[i], timestamps[i], counting);
                } catch (InvalidRecordException e) {
                    deadLetters++;
                }
                if ((i + 1) % drainEvery == 0) counted += requests(counting.buffer());
            }
            counted += requests(counting.buffer());
            long t1 = System.nanoTime();
            long c1 = threads.getCurrentThreadCpuTime();
            long a1 = threads.getThreadAllocatedBytes(thread);
            long ingested = (long) metrics.ingestedCount(), late = (long) metrics.lateCount();
            if (ingested != records || late != 0 || deadLetters != 0 || counted != records) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "pass %d did not count exactly its input of %,d records: ingested %,d, late %,d, dead letters %,d, counts in the buffer %,d",
                        p, records, ingested, late, deadLetters, counted));
            }
            double nsPer = (t1 - t0) / (double) records, cpuPer = (c1 - c0) / (double) records;
            double allocPer = (a1 - a0) / (double) records;
            if (p >= 0) {
                ns[p] = nsPer;
                cpu[p] = cpuPer;
                alloc[p] = allocPer;
                floor[p] = floorPer;
            }
            System.out.printf(Locale.ROOT, "%s %d: %,.0f ns/record CPU (%,.0f wall), %,.0f B/record allocated (%,d counted); reading the bytes once %,.0f ns/record%n",
                    p < 0 ? "warm-up" : "pass", p < 0 ? p + warmup + 1 : p + 1, cpuPer, nsPer, allocPer, counted, floorPer);
        }
        // the thread's CPU time is the figure: on a shared machine wall time also counts the time others had the core
        System.out.printf(Locale.ROOT, "decode+normalize+count: median %,.0f ns/record CPU (%,.0f wall), %,.0f B/record allocated, %.1fx reading the bytes once (%,.0f ns) (%d passes of %,d records)%n",
                median(cpu), median(ns), median(alloc), median(cpu) / median(floor), median(floor), passes, records);

        // what the windows stage receives for this input, one entry each (an unmeasured pass)
        IngestCounting counting = new IngestCounting(normalizer, graceMs, BUCKET_MS,
                new ProcessorMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)), IngestBuffer.inMemory());
        long[] entries = new long[2];
        for (int i = 0; i < records; i++) {
            try {
                decoder.decode(values[i], timestamps[i], counting);
            } catch (InvalidRecordException e) {
                throw new IllegalStateException("the input is valid", e);
            }
            if ((i + 1) % drainEvery == 0 || i == records - 1) {
                for (Shuffled.Batch b : counting.buffer().drain()) {
                    b.forEachEntry((route, status, bucket, n) -> entries[LatencyCounting.isHistogram(status) ? 1 : 0]++);
                }
            }
        }
        System.out.printf(Locale.ROOT, "hand-over entries per record (drained every %,d records): %.3f counts of a status or SLI, %.3f latency histogram bins%n",
                drainEvery, entries[0] / (double) records, entries[1] / (double) records);
    }

    /** Drains the buffer as a hand-over does; the requests its batches count. */
    private static long requests(IngestBuffer buffer) {
        long n = 0;
        for (Shuffled.Batch b : buffer.drain()) n += b.requests();
        return n;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
