package dev.burnrate.bench;

import dev.burnrate.core.TimeBuckets;
import com.fasterxml.jackson.databind.JsonNode;
import dev.burnrate.app.AppConfig;
import dev.burnrate.app.Application;
import dev.burnrate.demo.AccessLogJson;
import dev.burnrate.metrics.ProcessorMetrics;
import dev.burnrate.slo.SloConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event-to-alert latency at a steady input rate, the processor with its defaults (exactly-once) except, optionally,
 * evaluation.interval and evaluation.early.step (a setting "10s/10s" is a 10s interval without early evaluation).
 *
 * <p>Construction, so the event that makes the condition true is known: a steady background of healthy traffic
 * (40 services, 0.2% 5xx: no rule fires) with live event time, on every input partition. Every
 * {@code incidentEveryMs} a new incident on a service of its own: first 19 failed requests stamped in the previous
 * minute (20 s before its end: within lateness.grace, and in a complete 1m bucket, so the fast-burn rule's 1h window
 * is at 100% errors), which keep the rule's 5m window one request short of its guard (minRequests 20); ~1.5 s later
 * one more failed request E stamped now. E is the event that makes fast-burn's condition true: it is true at the
 * first instant evaluated after E, T = E's time rounded up to the early evaluation step (250ms by default: E's
 * sub-bucket holds an error, so its end is evaluated; without early evaluation, the evaluation interval), and false
 * at every instant before.
 *
 * <p>Measured: E's append time on the input topic (LogAppendTime, from the producer's callback) to the moment a
 * read_committed consumer of the alerts topic receives the fast-burn firing record (what a pager sees). Split into
 * "wait for the instant" (T - E's event time) and "pipeline" (T to alert received, i.e. progress marks, the
 * by-service hop, evaluation, and the exactly-once commits). All clocks are this JVM's (the broker is in-process).
 */
final class LatencyRun {
    private static final Logger log = LoggerFactory.getLogger(LatencyRun.class);
    private static final String ALERT_PREFIX = "availability/fast-burn/service=";

    private final String bootstrap;
    private final Admin admin;
    private final Path work;
    private final String rid;
    private final Benchmark.Options o;
    private final String interval;

    record Incident(String service, long eventTimeMs, long appendMs, long instantMs) {
    }

    record Seen(long receivedMs, long alertAppendMs, long evaluatedAtMs) {
    }

    LatencyRun(String bootstrap, Admin admin, Path work, String rid, Benchmark.Options o, String interval) {
        this.bootstrap = bootstrap;
        this.admin = admin;
        this.work = work;
        this.rid = rid;
        this.o = o;
        this.interval = interval;
    }

    Map<String, Object> run() throws Exception {
        String tag = "lat" + interval.replaceAll("\\W", "") + "-" + rid;
        String appId = "bench-" + tag;
        String input = appId + "-in";
        String alerts = appId + "-alerts";
        Kafka.createTopic(admin, input, o.partitions, Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
        Kafka.createTopic(admin, alerts, o.partitions, Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime",
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        Map<String, String> cfg = Benchmark.processorConfig(bootstrap, appId, work, input);
        cfg.put("alerts.topic", alerts);
        String[] setting = interval.split("/");
        cfg.put("evaluation.interval", setting[0]);
        if (setting.length > 1) cfg.put("evaluation.early.step", setting[1]);
        cfg.putAll(o.latencySettings);
        long stepMs = dev.burnrate.core.Durations.parse(setting.length > 1 ? setting[1] : dev.burnrate.app.AppKey.EVALUATION_EARLY_STEP.defaultValue).toMillis();
        ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());
        Application app = Application.start(AppConfig.ofMap(cfg), SloConfig.defaultConfig(), metrics);
        app.awaitRunning(Duration.ofSeconds(60));

        Map<String, Incident> incidents = new ConcurrentHashMap<>();
        Map<String, Seen> seen = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        long[] backgroundSent = new long[1];
        Thread consumer = new Thread(() -> consumeAlerts(alerts, seen, stop), "bench-alerts-consumer");
        consumer.start();
        AccessLogJson[] conventions = AccessLogJson.values();
        Random rnd = new Random(7);
        try (KafkaProducer<byte[], byte[]> producer = Kafka.shipperProducer(bootstrap)) {
            Thread background = new Thread(() -> {
                long next = System.nanoTime();
                int i = 0;
                Random r = new Random(11);
                while (!stop.get()) {
                    int perTick = Math.max(1, o.latencyRate / 100);
                    for (int k = 0; k < perTick; k++, i++) {
                        long ts = System.currentTimeMillis();
                        int status = r.nextInt(1000) < 2 ? 500 : 200;
                        byte[] v = conventions[i % conventions.length].bytes(ts, "bg-" + (i % 40), "/api/v1/items/" + (i % 10) + "/view",
                                "GET", status, 10 + r.nextInt(100));
                        producer.send(new ProducerRecord<>(input, i % o.partitions, null, null, v));
                    }
                    backgroundSent[0] = i;
                    next += 10_000_000L;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        try {
                            Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "bench-background");
            background.start();
            Thread.sleep(o.latencyWarmupSeconds * 1000L); // warm-up: the watermark is established, the JIT has seen the paths
            long phaseEnd = System.currentTimeMillis() + o.latencySeconds * 1000L;
            int n = 0;
            List<long[]> pending = new ArrayList<>(); // {index, sendAtMs}
            long nextStart = System.currentTimeMillis();
            while (System.currentTimeMillis() < phaseEnd || !pending.isEmpty()) {
                long now = System.currentTimeMillis();
                if (now < phaseEnd && now >= nextStart) {
                    nextStart += o.incidentEveryMs;
                    String service = "inc-" + n;
                    long minute = TimeBuckets.start(now, 60_000);
                    for (int j = 0; j < 19; j++) {
                        byte[] v = AccessLogJson.PLAIN.bytes(minute - 20_000 + j * 500L, service, "/api/pay", "POST", 503, 30);
                        producer.send(new ProducerRecord<>(input, rnd.nextInt(o.partitions), null, null, v));
                    }
                    // E a little later, at a random point of its evaluation bucket
                    pending.add(new long[]{n, now + 1500 + rnd.nextInt(200)});
                    n++;
                }
                if (!pending.isEmpty() && now >= pending.get(0)[1]) {
                    long idx = pending.remove(0)[0];
                    String service = "inc-" + idx;
                    long ts = System.currentTimeMillis();
                    byte[] v = conventions[(int) (idx % conventions.length)].bytes(ts, service, "/api/pay", "POST", 503, 30);
                    long instant = TimeBuckets.end(ts, stepMs);
                    producer.send(new ProducerRecord<>(input, rnd.nextInt(o.partitions), null, null, v), (md, e) -> {
                        if (e == null) incidents.put(service, new Incident(service, ts, md.timestamp(), instant));
                    });
                }
                Thread.sleep(5);
            }
            producer.flush();
            long waitUntil = System.currentTimeMillis() + stepMs + 20_000;
            while (System.currentTimeMillis() < waitUntil && seen.keySet().containsAll(incidents.keySet()) == false) Thread.sleep(50);
            stop.set(true);
            background.join();
            consumer.join();
        } finally {
            stop.set(true);
            app.close();
        }

        List<Long> eventToAlert = new ArrayList<>(), eventToAlertAppend = new ArrayList<>(), waitForInstant = new ArrayList<>(), pipeline = new ArrayList<>();
        int wrongInstant = 0;
        for (Incident i : incidents.values()) {
            Seen s = seen.get(i.service());
            if (s == null) continue;
            if (s.evaluatedAtMs() != i.instantMs()) wrongInstant++;
            eventToAlert.add(s.receivedMs() - i.appendMs());
            eventToAlertAppend.add(s.alertAppendMs() - i.appendMs());
            waitForInstant.add(i.instantMs() - i.eventTimeMs());
            pipeline.add(s.receivedMs() - i.instantMs());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("processorSettings", o.latencySettings.isEmpty() ? "defaults" : o.latencySettings.toString());
        m.put("evaluationInterval", interval + (interval.contains("/") ? "" : "/" + dev.burnrate.app.AppKey.EVALUATION_EARLY_STEP.defaultValue));
        m.put("backgroundRecordsPerSecond", o.latencyRate);
        m.put("incidents", incidents.size());
        m.put("alertsSeen", eventToAlert.size());
        m.put("alertsAtAnotherInstant", wrongInstant);
        m.put("eventToAlertMs", stats(eventToAlert));
        m.put("eventToAlertAppendMs", stats(eventToAlertAppend));
        m.put("waitForInstantMs", stats(waitForInstant));
        m.put("instantToAlertMs", stats(pipeline));
        m.put("ingested", (long) metrics.ingestedCount());
        m.put("late", (long) metrics.lateCount());
        m.put("how", "E appended (LogAppendTime via producer callback) -> fast-burn firing record received by a read_committed consumer; "
                + "waitForInstant = T - E event time; instantToAlert = T -> received (T = E rounded up to the early evaluation step)");
        log.info("latency ({}): {} incidents, {} alerts, event->alert {}", interval, incidents.size(), eventToAlert.size(), m.get("eventToAlertMs"));
        return m;
    }

    private void consumeAlerts(String topic, Map<String, Seen> seen, AtomicBoolean stop) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = Kafka.partitions(admin, topic);
            c.assign(parts);
            c.seekToBeginning(parts);
            while (!stop.get()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    long received = System.currentTimeMillis();
                    if (r.key() == null || !r.key().startsWith(ALERT_PREFIX + "inc-")) continue;
                    JsonNode a = Benchmark.JSON.readTree(r.value());
                    if (!"firing".equals(a.path("status").asText())) continue;
                    String service = r.key().substring(ALERT_PREFIX.length());
                    seen.putIfAbsent(service, new Seen(received, r.timestamp(), Instant.parse(a.path("evaluatedAt").asText()).toEpochMilli()));
                }
            }
        } catch (Exception e) {
            log.error("alerts consumer failed", e);
        }
    }

    static Map<String, Object> stats(List<Long> v) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (v.isEmpty()) return m;
        List<Long> s = new ArrayList<>(v);
        s.sort(null);
        m.put("p50", pct(s, 50));
        m.put("p99", pct(s, 99));
        m.put("min", s.get(0));
        m.put("max", s.get(s.size() - 1));
        m.put("n", s.size());
        return m;
    }

    /** Nearest-rank percentile. */
    static long pct(List<Long> sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
