package dev.burnrate.query;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds an {@link AlertHistory} from the alerts topic: every partition from the beginning, committed records only
 * (the processor writes transactionally), no consumer group (nothing to commit: the history is rebuilt on start).
 */
public final class AlertHistoryReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertHistoryReader.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean closed;

    /** @param kafka the application's Kafka client properties (bootstrap.servers, security settings, ...) */
    public AlertHistoryReader(Properties kafka, String topic, AlertHistory history) {
        Map<String, Object> props = new HashMap<>();
        for (String k : ConsumerConfig.configNames()) if (kafka.containsKey(k)) props.put(k, kafka.get(k));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "burnrate-alert-history");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(() -> run(topic, history), "alert-history");
        thread.setDaemon(true);
    }

    public AlertHistoryReader start() {
        thread.start();
        return this;
    }

    private void run(String topic, AlertHistory history) {
        try {
            List<TopicPartition> parts = new ArrayList<>();
            while (parts.isEmpty() && !closed) {
                for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) parts.add(new TopicPartition(topic, p.partition()));
                if (parts.isEmpty()) Thread.sleep(1000);
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) history.add(r.value());
            }
        } catch (WakeupException e) {
            if (!closed) log.warn("alert history reader woken up unexpectedly; the page's alert history stops here");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closed) log.warn("alert history reader stopped: {}; the page's alert history stops here", e.toString());
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        if (!thread.isAlive()) {
            if (thread.getState() == Thread.State.NEW) consumer.close();
            return;
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
