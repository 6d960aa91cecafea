package dev.burnrate.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * One application under test: its own application id, topics and instance slots on the shared broker, its traffic,
 * and the measurements the scenarios make on it (recovery after a fault, the final comparison with the input).
 */
final class Run implements AutoCloseable {
    static final long EVALUATION_STEP_MS = 10_000;
    static final int PARTITIONS = 4;
    private static final long HOUR = 3_600_000;

    final String name;
    final String appId;
    final String in;
    final String alerts;
    final String dlq;
    final Traffic traffic;
    final List<Instance> slots = new ArrayList<>();
    final KafkaOps kafka;
    final Broker broker;
    private final Path dir;
    private final Map<String, String> cfg = new HashMap<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private Traffic.Feed feed;
    private Traffic.Extra extra;
    private StallMonitor stalls;

    Run(String name, Broker broker, Path root, Traffic traffic, Map<String, String> overrides, int slotCount) throws Exception {
        this.name = name;
        this.broker = broker;
        this.traffic = traffic;
        this.appId = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.dir = Files.createDirectories(root.resolve(appId));
        this.in = appId + "-in";
        this.alerts = appId + "-alerts";
        this.dlq = appId + "-dlq";
        this.kafka = new KafkaOps(broker.bootstrap());
        kafka.createInput(in, PARTITIONS);
        cfg.put("bootstrap.servers", broker.bootstrap());
        cfg.put("application.id", appId);
        cfg.put("input.topic", in);
        cfg.put("alerts.topic", alerts);
        cfg.put("dlq.topic", dlq);
        cfg.put("input.partitions", Integer.toString(PARTITIONS));
        cfg.put("demo.enabled", "false");
        // the traffic is dated hours back and paced: keep the wall clock from moving a partition on while a fault
        // (a broker restart) pauses it, or the live result would rightly differ from the backtest's
        cfg.put("idle.timeout", "30m");
        cfg.put("log.summary.interval", "1h");
        cfg.putAll(overrides);
        for (int i = 1; i <= slotCount; i++) slots.add(new Instance("p" + i, dir, cfg));
        producer = kafka.producer();
    }

    Path dir() {
        return dir;
    }

    /** Starts the slot and waits until it answers /ready (running, every local store queryable); ms from its start. */
    long startReady(Instance i) throws Exception {
        i.start(Map.of());
        return awaitReady(i);
    }

    long awaitReady(Instance i) throws Exception {
        Waits.until(i.name + " ready", 120, () -> {
            if (!i.alive()) throw new IllegalStateException(i.name + " exited\n" + i.tail());
            return i.ready();
        }, i::tail);
        return (System.nanoTime() - i.startedNanos()) / 1_000_000;
    }

    void feed(Traffic.Extra extra, int perSecond) {
        this.extra = extra;
        feed = Traffic.feed(producer, in, traffic, extra, perSecond);
        stalls = StallMonitor.start(this);
    }

    /** The records mixed into the traffic (hostile, a scanner's). */
    Traffic.Extra extra() {
        return extra;
    }

    StallMonitor stalls() {
        return stalls;
    }

    Traffic.Feed feed() {
        return feed;
    }

    List<Instance> alive() {
        return slots.stream().filter(Instance::alive).toList();
    }

    /** The evaluation clock every service has reached, asked of any live instance; -1 when none answers. */
    long evaluatedTo() {
        for (Instance i : alive()) {
            long e = i.evaluatedTo(Traffic.SERVICES);
            // a partition not evaluated yet says "asOf" now (the wall clock), far past this traffic: not an evaluation
            if (e >= 0) return e > traffic.end + HOUR ? -1 : e;
        }
        return -1;
    }

    /** Where processing stood just before a fault: input offsets committed per partition, the evaluation clock. */
    record Mark(long nanos, Map<Integer, Long> committed, long evaluated) {
    }

    /** A fault that can be made to happen. */
    interface Fault {
        void inject() throws Exception;
    }

    /**
     * Reads the evaluation clock, injects the fault, then reads the committed offsets (a killed instance commits no
     * more; read before, a commit could land in between). While the broker is away the offsets are those read
     * before the fault.
     */
    Mark mark(Fault fault) throws Exception {
        return mark(fault, true);
    }

    /** As {@link #mark(Fault)}; a fault that takes the broker away keeps the offsets read before it. */
    Mark mark(Fault fault, boolean brokerStays) throws Exception {
        long evaluated = evaluatedTo();
        for (int i = 0; i < 100 && evaluated < 0; i++) { // a 503 now and then (a probing rebalance): ask again
            Thread.sleep(100);
            evaluated = evaluatedTo();
        }
        Map<Integer, Long> before = kafka.committed(appId, in);
        long t0 = System.nanoTime();
        fault.inject();
        Map<Integer, Long> after = brokerStays ? kafka.committed(appId, in) : null;
        Map<Integer, Long> c = after != null ? after : before;
        return new Mark(t0, c == null ? Map.of() : c, evaluated);
    }

    /**
     * After a fault at {@code at}: ms until every input partition's committed offset moved past where it stood
     * (processing again, wherever the partitions went), and ms until the evaluation clock passed where it stood
     * (the alert blackout: no transition can be evaluated before). -1 when not within the timeout.
     */
    record Recovery(long resumeMs, long blackoutMs) {
    }

    Recovery recover(Mark at, int timeoutSeconds) throws Exception {
        long resume = -1;
        long blackout = -1;
        long deadline = at.nanos() + timeoutSeconds * 1_000_000_000L;
        long last = traffic.lastInstant(EVALUATION_STEP_MS);
        while ((resume < 0 || blackout < 0) && System.nanoTime() < deadline) {
            if (resume < 0) {
                Map<Integer, Long> c = kafka.committed(appId, in);
                Map<Integer, Long> end = c == null ? null : kafka.endOffsetsByPartition(in, PARTITIONS);
                boolean all = c != null && end != null;
                for (int p = 0; all && p < PARTITIONS; p++) {
                    long now = c.getOrDefault(p, -1L);
                    all = now > at.committed().getOrDefault(p, -1L) || now == end.get(p); // moved on, or all there is
                }
                if (all) resume = (System.nanoTime() - at.nanos()) / 1_000_000;
            }
            long e = blackout < 0 ? evaluatedTo() : -1;
            if (blackout < 0 && (e > at.evaluated() || e >= last)) blackout = (System.nanoTime() - at.nanos()) / 1_000_000;
            Thread.sleep(50);
        }
        return new Recovery(resume, blackout);
    }

    /** The comparison after the traffic: events lost or counted twice per service, alert transitions lost or duplicated. */
    record Outcome(Map<String, List<Long>> expectedTotals, Map<String, List<Long>> totals5m, Map<String, List<Long>> totals1h,
                   List<String> reference, Verdict alerts, long evaluateMs, long stallAfterFaultsMs) {
        boolean ok() {
            return expectedTotals.equals(totals5m) && expectedTotals.equals(totals1h) && alerts.ok();
        }

        /** Events missing (negative) or counted twice (positive), summed over services and both bucket tiers' views. */
        long eventDifference() {
            long d = 0;
            for (String s : expectedTotals.keySet()) {
                d += Math.abs(get(totals5m, s) - expectedTotals.get(s).get(0));
            }
            return d;
        }

        private static long get(Map<String, List<Long>> m, String s) {
            return m == null || !m.containsKey(s) ? 0 : m.get(s).get(0);
        }
    }

    /** Waits for the traffic to be produced and evaluated to its end, then compares with the input and the backtest. */
    Outcome finish() throws Exception {
        feed.await();
        long t0 = System.nanoTime();
        long last = traffic.lastInstant(EVALUATION_STEP_MS);
        Waits.until("evaluated to the end of the traffic", 300, () -> evaluatedTo() >= last, this::tails);
        long stall = stalls.take();
        stalls.close();
        long evaluateMs = (System.nanoTime() - t0) / 1_000_000;
        Map<String, List<Long>> expected = traffic.totals();
        Traffic.add(expected, extra.counted());
        Instance via = alive().get(0);
        Map<String, List<Long>>[] seen = new Map[2];
        // the queried stores are the live ones, a commit ahead of nothing: once evaluated to the end they hold it all
        Waits.until("the windows' totals", 30, () -> {
            seen[0] = via.totals(Traffic.SERVICES, traffic.start, traffic.end, "5m");
            seen[1] = via.totals(Traffic.SERVICES, traffic.start, traffic.end, "1h");
            return expected.equals(seen[0]) && expected.equals(seen[1]);
        }, () -> "expected " + expected + ", 5m " + seen[0] + ", 1h " + seen[1]);
        List<String> reference = Verdict.backtest(broker.bootstrap(), in, traffic.start, traffic.end + 10_000);
        List<String> live = new ArrayList<>();
        // the last evaluation's records are committed with its transaction, just after the stores show it
        Waits.until("the alert records", 30, () -> {
            live.clear();
            live.addAll(Verdict.live(kafka, alerts));
            return live.equals(reference);
        }, () -> "");
        return new Outcome(expected, seen[0], seen[1], reference, Verdict.compare(reference, live), evaluateMs, stall);
    }

    String tails() {
        StringBuilder b = new StringBuilder();
        for (Instance i : slots) b.append(i.tail()).append('\n');
        return b.toString();
    }

    /** ERROR lines and stack traces in the instances' logs (every start's file). */
    long errorLines() throws Exception {
        long n = 0;
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                n += Files.readAllLines(f).stream().filter(l -> l.contains(" ERROR ") || l.startsWith("\tat ")).count();
            }
        }
        return n;
    }

    @Override
    public void close() throws Exception {
        if (stalls != null) stalls.close();
        for (Instance i : slots) i.close();
        producer.close();
        kafka.close();
    }
}
