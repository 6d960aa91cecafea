package dev.burnrate.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demo traffic for the local run: four services in a mix of shipper conventions, a little garbage for the
 * dead-letter topic, and an incident. Event time starts an hour in the past and runs {@code speedup} times faster
 * than the wall clock until it reaches the present, then goes on in real time: the processor works on event time,
 * so an hour of traffic (and the incident in it) plays out in about two minutes.
 * Incident: checkout's /api/pay returns mostly 503 from minute 20 to minute 40 of the hour.
 */
public final class DemoTraffic implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DemoTraffic.class);
    static final Duration HISTORY = Duration.ofHours(1);
    static final Duration INCIDENT_START = Duration.ofMinutes(20);
    static final Duration INCIDENT_END = Duration.ofMinutes(40);
    /** The records' random source: the same traffic in every run. */
    static final long SEED = 42;

    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private volatile boolean running = true;

    private DemoTraffic(String bootstrap, String topic, int speedup, int ratePerSecond) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20), new ByteArraySerializer(), new ByteArraySerializer());
        thread = new Thread(() -> run(topic, speedup, ratePerSecond), "demo-traffic");
        thread.setDaemon(true);
    }

    public static DemoTraffic start(String bootstrap, String topic, int speedup, int ratePerSecond) {
        DemoTraffic d = new DemoTraffic(bootstrap, topic, speedup, ratePerSecond);
        double wallStart = INCIDENT_START.toSeconds() / (double) speedup;
        double wallEnd = INCIDENT_END.toSeconds() / (double) speedup;
        log.info("demo: producing one hour of traffic in {}s (event time x{}), then live; incident on checkout /api/pay "
                        + "(mostly 503) during event minutes 20-40, about {}s to {}s from now. Expect fast-burn to fire and then resolve.",
                HISTORY.toSeconds() / speedup, speedup, Math.round(wallStart), Math.round(wallEnd));
        d.thread.start();
        return d;
    }

    private void run(String topic, int speedup, int ratePerSecond) {
        Random random = new Random(SEED);
        long wallStart = System.currentTimeMillis();
        long eventStart = wallStart - HISTORY.toMillis();
        long sent = 0;
        boolean live = false;
        while (running) {
            long wall = System.currentTimeMillis();
            long eventNow = Math.min(eventStart + (wall - wallStart) * speedup, wall);
            if (!live && eventNow >= wall) {
                live = true;
                log.info("demo: caught up with the present; traffic goes on in real time (healthy)");
            }
            boolean incident = incidentAt(eventNow - eventStart);
            long due = (wall - wallStart) * ratePerSecond / 1000;
            for (; sent < due && running; sent++) {
                producer.send(new ProducerRecord<>(topic, null, eventNow, null, DemoRecords.next(random, eventNow, incident)));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Whether checkout's /api/pay fails at this offset from the start of the demo's hour. */
    static boolean incidentAt(long offsetMs) {
        return offsetMs >= INCIDENT_START.toMillis() && offsetMs < INCIDENT_END.toMillis();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
        producer.close(Duration.ofSeconds(5));
        log.info("demo traffic stopped at {}", Instant.now());
    }
}
