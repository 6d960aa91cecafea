package dev.burnrate.notifier.source;

import dev.burnrate.notifier.delivery.DeadLetters;
import dev.burnrate.notifier.delivery.Progress;
import dev.burnrate.notifier.delivery.TargetWorker;
import dev.burnrate.notifier.delivery.Work;
import dev.burnrate.schema.AlertStatus;
import dev.burnrate.schema.SloAlert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the alerts topic as a table, in the notifier's consumer group. When partitions are assigned it rebuilds
 * their active alerts from the (compacted) topic up to the committed offset, without delivering: that was done
 * before. A group without a committed offset (the first start) rebuilds to the end and delivers only the alerts
 * active now, not history. Then it hands every new transition to every target's worker and commits, after each
 * poll, what all targets are finished with (at least once; the targets' dedup keys make a repeat harmless).
 */
public final class AlertSource implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertSource.class);
    /** Stop fetching while a worker has this many transitions waiting (a target retrying for long). */
    private static final int MAX_BACKLOG = 10_000;
    private final Consumer<byte[], byte[]> consumer;
    private final Supplier<Consumer<byte[], byte[]>> readerFactory;
    private final String topic;
    private final AlertDecoder decoder;
    private final List<TargetWorker> workers;
    private final Progress progress;
    private final DeadLetters deadLetters;
    /** partition -> alert id -> its firing record: the table's active alerts (for the gauge) */
    private final Map<TopicPartition, Map<String, SloAlert>> active = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile boolean ready;
    private volatile String notReadyReason = "starting";
    private final Thread thread;

    public AlertSource(Consumer<byte[], byte[]> consumer, Supplier<Consumer<byte[], byte[]>> readerFactory, String topic,
                       AlertDecoder decoder, List<TargetWorker> workers, Progress progress, DeadLetters deadLetters) {
        this.consumer = consumer;
        this.readerFactory = readerFactory;
        this.topic = topic;
        this.decoder = decoder;
        this.workers = workers;
        this.progress = progress;
        this.deadLetters = deadLetters;
        this.thread = new Thread(this, "alert-source");
    }

    public void start() {
        thread.start();
    }

    public boolean ready() {
        return ready;
    }

    public String notReadyReason() {
        return notReadyReason;
    }

    public int activeAlerts() {
        return active.values().stream().mapToInt(Map::size).sum();
    }

    @Override
    public void run() {
        try {
            awaitTopic();
            consumer.subscribe(List.of(topic), new Rebalance());
            boolean paused = false;
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) handle(r);
                commit();
                boolean full = workers.stream().anyMatch(w -> w.backlog() > MAX_BACKLOG);
                if (full != paused) {
                    if (full) consumer.pause(consumer.assignment());
                    else consumer.resume(consumer.assignment());
                    paused = full;
                    log.info(full ? "a target is {} transitions behind: pausing the alerts topic" : "targets caught up: resuming", MAX_BACKLOG);
                }
            }
        } catch (WakeupException e) {
            // close() was called
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            ready = false;
            notReadyReason = "alert source stopped: " + e;
            log.error("reading {} failed; the notifier stops delivering", topic, e);
        } finally {
            try {
                commit();
            } catch (RuntimeException e) {
                log.warn("final commit failed: {}", e.toString());
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The processor creates the alerts topic; the notifier may well start first. */
    private void awaitTopic() throws InterruptedException {
        boolean logged = false;
        while (running && !consumer.listTopics(Duration.ofSeconds(10)).containsKey(topic)) {
            notReadyReason = "waiting for topic " + topic + " (alerts.topic) to exist";
            if (!logged) log.info("{}; the processor creates it", notReadyReason);
            logged = true;
            Thread.sleep(1000);
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> r) throws InterruptedException {
        SloAlert alert = null;
        if (r.value() == null) {
            // a tombstone (an operator deleting a key of the compacted topic): the alert leaves the table, nothing to send
            Map<String, SloAlert> m = active.get(new TopicPartition(r.topic(), r.partition()));
            if (m != null && r.key() != null) m.remove(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
        } else {
            try {
                alert = decoder.decode(r.topic(), r.value());
                track(new TopicPartition(r.topic(), r.partition()), alert);
            } catch (IllegalArgumentException e) {
                log.warn("{}-{}@{}: {}; written to the dead-letter topic", r.topic(), r.partition(), r.offset(), e.getMessage());
                deadLetters.write(r, "-", "undecodable", e.getMessage());
            }
        }
        Work w = new Work.Transition(r, alert);
        for (TargetWorker t : workers) t.submit(w);
    }

    private void track(TopicPartition tp, SloAlert a) {
        Map<String, SloAlert> m = active.computeIfAbsent(tp, k -> new ConcurrentHashMap<>());
        if (a.getStatus() == AlertStatus.firing) m.put(a.getId(), a);
        else m.remove(a.getId());
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = progress.toCommit();
        offsets.keySet().retainAll(consumer.assignment());
        if (offsets.isEmpty()) return;
        consumer.commitSync(offsets);
        progress.committed(offsets);
    }

    /** Reads [beginning, upTo) of a partition: the latest record per alert id, and their offsets. */
    private Map<String, ConsumerRecord<byte[], byte[]>> latest(Consumer<byte[], byte[]> reader, TopicPartition tp, long upTo) {
        Map<String, ConsumerRecord<byte[], byte[]>> out = new LinkedHashMap<>();
        reader.assign(List.of(tp));
        reader.seekToBeginning(List.of(tp));
        while (reader.position(tp) < upTo) {
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                if (r.offset() >= upTo) break;
                if (r.value() == null) {
                    if (r.key() != null) out.remove(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
                    continue;
                }
                try {
                    SloAlert a = decoder.decode(r.topic(), r.value());
                    out.remove(a.getId());
                    out.put(a.getId(), r);
                } catch (IllegalArgumentException e) {
                    // dead-lettered when it was first read
                }
            }
        }
        return out;
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit();
            for (TopicPartition tp : partitions) {
                progress.revoke(tp);
                active.remove(tp);
                for (TargetWorker w : workers) w.submit(new Work.Revoke(tp));
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                ready = true;
                return;
            }
            ready = false;
            notReadyReason = "rebuilding active alerts of " + partitions;
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            try (Consumer<byte[], byte[]> reader = readerFactory.get()) {
                for (TopicPartition tp : partitions) rebuild(reader, tp, committed.get(tp), ends.get(tp));
            }
            ready = true;
        }

        private void rebuild(Consumer<byte[], byte[]> reader, TopicPartition tp, OffsetAndMetadata committed, long end) {
            boolean fresh = committed == null;
            long upTo = fresh ? end : committed.offset();
            Map<String, SloAlert> firing = new HashMap<>();
            List<ConsumerRecord<byte[], byte[]>> toDeliver = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : latest(reader, tp, upTo).values()) {
                SloAlert a = decoder.decode(r.topic(), r.value());
                if (a.getStatus() != AlertStatus.firing) continue;
                firing.put(a.getId(), a);
                toDeliver.add(r);
            }
            active.put(tp, new ConcurrentHashMap<>(firing));
            if (fresh) {
                // first start of this group: page what is active now (in topic order), then follow from the end
                toDeliver.sort(java.util.Comparator.comparingLong(ConsumerRecord::offset));
                progress.assign(tp, toDeliver.isEmpty() ? upTo : toDeliver.get(0).offset(), null);
                for (ConsumerRecord<byte[], byte[]> r : toDeliver) {
                    Work t = new Work.Transition(r, decoder.decode(r.topic(), r.value()));
                    for (TargetWorker w : workers) w.submit(t);
                }
                if (upTo > 0) {
                    // a record-less marker: once every target is past it, the commit moves to the end
                    Work marker = new Work.Transition(new ConsumerRecord<>(tp.topic(), tp.partition(), upTo - 1, null, null), null);
                    for (TargetWorker w : workers) w.submit(marker);
                }
                consumer.seek(tp, upTo);
            } else {
                progress.assign(tp, upTo, upTo);
                for (TargetWorker w : workers) w.submit(new Work.Seed(tp, firing));
            }
            log.info("{}: {} active alert(s) rebuilt from offsets [0, {}){}", tp, firing.size(), upTo,
                    fresh ? "; first start of this consumer group: delivering them, then following from the end" : "");
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
