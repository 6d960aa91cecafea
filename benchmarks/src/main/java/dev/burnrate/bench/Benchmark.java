package dev.burnrate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.burnrate.app.AppConfig;
import dev.burnrate.app.Application;
import dev.burnrate.embedded.EmbeddedKafkaBroker;
import dev.burnrate.metrics.ProcessorMetrics;
import dev.burnrate.slo.SloConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark (BENCHMARKS.md). One JVM: the embedded KRaft broker and every measured client share it and the
 * machine's cores, as they would on a laptop. Parts, all against the same input in the same run:
 * <ul>
 *   <li>consumer: a plain KafkaConsumer reading the input topic: the limit;</li>
 *   <li>floor-eos / floor-alos: Kafka Streams doing nothing with the records ({@link EngineFloor}): what the engine
 *       itself costs, the limit for any Kafka Streams design;</li>
 *   <li>decode-eos: the engine floor plus decoding, normalizing and counting each record with the application's code
 *       ({@link DecodeFloor}): the limit for any Kafka Streams design that reads this input;</li>
 *   <li>peer-eos / peer-alos: the naive DSL app ({@link NaivePeer});</li>
 *   <li>eos / alos: the processor, Application.start with its defaults (exactly-once), and at-least-once;</li>
 *   <li>latency: event-to-alert latency at a steady rate ({@link LatencyRun}), default and 1s evaluation interval;</li>
 *   <li>memory: heap and state per active (service, route) key, and restore time after wiping local state
 *       ({@link MemoryRun}).</li>
 * </ul>
 * Every throughput part fails unless the app accounted for exactly the records it was given ({@link Counted}).
 */
public final class Benchmark {
    static {
        // before the first logger is created (the field below): Kafka at WARN, the harness at INFO
        if (System.getProperty("log4j2.configurationFile") == null) System.setProperty("log4j2.configurationFile", "log4j2-bench.xml");
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(Benchmark.class);
    static final List<String> ALL_PARTS = List.of("consumer", "floor-eos", "floor-alos", "decode-eos", "peer-eos", "peer-alos", "eos", "alos", "paced", "latency", "memory");
    /** The parts that read the throughput input. */
    static final List<String> THROUGHPUT_PARTS = List.of("consumer", "floor-eos", "floor-alos", "decode-eos", "peer-eos", "peer-alos", "eos", "alos");

    /** Command-line options. */
    public static final class Options implements Cloneable {
        public long records = 2_000_000;
        /**
         * Records of a separate input every streams part reads once, unmeasured, before the measured runs: the JIT
         * compiles the broker's, the engine's and the processor's hot code then, not during a measured run (on two
         * cores, C2 compiling took about a third of the process's CPU during a cold processor run). 0: none.
         */
        public long warmupRecords = 1_000_000;
        public int partitions = 4;
        public Set<String> parts = new LinkedHashSet<>(ALL_PARTS);
        public Path out = Path.of("benchmarks/target/benchmark-results.json");
        public Path jfrDir;
        public int consumerRepeats = 3;
        /** Event-time density of the throughput input: ms of event time per record (3 ms: 333 events/s). */
        public double stepMs = InputGenerator.STEP_MS;
        public int pacedRate = 10_000;
        public int pacedSeconds = 60;
        /** Processor settings for the paced part only (--paced-set KEY=VALUE, repeatable): live-pace experiments. */
        public Map<String, String> pacedSettings = new LinkedHashMap<>();
        /** Processor settings for the latency part only (--latency-set KEY=VALUE, repeatable). */
        public Map<String, String> latencySettings = new LinkedHashMap<>();
        public int latencyRate = 5000;
        public int latencySeconds = 60;
        public int latencyWarmupSeconds = 10;
        public int incidentEveryMs = 500;
        public List<String> latencyIntervals = List.of("10s", "10s/10s");
        public List<Integer> memoryKeys = List.of(1_000, 10_000, 100_000);
        public int memoryDays = 30;
        public int memoryServices = 20;
        public double memoryTopRate = 1000;

        /** The same options for another input size (the warm-up). */
        Options withRecords(long n) {
            try {
                Options c = (Options) clone();
                c.records = n;
                return c;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--records" -> o.records = Long.parseLong(args[++i].replace("_", ""));
                    case "--quick" -> {
                        o.records = 300_000;
                        o.warmupRecords = 100_000;
                        o.consumerRepeats = 2;
                        o.latencyRate = 2000;
                        o.latencySeconds = 20;
                        o.pacedSeconds = 20;
                        o.memoryKeys = List.of(1_000, 10_000);
                    }
                    case "--parts" -> o.parts = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                    case "--out" -> o.out = Path.of(args[++i]);
                    case "--jfr" -> o.jfrDir = Path.of(args[++i]);
                    case "--warmup" -> o.warmupRecords = Long.parseLong(args[++i].replace("_", ""));
                    case "--step-ms" -> o.stepMs = Double.parseDouble(args[++i]);
                    case "--paced-rate" -> o.pacedRate = Integer.parseInt(args[++i]);
                    case "--paced-seconds" -> o.pacedSeconds = Integer.parseInt(args[++i]);
                    case "--paced-set" -> setting(o.pacedSettings, "--paced-set", args[++i]);
                    case "--latency-set" -> setting(o.latencySettings, "--latency-set", args[++i]);
                    case "--latency-rate" -> o.latencyRate = Integer.parseInt(args[++i]);
                    case "--latency-seconds" -> o.latencySeconds = Integer.parseInt(args[++i]);
                    case "--latency-intervals" -> o.latencyIntervals = Arrays.asList(args[++i].split(","));
                    case "--memory-days" -> o.memoryDays = Integer.parseInt(args[++i]);
                    case "--memory-services" -> o.memoryServices = Integer.parseInt(args[++i]);
                    case "--memory-top-rate" -> o.memoryTopRate = Double.parseDouble(args[++i]);
                    case "--memory-keys" -> o.memoryKeys = Arrays.stream(args[++i].split(",")).map(s -> Integer.parseInt(s.replace("_", ""))).toList();
                    case "--help", "-h" -> {
                        System.out.println("""
                                usage: Benchmark [--records N] [--step-ms MS] [--warmup N] [--quick] [--parts LIST] [--out FILE.json] [--jfr DIR]
                                                 [--paced-rate R] [--paced-seconds S] [--paced-set KEY=VALUE] [--latency-set KEY=VALUE]
                                                 [--latency-rate R] [--latency-seconds S] [--latency-intervals 10s,10s/10s]
                                                 [--memory-keys 1000,10000,100000] [--memory-days 30] [--memory-services 20] [--memory-top-rate 1000]
                                  parts: consumer,floor-eos,floor-alos,decode-eos,peer-eos,peer-alos,eos,alos,paced,latency,memory (default: all);
                                         eos:KEY=VALUE[;KEY=VALUE] runs the processor with settings changed (an experiment)
                                  --step-ms MS: event time per record of the throughput input (3: 333 events/s of event time)
                                  --warmup N: records of a separate input each streams part reads once, unmeasured, first (JIT warm-up; 0: none)
                                  --quick: 300k records, 20 s latency phases, memory with 1k and 10k keys
                                  --jfr DIR: record JFR during the eos run (and peer-eos) and summarize the stream threads' hot spots""");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a + " (--help)");
                }
            }
            for (String p : o.parts) if (!ALL_PARTS.contains(p) && !p.startsWith("eos:")) throw new IllegalArgumentException("unknown part " + p + "; parts: " + ALL_PARTS);
            return o;
        }

        private static void setting(Map<String, String> into, String option, String kv) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException(option + " wants KEY=VALUE, got " + kv);
            into.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Map<String, Object> result = run(o);
        System.out.println(Report.table(result));
        System.out.println("results written to " + o.out.toAbsolutePath());
        System.exit(0); // Kafka's and the broker's non-daemon threads
    }

    /** Runs the selected parts; returns the result tree (also written as JSON to options.out). */
    public static Map<String, Object> run(Options o) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("machine", machine());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("records", o.records);
        config.put("partitions", o.partitions);
        config.put("parts", new ArrayList<>(o.parts));
        config.put("brokerInProcess", true);
        result.put("config", config);
        Map<String, Object> parts = new LinkedHashMap<>();
        result.put("parts", parts);
        Path work = Files.createTempDirectory("burnrate-bench");
        String rid = UUID.randomUUID().toString().substring(0, 6);
        long started = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"));
             Admin admin = Kafka.admin(broker.bootstrapServers())) {
            String bootstrap = broker.bootstrapServers();
            log.info("broker at {}; work dir {}", bootstrap, work);
            String input = "bench-input-" + rid;
            boolean needsInput = o.parts.stream().anyMatch(p -> p.startsWith("eos:") || THROUGHPUT_PARTS.contains(p));
            if (needsInput) {
                long t = System.nanoTime();
                long bytes = produceInput(bootstrap, admin, input, o);
                double secs = (System.nanoTime() - t) / 1e9;
                config.put("inputBytes", bytes);
                config.put("inputAvgRecordBytes", bytes / o.records);
                config.put("inputProduceSeconds", round(secs, 1));
                config.put("inputEventTimeMinutes", round(o.records * o.stepMs / 60_000, 1));
                config.put("inputStepMs", o.stepMs);
                log.info("input: {} records, {} MB, produced in {} s (not measured)", o.records, bytes >> 20, round(secs, 1));
            }
            // the paced part's three apps need the warm-up as much as the throughput parts (without it, C2 compiled
            // for about two thirds of a core during the paced part and its CPU per record measured the JIT's progress)
            if ((needsInput || o.parts.contains("paced")) && o.warmupRecords > 0) warmUp(bootstrap, admin, o, work, rid);
            Throughput tp = new Throughput(bootstrap, admin, input, o, work, rid);
            if (o.parts.contains("consumer")) parts.put("consumer", tp.consumer());
            if (o.parts.contains("floor-eos")) parts.put("floor-eos", tp.floor(StreamsConfig.EXACTLY_ONCE_V2, "floor-eos"));
            if (o.parts.contains("floor-alos")) parts.put("floor-alos", tp.floor(StreamsConfig.AT_LEAST_ONCE, "floor-alos"));
            if (o.parts.contains("decode-eos")) parts.put("decode-eos", tp.decodeFloor("decode-eos"));
            if (o.parts.contains("peer-eos")) parts.put("peer-eos", tp.peer(StreamsConfig.EXACTLY_ONCE_V2, "peer-eos"));
            if (o.parts.contains("peer-alos")) parts.put("peer-alos", tp.peer(StreamsConfig.AT_LEAST_ONCE, "peer-alos"));
            if (o.parts.contains("eos")) parts.put("eos", tp.processor("eos", Map.of()));
            if (o.parts.contains("alos")) parts.put("alos", tp.processor("alos",
                    Map.of("processing.guarantee", StreamsConfig.AT_LEAST_ONCE, "commit.interval.ms", "100")));
            for (String p : o.parts) {
                if (!p.startsWith("eos:")) continue;
                Map<String, String> extra = new LinkedHashMap<>();
                for (String kv : p.substring(4).split(";")) extra.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                parts.put(p, tp.processor("x" + parts.size(), extra));
            }
            if (o.parts.contains("paced")) parts.put("paced", new PacedRun(bootstrap, admin, work, rid, o).run());
            if (o.parts.contains("latency")) {
                for (String interval : o.latencyIntervals) {
                    parts.put("latency-" + interval, new LatencyRun(bootstrap, admin, work, rid, o, interval).run());
                }
            }
            if (o.parts.contains("memory")) {
                List<Object> mem = new ArrayList<>();
                for (int k : o.memoryKeys) mem.add(new MemoryRun(bootstrap, admin, work, rid, o, k).run());
                parts.put("memory", mem);
            }
        } finally {
            deleteQuietly(work);
        }
        result.put("ratios", Report.ratios(parts));
        result.put("targets", Report.targets(parts));
        ((Map<String, Object>) result.get("machine")).put("loadAverageAtEnd", round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2));
        result.put("totalSeconds", round((System.nanoTime() - started) / 1e9, 1));
        if (o.out != null) {
            if (o.out.toAbsolutePath().getParent() != null) Files.createDirectories(o.out.toAbsolutePath().getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(o.out.toFile(), result);
        }
        return result;
    }

    /** Creates a throughput input topic and produces options.records records to it; returns their bytes. */
    private static long produceInput(String bootstrap, Admin admin, String topic, Options o) throws Exception {
        // no time retention: the input's timestamps are its event times, and the broker's retention check must
        // never delete what a part is reading
        Kafka.createTopic(admin, topic, o.partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
        // event time relative to the run: the input's last event is about now
        long start = System.currentTimeMillis() - (long) (o.records * o.stepMs);
        return InputGenerator.produce(bootstrap, topic, o.partitions, o.records, start, o.stepMs);
    }

    /**
     * Runs every selected streams part once over a small input of its own, results discarded (each still checks its
     * counts), so that the measured runs compare steady-state code rather than how much of each the JIT has compiled.
     */
    private static void warmUp(String bootstrap, Admin admin, Options o, Path work, String rid) throws Exception {
        Options w = o.withRecords(o.warmupRecords);
        String topic = "bench-warmup-" + rid;
        produceInput(bootstrap, admin, topic, w);
        Throughput tp = new Throughput(bootstrap, admin, topic, w, work, rid + "-w");
        long t = System.nanoTime();
        boolean paced = o.parts.contains("paced");
        if (paced || o.parts.contains("floor-eos") || o.parts.contains("floor-alos")) tp.floor(StreamsConfig.EXACTLY_ONCE_V2, "floor-warmup");
        if (o.parts.contains("decode-eos")) tp.decodeFloor("decode-warmup");
        if (paced || o.parts.contains("peer-eos") || o.parts.contains("peer-alos")) tp.peer(StreamsConfig.EXACTLY_ONCE_V2, "peer-warmup");
        if (paced || o.parts.contains("eos") || o.parts.contains("alos") || o.parts.stream().anyMatch(p -> p.startsWith("eos:"))) {
            tp.processor("warmup", Map.of());
        }
        log.info("warm-up: {} records through each streams part in {} s (not measured)", w.records, round((System.nanoTime() - t) / 1e9, 1));
    }

    /** The throughput parts: all read the same pre-produced input topic. */
    static final class Throughput {
        private final String bootstrap;
        private final Admin admin;
        private final String input;
        private final Options o;
        private final Path work;
        private final String rid;

        Throughput(String bootstrap, Admin admin, String input, Options o, Path work, String rid) {
            this.bootstrap = bootstrap;
            this.admin = admin;
            this.input = input;
            this.o = o;
            this.work = work;
            this.rid = rid;
        }

        private Duration timeout() {
            return Duration.ofSeconds(Math.max(120, o.records / 2000));
        }

        /** Plain consumer from the first records returned to the last: median of a few repeats. */
        Map<String, Object> consumer() throws Exception {
            List<Double> rates = new ArrayList<>();
            List<Map<String, Object>> cpus = new ArrayList<>();
            for (int r = 0; r < o.consumerRepeats; r++) {
                try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                    List<TopicPartition> parts = Kafka.partitions(admin, input);
                    c.assign(parts);
                    c.seekToBeginning(parts);
                    long count = 0, bytes = 0, t0 = 0, c0 = 0;
                    CpuMeter cpu = null;
                    long deadline = System.nanoTime() + timeout().toNanos();
                    while (count < o.records) {
                        if (System.nanoTime() > deadline) throw new IllegalStateException("consumer read only " + count);
                        ConsumerRecords<byte[], byte[]> recs = c.poll(Duration.ofMillis(200));
                        for (ConsumerRecord<byte[], byte[]> rec : recs) bytes += rec.value().length;
                        if (t0 == 0 && !recs.isEmpty()) {
                            t0 = System.nanoTime();
                            c0 = recs.count();
                            cpu = CpuMeter.start(null);
                        }
                        count += recs.count();
                    }
                    Counted.exactly("consumer run " + (r + 1), o.records, Map.of("read", count));
                    double secs = (System.nanoTime() - t0) / 1e9;
                    rates.add((count - c0) / secs);
                    cpus.add(cpu.stop(count - c0));
                    log.info("consumer run {}: {} records/s ({} bytes)", r + 1, Math.round(rates.get(r)), bytes);
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("recordsPerSecond", Math.round(median(rates)));
            m.put("counted", Map.of("read", o.records));
            m.put("runs", rates.stream().map(Math::round).toList());
            int med = rates.indexOf(median(rates));
            m.put("cpu", cpus.get(med));
            m.put("how", "KafkaConsumer, default settings, assign+seekToBeginning, read_uncommitted; rate from the first records returned to the last; median of the runs");
            return m;
        }

        Map<String, Object> peer(String guarantee, String name) throws Exception {
            NaivePeer peer = new NaivePeer();
            return streamsPart(name, guarantee, props -> peer.build(props, input), peer.parsed::sum, () -> Map.of("windowUpdates", peer.windowUpdates.sum()),
                    "naive DSL app (NaivePeer), 1 stream thread, commit.interval.ms=100; from the first record parsed until its committed offsets cover the input and the repartition topic");
        }

        /** The engine floor ({@link EngineFloor}), with the peer's settings. */
        Map<String, Object> floor(String guarantee, String name) throws Exception {
            EngineFloor floor = new EngineFloor();
            return streamsPart(name, guarantee, props -> floor.build(props, input), floor.seen::sum, () -> Map.of("seen", floor.seen.sum()),
                    "Kafka Streams, byte[] serdes, a foreach that only counts, the peer's settings (1 stream thread, commit.interval.ms=100); "
                            + "from the first record seen until its committed offsets cover the input");
        }

        /** The engine floor plus decoding, normalizing and counting each record ({@link DecodeFloor}), exactly-once. */
        Map<String, Object> decodeFloor(String name) throws Exception {
            DecodeFloor decode = new DecodeFloor();
            return streamsPart(name, StreamsConfig.EXACTLY_ONCE_V2, props -> decode.build(props, input), () -> (long) decode.metrics.ingestedCount(),
                    () -> counts(decode.metrics),
                    "Kafka Streams, byte[] serdes, the application's decoder and ingest counting per record (counts drained and dropped every "
                            + DecodeFloor.DRAIN_EVERY + " records of a task), the engine floor's settings; from the first record counted until its committed offsets cover the input");
        }

        /**
         * A Kafka Streams app of the harness's own (peer, floor, decode floor): from the first record it touched until its committed
         * offsets cover the input and its repartition topics; fails unless {@code counts} sum to exactly the input.
         */
        private Map<String, Object> streamsPart(String name, String guarantee, java.util.function.Function<java.util.Properties, KafkaStreams> build,
                                                java.util.function.LongSupplier touched, java.util.function.Supplier<Map<String, Long>> counts,
                                                String how) throws Exception {
            java.util.function.LongSupplier count = () -> Counted.sum(counts.get());
            String appId = "bench-" + name + "-" + rid;
            KafkaStreams streams = build.apply(NaivePeer.properties(bootstrap, appId, work.resolve(appId).toString(), guarantee));
            Jfr jfr = Jfr.start(o.jfrDir, name);
            streams.start();
            try {
                long[] first = awaitFirst(touched);
                CpuMeter cpu = CpuMeter.start(appId);
                long t1 = Kafka.awaitProcessed(admin, appId, input, Kafka.topics(admin, appId, "-repartition"), timeout(), count);
                Map<String, Object> m = rate(first, t1);
                m.put("cpu", cpu.stop(o.records - first[1]));
                m.put("guarantee", guarantee);
                m.put("counted", Counted.exactly(name, o.records, counts.get()));
                m.put("appendedPerRecord", Kafka.appendedPerRecord(admin, appId, o.records));
                m.put("how", how);
                if (jfr != null) m.put("profile", jfr.stopAndSummarize());
                log.info("{}: {} records/s", name, m.get("recordsPerSecond"));
                return m;
            } finally {
                streams.close(Duration.ofSeconds(30));
            }
        }

        Map<String, Object> processor(String name, Map<String, String> extra) throws Exception {
            String appId = "bench-" + name + "-" + rid;
            Map<String, String> cfg = processorConfig(bootstrap, appId, work, input);
            cfg.putAll(extra);
            ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());
            Jfr jfr = Jfr.start(o.jfrDir, "processor-" + name);
            Application app = Application.start(AppConfig.ofMap(cfg), SloConfig.defaultConfig(), metrics);
            try {
                long[] first = awaitFirst(() -> (long) metrics.ingestedCount());
                CpuMeter cpu = CpuMeter.start(appId);
                long t1 = Kafka.awaitProcessed(admin, appId, input, List.of(appId + "-by-service"), timeout(), () -> (long) metrics.ingestedCount());
                Map<String, Object> m = rate(first, t1);
                m.put("cpu", cpu.stop(o.records - first[1]));
                m.put("guarantee", Application.streamsProperties(AppConfig.ofMap(cfg)).getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
                m.put("settings", extra.isEmpty() ? "defaults" : extra.toString());
                m.put("counted", Counted.exactly("processor " + name, o.records, counts(metrics)));
                m.put("alertsFired", (long) metrics.alertsEmitted(true));
                m.put("appendedPerRecord", Kafka.appendedPerRecord(admin, appId, o.records));
                m.put("how", "Application.start (the processor as shipped), 1 stream thread; from the first event ingested until its committed offsets cover the input and the by-service topic (so every event's buckets are updated and committed)");
                if (jfr != null) m.put("profile", jfr.stopAndSummarize());
                log.info("processor {}: {} records/s", name, m.get("recordsPerSecond"));
                return m;
            } finally {
                app.close();
            }
        }

        private Map<String, Object> rate(long[] first, long t1) {
            double secs = (t1 - first[0]) / 1e9;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("recordsPerSecond", Math.round((o.records - first[1]) / secs));
            m.put("seconds", round(secs, 2));
            return m;
        }

        /** Spins until the counter moves; returns {nanoTime, counter then}. */
        private long[] awaitFirst(java.util.function.LongSupplier counter) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (true) {
                long c = counter.getAsLong();
                if (c > 0) return new long[]{System.nanoTime(), c};
                if (System.nanoTime() > deadline) throw new IllegalStateException("nothing processed after 120 s");
                Thread.sleep(1);
            }
        }
    }

    /** The processor's own account of its input: every record is ingested, dropped as late, or dead-lettered. */
    static Map<String, Long> counts(ProcessorMetrics metrics) {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("ingested", (long) metrics.ingestedCount());
        c.put("late", (long) metrics.lateCount());
        c.put("deadLetters", (long) metrics.deadLetterTotal());
        return c;
    }

    /** The processor's configuration for a benchmark instance: its own topics and state dir, defaults otherwise. */
    static Map<String, String> processorConfig(String bootstrap, String appId, Path work, String input) {
        Map<String, String> cfg = new HashMap<>();
        cfg.put("bootstrap.servers", bootstrap);
        cfg.put("application.id", appId);
        cfg.put("state.dir", work.resolve(appId).toString());
        cfg.put("input.topic", input);
        cfg.put("dlq.topic", appId + "-dlq");
        cfg.put("alerts.topic", appId + "-alerts");
        // not measured here, and several processors run in one JVM: no HTTP API
        cfg.put("http.enabled", "false");
        return cfg;
    }

    /** JFR around one part, when --jfr is given. */
    static final class Jfr {
        private final jdk.jfr.Recording recording;
        private final Path file;

        private Jfr(jdk.jfr.Recording recording, Path file) {
            this.recording = recording;
            this.file = file;
        }

        static Jfr start(Path dir, String name) throws Exception {
            if (dir == null) return null;
            Files.createDirectories(dir);
            jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            r.start();
            return new Jfr(r, dir.resolve(name + ".jfr"));
        }

        Map<String, Object> stopAndSummarize() throws Exception {
            recording.stop();
            recording.dump(file);
            recording.close();
            return JfrSummary.summarize(file, "StreamThread");
        }
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", Instant.now().toString());
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        m.put("memTotalGiB", memTotalGiB());
        m.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("kafka", org.apache.kafka.common.utils.AppInfoParser.getVersion());
        m.put("loadAverageAtStart", round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2));
        return m;
    }

    private static double memTotalGiB() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) return round(Long.parseLong(l.replaceAll("\\D", "")) / 1048576.0, 1);
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return -1;
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static String fmt(String f, Object... a) {
        return String.format(Locale.ROOT, f, a);
    }

    static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // temp dir
        }
    }
}
