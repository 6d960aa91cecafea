package dev.burnrate.faults;

import java.util.HashMap;
import java.util.Map;

/**
 * Watches the application's committed input offsets (every 100 ms) and measures stalls: how long an input partition
 * had records waiting while its committed offset did not move. The longest stall in a stretch of time is how long
 * processing stopped there, whatever the cause (a kill, a rebalance, a broker away), as seen from outside.
 */
final class StallMonitor implements AutoCloseable {
    private final Run run;
    private final Thread thread;
    private final Map<Integer, Long> lastOffset = new HashMap<>();
    private final Map<Integer, Long> stalledSince = new HashMap<>();
    private volatile boolean stop;
    private long longestMs; // since the last take()

    private StallMonitor(Run run) {
        this.run = run;
        this.thread = new Thread(this::loop, "stall-monitor");
        thread.setDaemon(true);
    }

    static StallMonitor start(Run run) {
        StallMonitor m = new StallMonitor(run);
        m.thread.start();
        return m;
    }

    private void loop() {
        while (!stop) {
            Map<Integer, Long> committed = run.kafka.committed(run.appId, run.in);
            Map<Integer, Long> end = run.kafka.endOffsetsByPartition(run.in, Run.PARTITIONS);
            long now = System.nanoTime();
            synchronized (this) {
                for (int p = 0; p < Run.PARTITIONS; p++) {
                    Long c = committed == null ? lastOffset.get(p) : committed.get(p);
                    boolean moved = c != null && !c.equals(lastOffset.get(p));
                    if (c != null) lastOffset.put(p, c);
                    Long e = end == null ? null : end.get(p);
                    boolean waiting = e == null || c == null || c < e;
                    Long since = stalledSince.get(p);
                    if (since != null) longestMs = Math.max(longestMs, (now - since) / 1_000_000); // up to now, ended or not
                    if (moved || !waiting) stalledSince.remove(p);
                    else stalledSince.putIfAbsent(p, now);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The longest stall since the last call (one still going counts up to now), and starts a new stretch. */
    synchronized long take() {
        long out = longestMs;
        long now = System.nanoTime();
        longestMs = 0;
        for (Map.Entry<Integer, Long> e : stalledSince.entrySet()) e.setValue(now); // a stall going on counts in the next stretch from here
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join();
    }
}
