package dev.burnrate.notifier.delivery;

import dev.burnrate.notifier.targets.Target;
import dev.burnrate.schema.AlertStatus;
import dev.burnrate.schema.SloAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread per target: takes the transitions in order, sends each (rate-limited, retried), dead-letters final
 * failures, and reports progress. It also keeps the active alerts as this target has seen them, so a periodic
 * re-send (Alertmanager) can never overtake the resolve it has not sent yet, nor revive one it has.
 */
public final class TargetWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TargetWorker.class);
    private final Target target;
    private final Sender sender;
    private final RetryPolicy retry;
    private final RateLimiter limiter;
    private final Progress progress;
    private final DeadLetters deadLetters;
    private final DeliveryMetrics metrics;
    private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    /** alert id -> (partition, latest firing record): what a re-send sends */
    private final Map<String, Map.Entry<TopicPartition, SloAlert>> active = new LinkedHashMap<>();
    private final Thread thread;
    private long nextResend = Long.MAX_VALUE;

    public TargetWorker(Target target, Sender sender, RetryPolicy retry, Progress progress, DeadLetters deadLetters, DeliveryMetrics metrics) {
        this.target = target;
        this.sender = sender;
        this.retry = retry;
        this.limiter = new RateLimiter(target.rateLimitPerMinute());
        this.progress = progress;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "notify-" + target.name());
        this.thread.setDaemon(true);
    }

    public String name() {
        return target.name();
    }

    public void start() {
        thread.start();
    }

    public void submit(Work w) {
        queue.add(w);
    }

    public int backlog() {
        return queue.size();
    }

    private void run() {
        try {
            while (true) {
                long waitMs = nextResend == Long.MAX_VALUE ? 1000 : Math.max(0, nextResend - System.currentTimeMillis());
                Work w = queue.poll(waitMs, TimeUnit.MILLISECONDS);
                if (w != null) handle(w);
                if (System.currentTimeMillis() >= nextResend) resend();
            }
        } catch (InterruptedException e) {
            // stopping: what is not done is not committed, and is delivered again after the restart
        }
    }

    private void handle(Work w) throws InterruptedException {
        if (w instanceof Work.Seed s) {
            s.active().values().forEach(a -> active.put(a.getId(), Map.entry(s.partition(), a)));
            if (!s.active().isEmpty()) scheduleResend(0);
        } else if (w instanceof Work.Revoke r) {
            active.values().removeIf(e -> e.getKey().equals(r.partition()));
        } else if (w instanceof Work.Transition t) {
            if (t.alert() != null) deliver(t);
            else if (t.record().value() == null && t.record().key() != null) {
                active.remove(new String(t.record().key(), java.nio.charset.StandardCharsets.UTF_8)); // a tombstone
            }
            progress.done(target.name(), t.partition(), t.record().offset());
        }
    }

    private void deliver(Work.Transition t) throws InterruptedException {
        SloAlert a = t.alert();
        if (a.getStatus() == AlertStatus.firing) active.put(a.getId(), Map.entry(t.partition(), a));
        else active.remove(a.getId());
        Message m = target.message(a, Instant.now());
        if (m == null) return;
        limiter.acquire();
        Outcome o = retry.deliver(sender, m, failure -> {
            metrics.retried(target.name());
            log.info("{}: {} not accepted ({}); retrying", target.name(), m.what(), failure);
        });
        if (o.delivered()) {
            Duration latency = Duration.ofMillis(System.currentTimeMillis() - t.record().timestamp());
            metrics.delivered(target.name(), latency);
            log.info("delivered {} to {}{}", m.what(), target.name(), o.attempts() > 1 ? " after " + o.attempts() + " attempts" : "");
        } else {
            metrics.failed(target.name(), o.reason());
            log.warn("{}: {} failed finally ({}): {}; written to the dead-letter topic", target.name(), m.what(), o.reason(), o.detail());
            deadLetters.write(t.record(), target.name(), o.reason(), o.detail());
        }
        if (target.resendInterval() != null && a.getStatus() == AlertStatus.firing && nextResend == Long.MAX_VALUE) {
            scheduleResend(target.resendInterval().toMillis());
        }
    }

    private void resend() throws InterruptedException {
        if (active.isEmpty()) {
            nextResend = Long.MAX_VALUE;
            return;
        }
        Message m = target.resend(active.values().stream().map(Map.Entry::getValue).toList(), Instant.now());
        scheduleResend(target.resendInterval().toMillis());
        if (m == null) return;
        limiter.acquire();
        try {
            Response r = sender.send(m);
            metrics.resent(target.name(), r.accepted());
            if (!r.accepted()) log.warn("{}: {} not accepted: HTTP {} {}", target.name(), m.what(), r.status(), r.body().strip());
        } catch (java.io.IOException e) {
            // the next re-send comes one interval later, well before the alerts' endsAt
            metrics.resent(target.name(), false);
            log.warn("{}: {} failed: {}", target.name(), m.what(), e.toString());
        }
    }

    private void scheduleResend(long inMs) {
        if (target.resendInterval() != null) nextResend = System.currentTimeMillis() + inMs;
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(5000);
    }
}
