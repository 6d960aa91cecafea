package dev.burnrate.it;

import dev.burnrate.core.StoreNames;
import dev.burnrate.app.AppConfig;
import dev.burnrate.app.Application;
import dev.burnrate.ingest.DeadLetters;
import dev.burnrate.embedded.EmbeddedKafkaBroker;
import dev.burnrate.metrics.ProcessorMetrics;
import dev.burnrate.slo.SloConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One real KRaft broker for all integration tests of the JVM, and helpers to run the processor against it. Public
 * for the notifier's integration tests (streams-app's test-jar): one broker and one way to read and wait.
 */
public final class KafkaTestSupport {
    private static EmbeddedKafkaBroker broker;
    private static final List<Path> TEMP_DIRS = new ArrayList<>();

    static {
        // one hook, so the broker is closed before its log dir (and the tests' state dirs) are deleted
        Runtime.getRuntime().addShutdownHook(new Thread(KafkaTestSupport::cleanUp, "it-cleanup"));
    }

    private KafkaTestSupport() {
    }

    public static synchronized String bootstrap() throws Exception {
        if (broker == null) {
            broker = EmbeddedKafkaBroker.start(tempDir("it-kafka"));
        }
        return broker.bootstrapServers();
    }

    /**
     * A temporary directory deleted when the test JVM exits, after the broker has stopped: a CI run otherwise leaves
     * ~600 MB of broker logs and state stores in the temp dir.
     */
    public static synchronized Path tempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        TEMP_DIRS.add(dir);
        return dir;
    }

    private static synchronized void cleanUp() {
        if (broker != null) {
            broker.close();
        }
        TEMP_DIRS.forEach(KafkaTestSupport::deleteQuietly);
    }

    /**
     * A processor configuration with its own topics, application id and state dir, so tests don't meet. Its input
     * topic is created here, without time retention: the tests produce records dated months back, and with the
     * broker's default 7-day retention its retention check (every 5 minutes) deletes them whenever it runs during a
     * test, which in a full CI run it does.
     */
    static Map<String, String> isolatedConfig(String name) throws Exception {
        String id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> m = new HashMap<>();
        m.put("bootstrap.servers", bootstrap());
        m.put("application.id", id);
        m.put("state.dir", tempDir("it-state").toString());
        m.put("input.topic", id + "-in");
        m.put("dlq.topic", id + "-dlq");
        m.put("alerts.topic", id + "-alerts");
        m.put("input.partitions", "4");
        m.put("commit.interval.ms", "100");
        // these tests replay past event time: keep the wall clock from taking over between produce calls
        m.put("idle.timeout", "10m");
        m.put("progress.interval", "100ms");
        m.put("http.port", "0");
        createInputTopic(m.get("input.topic"), Integer.parseInt(m.get("input.partitions")));
        return m;
    }

    /**
     * Creates an input topic without time retention and waits until the broker serves it (the producers of the test
     * write to it right away).
     */
    private static void createInputTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")))).all().get();
            dev.burnrate.app.TopicSetup.awaitServed(admin, topic);
        }
    }

    static final class Running implements AutoCloseable {
        final Application app;
        final ProcessorMetrics metrics;

        Running(Application app, ProcessorMetrics metrics) {
            this.app = app;
            this.metrics = metrics;
        }

        @Override
        public void close() {
            app.close();
        }
    }

    static Running start(Map<String, String> cfg, SloConfig slos) throws Exception {
        ProcessorMetrics metrics = new ProcessorMetrics(new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT));
        Application app = Application.start(AppConfig.ofMap(cfg), slos, metrics);
        app.awaitRunning(Duration.ofSeconds(60));
        return new Running(app, metrics);
    }

    static KafkaProducer<byte[], byte[]> producer() throws Exception {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 131072),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Reads a whole topic (read_committed) from the beginning until it has at least n records or the timeout. */
    static List<ConsumerRecord<byte[], byte[]>> readAtLeast(String topic, int n, Duration timeout) throws Exception {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < n && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    /**
     * Reads a topic from the beginning up to its end offsets as of now (read_committed: the last stable offsets),
     * however long the fetches take, so nothing committed before the call is missed.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) throws Exception {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) throw new AssertionError("could not read " + topic + " to its end in 60s");
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    /**
     * Reads the dead-letter topic until it holds as many records as {@code reasonAt} expects and asserts that each
     * one came from an expected source position ("partition@offset") with that position's reason; returns them.
     */
    static List<ConsumerRecord<byte[], byte[]>> assertDeadLettered(String dlqTopic, Map<String, String> reasonAt) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> dlq = readAtLeast(dlqTopic, reasonAt.size(), Duration.ofSeconds(60));
        org.junit.jupiter.api.Assertions.assertEquals(reasonAt.size(), dlq.size(), "every bad record is dead-lettered, once");
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            String at = DeadLetters.header(r.headers(), DeadLetters.SOURCE_PARTITION) + "@" + DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET);
            org.junit.jupiter.api.Assertions.assertEquals(reasonAt.get(at), DeadLetters.header(r.headers(), DeadLetters.REASON), "reason of the record from " + at);
        }
        return dlq;
    }

    /** Whether every windows partition of the instance has evaluated up to the instant (its stores queryable). */
    static boolean evaluatedUpTo(Running run, int partitions, long instant) {
        for (int p = 0; p < partitions; p++) {
            try {
                var store = run.app.streams().store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(
                        dev.burnrate.core.StoreNames.PROGRESS, org.apache.kafka.streams.state.QueryableStoreTypes.<Integer, Long>keyValueStore()).withPartition(p));
                Long last = store.get(dev.burnrate.windows.Watermark.CLOCK_KEY);
                if (last == null || last < instant) return false;
            } catch (RuntimeException e) {
                return false; // not queryable yet
            }
        }
        return true;
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        await(what, timeout, condition, () -> "");
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + " waiting for " + what + " " + state.get());
            Thread.sleep(50);
        }
    }

    /** Deletes {@code dir} and everything under it, best effort: a temp dir. */
    public static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // temp dir
        }
    }
}
