package dev.burnrate.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks every live instance's query API, over and over, while instances come and go: each answer must be complete
 * (every service the application has shown once, listed again) or a 503 with Retry-After. A wrong status, a 503
 * without Retry-After or a list that lost a service is a violation.
 */
final class QueryProbe {
    final AtomicLong complete = new AtomicLong();
    final AtomicLong unavailable = new AtomicLong();
    final AtomicLong unreachable = new AtomicLong();
    final List<String> violations = new CopyOnWriteArrayList<>();
    private final Run run;
    private final Thread thread;
    private volatile boolean stop;
    private boolean allSeen;

    private QueryProbe(Run run) {
        this.run = run;
        this.thread = new Thread(this::loop, "query-probe");
        thread.setDaemon(true);
    }

    static QueryProbe start(Run run) {
        QueryProbe p = new QueryProbe(run);
        p.thread.start();
        return p;
    }

    private void loop() {
        while (!stop) {
            for (Instance i : run.alive()) {
                check(i, "/api/services");
                check(i, "/api/services/checkout");
                check(i, "/api/alerts");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void check(Instance i, String path) {
        Instance.Answer a = i.get(path);
        switch (a.status()) {
            case -1 -> unreachable.incrementAndGet(); // starting or stopping: nothing listens, nothing wrong is said
            case 503 -> {
                unavailable.incrementAndGet();
                if (a.retryAfter() == null) violations.add(i.name + " " + path + ": 503 without Retry-After");
            }
            case 200 -> {
                complete.incrementAndGet();
                if (path.equals("/api/services")) {
                    JsonNode list = a.json().get("services");
                    long known = 0;
                    for (JsonNode s : list) if (Traffic.SERVICES.contains(s.get("service").asText())) known++;
                    if (known == Traffic.SERVICES.size()) allSeen = true;
                    else if (allSeen) violations.add(i.name + " " + path + ": " + known + " of " + Traffic.SERVICES.size() + " services, answered as complete");
                }
            }
            case 404 -> {
                if (allSeen) violations.add(i.name + " " + path + ": 404 for a service that exists");
            }
            default -> violations.add(i.name + " " + path + ": " + a.status() + " " + a.body());
        }
    }

    Map<String, Long> summary() {
        return Map.of("complete (200)", complete.get(), "503 with Retry-After", unavailable.get(),
                "no connection (starting/stopping)", unreachable.get(), "wrong", (long) violations.size());
    }

    void stop() throws InterruptedException {
        stop = true;
        thread.join();
    }
}
