package dev.burnrate.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** Clients asking an instance's API as on-call engineers would (with the token), each answer timed. */
final class NormalClients {
    private static final List<String> PATHS = List.of("/api/services", "/api/services/checkout", "/api/alerts", "/metrics");

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Long> millis = new CopyOnWriteArrayList<>();
    private final Map<Integer, Integer> byStatus = new TreeMap<>();
    private final Map<String, Long> slowestByPath = new java.util.concurrent.ConcurrentSkipListMap<>();

    static NormalClients start(Instance i, int clients) {
        NormalClients n = new NormalClients();
        for (int c = 0; c < clients; c++) {
            int first = c;
            Thread t = new Thread(() -> {
                for (int k = first; !n.stop.get(); k++) {
                    long t0 = System.nanoTime();
                    String path = PATHS.get(k % PATHS.size());
                    int status = i.get(path).status();
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    n.millis.add(ms);
                    n.slowestByPath.merge(path + (status == 200 ? "" : " " + status), ms, Math::max);
                    synchronized (n.byStatus) {
                        n.byStatus.merge(status, 1, Integer::sum);
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "normal-client-" + c);
            t.setDaemon(true);
            n.threads.add(t);
            t.start();
        }
        return n;
    }

    void stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) t.join();
    }

    long slowest() {
        return millis.stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    /** Answers other than 200 or 503 with Retry-After (503 is an answer: the instance says it cannot answer yet). */
    long failed() {
        synchronized (byStatus) {
            return byStatus.entrySet().stream().filter(e -> e.getKey() != 200 && e.getKey() != 503).mapToLong(Map.Entry::getValue).sum();
        }
    }

    String summary() {
        List<Long> sorted = millis.stream().sorted().toList();
        long p99 = sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * 99 / 100));
        synchronized (byStatus) {
            return millis.size() + " requests, by status " + byStatus + "; ms: median " + (sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2))
                    + ", p99 " + p99 + ", max " + slowest() + "; slowest by path and status " + slowestByPath;
        }
    }
}
