package dev.burnrate.notifier.delivery;

import dev.burnrate.schema.SloAlert;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** What the source hands each target's worker, in topic order per partition. */
public sealed interface Work {
    /** A record of the alerts topic; {@code alert} is null when it could not be read (already dead-lettered): skip it. */
    record Transition(ConsumerRecord<byte[], byte[]> record, SloAlert alert) implements Work {
        public TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }
    }

    /** A partition was assigned: its active alerts as rebuilt from the topic (Alertmanager re-sends them). */
    record Seed(TopicPartition partition, Map<String, SloAlert> active) implements Work {
    }

    /** A partition went to another instance: stop re-sending its alerts. */
    record Revoke(TopicPartition partition) implements Work {
    }
}
