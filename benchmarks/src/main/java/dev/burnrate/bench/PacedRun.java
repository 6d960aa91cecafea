package dev.burnrate.bench;

import dev.burnrate.app.AppConfig;
import dev.burnrate.app.Application;
import dev.burnrate.metrics.ProcessorMetrics;
import dev.burnrate.slo.SloConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cost per record at a live pace instead of in a replay: the throughput parts read 100 minutes of event time in
 * a minute or two, so each 10 s bucket, each hand-over entry and each evaluation instant is shared by few records,
 * which a live feed does not do. Here the engine floor, the naive peer and the processor (all exactly-once, as
 * shipped) read the same topic at the same time while it is produced at {@code --paced-rate} records/s for
 * {@code --paced-seconds}, event time = wall time (the throughput input's generator, its step set to the rate).
 * Reported per app: CPU of its own threads per record (from the first record produced until it has processed and
 * committed everything: idle polls, punctuations and commits included, as they would be live), whether it kept up
 * (seconds from the last record produced until it was done), and the exact count of what it processed.
 */
final class PacedRun {
    private static final Logger log = LoggerFactory.getLogger(PacedRun.class);

    private final String bootstrap;
    private final Admin admin;
    private final Path work;
    private final String rid;
    private final Benchmark.Options o;

    PacedRun(String bootstrap, Admin admin, Path work, String rid, Benchmark.Options o) {
        this.bootstrap = bootstrap;
        this.admin = admin;
        this.work = work;
        this.rid = rid;
        this.o = o;
    }

    Map<String, Object> run() throws Exception {
        String input = "bench-paced-in-" + rid;
        Kafka.createTopic(admin, input, o.partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
        long n = (long) o.pacedRate * o.pacedSeconds;
        String guarantee = StreamsConfig.EXACTLY_ONCE_V2;

        String floorId = "bench-paced-floor-" + rid;
        EngineFloor floor = new EngineFloor();
        KafkaStreams floorApp = floor.build(NaivePeer.properties(bootstrap, floorId, work.resolve(floorId).toString(), guarantee), input);
        String peerId = "bench-paced-peer-" + rid;
        NaivePeer peer = new NaivePeer();
        KafkaStreams peerApp = peer.build(NaivePeer.properties(bootstrap, peerId, work.resolve(peerId).toString(), guarantee), input);
        String procId = "bench-paced-eos-" + rid;
        ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());
        floorApp.start();
        peerApp.start();
        Map<String, String> procConfig = Benchmark.processorConfig(bootstrap, procId, work, input);
        procConfig.putAll(o.pacedSettings);
        Application proc = Application.start(AppConfig.ofMap(procConfig), SloConfig.defaultConfig(), metrics);
        try {
            await("all three apps running", Duration.ofSeconds(120), () -> floorApp.state() == KafkaStreams.State.RUNNING
                    && peerApp.state() == KafkaStreams.State.RUNNING && proc.streams().state() == KafkaStreams.State.RUNNING);
            Thread.sleep(2000); // past the first rebalances' follow-ups
            CpuMeter floorCpu = CpuMeter.start(floorId), peerCpu = CpuMeter.start(peerId), procCpu = CpuMeter.start(procId);
            long producedAt = produce(input, n);
            Duration timeout = Duration.ofSeconds(120 + o.pacedSeconds);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("recordsPerSecond", o.pacedRate);
            m.put("seconds", o.pacedSeconds);
            m.put("records", n);
            m.put("guarantee", guarantee);
            m.put("processorSettings", o.pacedSettings.isEmpty() ? "defaults" : o.pacedSettings.toString());
            // awaited at once: each app's end is its own, not when the one awaited before it was done
            var floorDone = java.util.concurrent.CompletableFuture.supplyAsync(() -> app(floorId, input, List.of(), floorCpu, n, producedAt,
                    timeout, "seen", floor.seen::sum));
            List<String> repartition = Kafka.topics(admin, peerId, "-repartition");
            var peerDone = java.util.concurrent.CompletableFuture.supplyAsync(() -> app(peerId, input, repartition, peerCpu, n, producedAt,
                    timeout, "windowUpdates", peer.windowUpdates::sum));
            var procDone = java.util.concurrent.CompletableFuture.supplyAsync(() -> app(procId, input, List.of(procId + "-by-service"), procCpu,
                    n, producedAt, timeout, "ingested+late+deadLetters",
                    () -> Benchmark.counts(metrics).values().stream().mapToLong(Long::longValue).sum()));
            m.put("floor-eos", floorDone.join());
            m.put("peer-eos", peerDone.join());
            Map<String, Object> p = procDone.join();
            p.put("counted", Counted.exactly("paced processor", n, Benchmark.counts(metrics))); // the breakdown
            m.put("eos", p);
            double f = micros(m, "floor-eos"), pe = micros(m, "peer-eos"), pr = micros(m, "eos");
            m.put("processorCpuVsFloor", Benchmark.round(pr / f, 2));
            m.put("processorCpuVsPeer", Benchmark.round(pr / pe, 2));
            m.put("how", "floor, peer and processor (exactly-once, 1 stream thread each, commit.interval.ms=100) read one topic at once "
                    + "while it is produced at the rate, event time = wall time; CPU of each app's own threads from the first record "
                    + "produced until its committed offsets cover the input and its hand-over topic, per record");
            log.info("paced {} records/s: app CPU us/record floor {}, peer {}, processor {}", o.pacedRate, f, pe, pr);
            return m;
        } finally {
            proc.close();
            peerApp.close(Duration.ofSeconds(30));
            floorApp.close(Duration.ofSeconds(30));
        }
    }

    private static double micros(Map<String, Object> m, String app) {
        @SuppressWarnings("unchecked")
        Map<String, Object> cpu = (Map<String, Object>) ((Map<String, Object>) m.get(app)).get("cpu");
        return ((Number) cpu.get("appCpuMicrosPerRecord")).doubleValue();
    }

    /** Produces n records at the rate, event time = wall time; returns System.nanoTime() after the last was acknowledged. */
    private long produce(String input, long n) {
        double stepMs = 1000.0 / o.pacedRate;
        long startNanos = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = Kafka.shipperProducer(bootstrap)) {
            InputGenerator.generate(n, System.currentTimeMillis(), stepMs, (i, ts, value) -> {
                long due = startNanos + (long) (i * stepMs * 1e6);
                long wait = due - System.nanoTime();
                if (wait > 200_000) LockSupport.parkNanos(wait);
                producer.send(new ProducerRecord<>(input, (int) (i % o.partitions), ts, null, value));
            });
            producer.flush();
        }
        return System.nanoTime();
    }

    private Map<String, Object> app(String appId, String input, List<String> handOver, CpuMeter cpu, long n, long producedAt,
                                    Duration timeout, String countName, java.util.function.LongSupplier count) {
        try {
            long done = Kafka.awaitProcessed(admin, appId, input, handOver, timeout, count);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cpu", cpu.stop(n));
            m.put("secondsBehindAtEnd", Benchmark.round(Math.max(0, done - producedAt) / 1e9, 2));
            m.put("counted", Counted.exactly("paced " + appId, n, Map.of(countName, count.getAsLong())));
            m.put("appendedPerRecord", Kafka.appendedPerRecord(admin, appId, n));
            return m;
        } catch (Exception e) {
            throw new IllegalStateException("paced " + appId + ": " + e.getMessage(), e);
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }
}
