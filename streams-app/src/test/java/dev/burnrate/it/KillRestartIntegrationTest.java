package dev.burnrate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once under SIGKILL, tested on the shipped processor as a black box: each instance is a child JVM running
 * {@code dev.burnrate.app.Main --config FILE} against the test's broker, stopped with {@code destroyForcibly()}
 * (SIGKILL: no shutdown hook, no close, no last commit), then started again. Two hours of three services with
 * incidents go in as four half-hour chunks:
 * <ol>
 *   <li>instance 1 neither commits nor hands over (commit.interval.ms 10m, progress.interval 1h): it counts chunk 1
 *   and is killed with every count still in the ingest stage's memory (checked: its ingested counter = chunk 1, no
 *   input offset committed, the by-service topic empty). The ingest stage hands its counts on in each commit's
 *   transaction, so a kill between counting and handing over is a kill inside the open transaction;</li>
 *   <li>instance 2, on a deleted state dir, commits (and so hands over) every second: its windows must hold chunk 1
 *   exactly once before chunk 2 goes in; it is killed the moment its first hand-over of chunk 2 is written, inside
 *   the open transaction;</li>
 *   <li>instance 3, on the same state dir, publishes progress every 100ms, and is killed the moment its evaluation
 *   of chunk 3 writes an alert record;</li>
 *   <li>instance 4, same dir, gets chunk 4 and runs to the end.</li>
 * </ol>
 * Then the windows' request and error totals per service (query API, 5m and 1h bucket tiers) equal the input's, and
 * the alert records on the alerts topic equal, one for one, the transitions the backtest finds in the same input
 * topic: none lost, none written twice.
 */
class KillRestartIntegrationTest {
    static final long MIN = 60_000;
    static final long HOUR = 60 * MIN;
    static final int PARTITIONS = 4;
    static final List<String> SERVICES = List.of("checkout", "catalog", "auth");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void everyEventCountedOnceAndTheSameAlertsDespiteKills() throws Exception {
        // event time relative to now (the broker's time retention keeps it), hour-aligned so timeseries steps are whole
        long s = Math.floorDiv(System.currentTimeMillis(), HOUR) * HOUR - 3 * HOUR;
        long end = s + 2 * HOUR;
        // traffic goes on for 10s past the end, so the evaluation clock reaches it on every partition: coarse buckets
        // are filled by roll-up when the clock passes their end, and the totals are read from [s, end) in 5m and 1h steps
        List<Scenario.Rec> recs = Scenario.generateEvery(s, end + 10_000, SERVICES, 5_000, PARTITIONS, List.of(
                new Scenario.Incident("checkout", s + 40 * MIN, s + 75 * MIN, 8, 503), // 12.5%: fast and slow burn fire and resolve
                new Scenario.Incident("auth", s + 95 * MIN, s + 101 * MIN, 2, 502)));  // 50% for 6 minutes
        List<List<Scenario.Rec>> chunks = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            long from = s + c * 30 * MIN;
            long to = c == 3 ? Long.MAX_VALUE : from + 30 * MIN;
            chunks.add(recs.stream().filter(r -> r.ts() >= from && r.ts() < to).toList());
        }
        long last = lastInstant(recs);
        assertEquals(end, last, "the generated traffic reaches the end on every partition");

        Map<String, String> cfg = KafkaTestSupport.isolatedConfig("kill");
        String in = cfg.get("input.topic");
        String app = cfg.get("application.id");
        String byService = app + "-by-service";
        Path state = Path.of(cfg.get("state.dir"));
        cfg.put("demo.enabled", "false");
        // a second between commits: the kills below land inside an open transaction (work done, not committed)
        cfg.put("commit.interval.ms", "1000");
        // a killed member never leaves the group: its partitions wait for its session to time out before a rebalance
        // hands them to the restarted one (45s by default); 6s is the broker's minimum
        cfg.put("session.timeout.ms", "6000");
        cfg.put("heartbeat.interval.ms", "1000");
        // static membership: a restarted instance takes its killed predecessor's place at once
        cfg.put("group.instance.id", app + "-instance");
        // a transaction left open by a killed instance blocks read_committed readers (the restarted instance's
        // restore and hand-over consumers) until it times out, unless the restart reuses its transactional id
        // (same state dir, same process id)
        cfg.put("producer.transaction.timeout.ms", "10000");
        System.out.println("kill test: " + recs.size() + " events from " + Instant.ofEpochMilli(s));
        long t0 = System.nanoTime();

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestSupport.bootstrap()));
             KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer()) {
            // 1: counts chunk 1, then dies with every count in the ingest stage's memory, nothing committed
            cfg.put("progress.interval", "1h");
            // (Kafka Streams refuses a commit interval longer than the transaction timeout; the broker's longest is 15m)
            cfg.put("commit.interval.ms", "600000");
            cfg.put("producer.transaction.timeout.ms", "600000");
            try (Child c = Child.start("instance-1", cfg, dir)) {
                produce(producer, in, chunks.get(0));
                KafkaTestSupport.await("chunk 1 counted", WAIT, () -> c.ingested() == chunks.get(0).size(),
                        () -> "ingested " + c.ingested() + "\n" + c.tail());
                assertEquals(0, committed(admin, app, in), "input offsets committed by " + c.name);
                assertEquals(0, endOffsets(admin, byService), "nothing handed over yet");
                c.kill();
            }

            // 2: a fresh state dir: the windows hold chunk 1 exactly once before it gets any new input (still no
            // progress mark, so no evaluation yet: every tier holds each count directly)
            KafkaTestSupport.deleteQuietly(state);
            cfg.put("commit.interval.ms", "1000");
            cfg.put("producer.transaction.timeout.ms", "10000");
            try (Child c = Child.start("instance-2", cfg, dir)) {
                Map<String, List<Long>> expected = totals(chunks.get(0), end);
                KafkaTestSupport.await("chunk 1 counted once", WAIT, () -> c.totalsAreEverywhere(expected, s, end),
                        () -> "expected " + expected + ", windows hold " + c.totalsByStep(s, end) + "\n" + c.tail());
                // then chunk 2, killed at its first hand-over, committed or not
                long before = endOffsets(admin, byService);
                produce(producer, in, chunks.get(1));
                killWhen(c, "a hand-over of chunk 2 is written", () -> endOffsets(admin, byService) > before, admin, app, in, byService);
            }
            // 3 (the same state dir): chunk 3, killed the moment its evaluation writes an alert record (chunk 3 holds
            // transitions: fast burn fires and resolves)
            String alerts = cfg.get("alerts.topic");
            cfg.put("progress.interval", "100ms");
            try (Child c = Child.start("instance-3", cfg, dir)) {
                long before = endOffsets(admin, alerts);
                produce(producer, in, chunks.get(2));
                killWhen(c, "an alert record of chunk 3 is written", () -> endOffsets(admin, alerts) > before, admin, app, in, byService);
            }
            // 4 (the same state dir): runs to the end
            try (Child c = Child.start("instance-4", cfg, dir)) {
                produce(producer, in, chunks.get(3));
                // the reference: the backtest of the same input topic, run while the instance works
                CompletableFuture<List<String>> reference = CompletableFuture.supplyAsync(() -> backtest(in, s, end + 10_000));
                KafkaTestSupport.await("evaluated up to " + Instant.ofEpochMilli(last), WAIT, () -> c.evaluatedUpTo(last), c::tail);
                Map<String, List<Long>> expected = totals(recs, end);
                KafkaTestSupport.await("every event counted once", Duration.ofSeconds(10), () -> c.totalsAreEverywhere(expected, s, end),
                        () -> "expected " + expected + ", windows hold " + c.totalsByStep(s, end) + "\n" + c.tail());

                List<String> expectedAlerts = reference.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertTrue(expectedAlerts.stream().anyMatch(l -> l.endsWith("fast-burn/service=checkout resolved")), expectedAlerts.toString());
                // the last evaluation's records are committed with it, right after the stores show it
                List<String> live = new ArrayList<>();
                KafkaTestSupport.await("the alert records", Duration.ofSeconds(15), () -> {
                    live.clear();
                    live.addAll(readAlerts(alerts));
                    return live.equals(expectedAlerts);
                }, () -> "");
                assertEquals(expectedAlerts, live, "alert records after kills vs the backtest of the same input");
                assertEquals(Map.of("5m", expected, "1h", expected), c.totalsByStep(s, end), "totals after the last evaluation");
                System.out.printf("kill test: passed in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }
        }
    }

    /**
     * Kills the instance the moment the condition holds (polled as fast as the broker answers), or when its input is
     * committed to the end if that comes first; prints where it was: input committed, hand-over records written.
     */
    private static void killWhen(Child c, String what, BooleanSupplier condition, Admin admin, String app, String in,
                                 String byService) throws Exception {
        long end = endOffsets(admin, in);
        KafkaTestSupport.await(what, WAIT, () -> condition.getAsBoolean() || committed(admin, app, in) == end, c::tail);
        c.kill();
        System.out.println(c.name + " killed when " + what + ": input committed " + committed(admin, app, in) + " of " + end
                + ", by-service end offsets " + endOffsets(admin, byService) + " (committed or not)");
    }

    private static void produce(KafkaProducer<byte[], byte[]> producer, String topic, List<Scenario.Rec> recs) {
        for (Scenario.Rec r : recs) producer.send(new ProducerRecord<>(topic, r.partition(), r.ts(), null, r.value()));
        producer.flush();
    }

    /** Requests and errors (5xx, the default SLO's definition) per service, of the events before {@code to}. */
    private static Map<String, List<Long>> totals(List<Scenario.Rec> recs, long to) {
        Map<String, List<Long>> out = new TreeMap<>();
        for (String svc : SERVICES) {
            List<Scenario.Rec> of = recs.stream().filter(r -> r.service().equals(svc) && r.ts() < to).toList();
            out.put(svc, List.of((long) of.size(), of.stream().filter(r -> r.status() >= 500).count()));
        }
        return out;
    }

    /** The newest evaluation instant every partition's events reach (evaluation follows the slowest partition). */
    private static long lastInstant(List<Scenario.Rec> recs) {
        long last = Long.MAX_VALUE;
        for (int p = 0; p < PARTITIONS; p++) {
            final int part = p;
            long max = recs.stream().filter(r -> r.partition() == part).mapToLong(Scenario.Rec::ts).max().orElseThrow();
            last = Math.min(last, Math.floorDiv(max, 10_000) * 10_000);
        }
        return last;
    }

    /** The backtest's alert transitions for the topic's records in [from, to). */
    private static List<String> backtest(String topic, long from, long to) {
        try {
            return Timelines.episodes(Timelines.backtest("--bootstrap-server", KafkaTestSupport.bootstrap(), "--topic", topic,
                    "--from", Instant.ofEpochMilli(from).toString(), "--to", Instant.ofEpochMilli(to).toString(), "--json"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> readAlerts(String topic) {
        try {
            return Timelines.live(topic);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Input records committed by the application's consumer group (the sum of its offsets). */
    private static long committed(Admin admin, String group, String topic) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null).mapToLong(e -> e.getValue().offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long endOffsets(Admin admin, String topic) {
        try {
            return latest(admin, topic).values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> latest(Admin admin, String topic) throws Exception {
        int n = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> spec = new LinkedHashMap<>();
        for (int p = 0; p < n; p++) spec.put(new TopicPartition(topic, p), OffsetSpec.latest());
        return admin.listOffsets(spec).all().get();
    }

    /** One processor instance: a child JVM on the test classpath, its output in a file, its query API on a free port. */
    private static final class Child implements AutoCloseable {
        final String name;
        final Process process;
        final Path log;
        final int port;

        private Child(String name, Process process, Path log, int port) {
            this.name = name;
            this.process = process;
            this.log = log;
            this.port = port;
        }

        /** Starts the instance and waits until it is ready (/ready: running, every store queryable). */
        static Child start(String name, Map<String, String> cfg, Path dir) throws Exception {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Map<String, String> values = new TreeMap<>(cfg);
            values.put("http.port", Integer.toString(port));
            Path file = dir.resolve(name + ".properties");
            Files.writeString(file, values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")));
            Path log = dir.resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), "dev.burnrate.app.Main", "--config", file.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("BURNRATE_")); // the configuration is the file alone
            long t0 = System.nanoTime();
            Child c = new Child(name, pb.start(), log, port);
            try {
                KafkaTestSupport.await(name + " ready", WAIT, () -> {
                    if (!c.process.isAlive()) throw new AssertionError(name + " exited with " + c.process.exitValue() + "\n" + c.tail());
                    return c.get("/ready").status() == 200;
                }, c::tail);
            } catch (Throwable e) {
                c.close();
                throw e;
            }
            System.out.printf("%s ready in %d ms%n", name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            return c;
        }

        /** An HTTP answer; status -1 when the instance does not answer (yet). */
        record Answer(int status, String body) {
        }

        Answer get(String path) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                return new Answer(r.statusCode(), r.body());
            } catch (IOException e) {
                return new Answer(-1, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** The ingested-events counter on /metrics. */
        long ingested() {
            for (String l : get("/metrics").body().split("\n")) {
                if (l.startsWith("burnrate_events_ingested_total ")) return (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1));
            }
            throw new AssertionError("no burnrate_events_ingested_total on /metrics");
        }

        /** Whether the windows hold the totals in both the 5m and the 1h bucket tier. */
        boolean totalsAreEverywhere(Map<String, List<Long>> expected, long from, long to) {
            return expected.equals(totals(from, to, "5m")) && expected.equals(totals(from, to, "1h"));
        }

        Map<String, Map<String, List<Long>>> totalsByStep(long from, long to) {
            Map<String, Map<String, List<Long>>> out = new TreeMap<>();
            for (String step : List.of("5m", "1h")) out.put(step, totals(from, to, step));
            return out;
        }

        /**
         * Requests and errors per service in the windows: the query API's time series over [from, to), whose step
         * picks the bucket tier; null while unanswerable.
         */
        Map<String, List<Long>> totals(long from, long to, String step) {
            Map<String, List<Long>> out = new TreeMap<>();
            for (String svc : SERVICES) {
                Answer r = get("/api/services/" + svc + "/timeseries?from=" + from + "&to=" + to + "&step=" + step);
                if (r.status() == 404) {
                    out.put(svc, List.of(0L, 0L));
                    continue;
                }
                if (r.status() != 200) return null;
                long requests = 0;
                long errors = 0;
                for (JsonNode p : json(r.body()).get("points")) {
                    requests += p.get("requests").asLong();
                    errors += p.get("errors").asLong();
                }
                out.put(svc, List.of(requests, errors));
            }
            return out;
        }

        /** Whether every service's windows have been evaluated up to the instant ("asOf" of /api/services). */
        boolean evaluatedUpTo(long instant) {
            Answer r = get("/api/services");
            if (r.status() != 200) return false;
            int seen = 0;
            for (JsonNode svc : json(r.body()).get("services")) {
                if (Instant.parse(svc.get("asOf").asText()).toEpochMilli() < instant) return false;
                seen++;
            }
            return seen == SERVICES.size();
        }

        /** SIGKILL (destroyForcibly on Linux), and wait until the process is gone. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError(name + " still running 30s after SIGKILL");
            System.out.println(name + " killed (exit " + process.exitValue() + "); its log:\n" + tail());
        }

        /** The instance's log without stack-trace lines, for failure messages. */
        String tail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> !l.startsWith("\t")).toList();
                return "--- " + name + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        private static JsonNode json(String body) {
            try {
                return Timelines.JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
