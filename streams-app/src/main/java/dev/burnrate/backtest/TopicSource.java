package dev.burnrate.backtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The records of a topic whose record timestamps are in [from, to), read with a plain consumer (no group, no
 * commits; {@code offsetsForTimes} finds where to start and stop in each partition) and merged across partitions
 * in record-timestamp order, since the backtest feeds one input partition and a partition-after-partition order
 * would make every partition but the first late. The position of a record is its partition and offset.
 */
final class TopicSource implements InputSource {
    private static final int BUFFERED_PER_PARTITION = 20_000;

    private final String bootstrap;
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> buffered = new HashMap<>();
    /** Offset to stop before, per partition still being read. */
    private final Map<TopicPartition, Long> endOffsets = new HashMap<>();
    private long inRange;
    private int partitions;

    TopicSource(String bootstrap, String topic, Instant from, Instant to, Map<String, String> clientProperties) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "burnrate-backtest-" + UUID.randomUUID().toString().substring(0, 8));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(64 << 20));
        props.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 << 20));
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) throw new IllegalArgumentException("topic '" + topic + "' not found on " + bootstrap);
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : infos) parts.add(new TopicPartition(topic, p.partition()));
            consumer.assign(parts);
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts, Duration.ofSeconds(30));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(times(parts, from.toEpochMilli()), Duration.ofSeconds(30));
            Map<TopicPartition, OffsetAndTimestamp> stops = consumer.offsetsForTimes(times(parts, to.toEpochMilli()), Duration.ofSeconds(30));
            List<TopicPartition> idle = new ArrayList<>();
            for (TopicPartition tp : parts) {
                OffsetAndTimestamp s = starts.get(tp);
                OffsetAndTimestamp e = stops.get(tp);
                long stop = e == null ? ends.get(tp) : e.offset();
                if (s == null || stop <= s.offset()) { // nothing at or after 'from' before 'to'
                    idle.add(tp);
                    continue;
                }
                consumer.seek(tp, s.offset());
                endOffsets.put(tp, stop);
                buffered.put(tp, new ArrayDeque<>());
                inRange += stop - s.offset();
            }
            consumer.pause(idle);
            partitions = parts.size();
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
    }

    private static Map<TopicPartition, Long> times(List<TopicPartition> parts, long ts) {
        Map<TopicPartition, Long> m = new HashMap<>();
        for (TopicPartition tp : parts) m.put(tp, ts);
        return m;
    }

    @Override
    public boolean next(Cursor into) {
        while (true) {
            // every partition still being read needs a buffered record before the oldest can be chosen
            boolean missing = false;
            for (TopicPartition tp : endOffsets.keySet()) {
                if (buffered.get(tp).isEmpty()) {
                    missing = true;
                    break;
                }
            }
            if (!missing) break;
            poll();
        }
        TopicPartition oldest = null;
        long oldestTs = Long.MAX_VALUE;
        for (Map.Entry<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> e : buffered.entrySet()) {
            ConsumerRecord<byte[], byte[]> head = e.getValue().peekFirst();
            if (head != null && head.timestamp() < oldestTs) {
                oldestTs = head.timestamp();
                oldest = e.getKey();
            }
        }
        if (oldest == null) return false;
        ConsumerRecord<byte[], byte[]> r = buffered.get(oldest).pollFirst();
        into.value = r.value();
        into.timestampMs = r.timestamp();
        into.position = ((long) r.partition() << 48) | r.offset();
        if (buffered.get(oldest).size() < BUFFERED_PER_PARTITION / 2 && endOffsets.containsKey(oldest)) {
            consumer.resume(List.of(oldest));
        }
        return true;
    }

    private void poll() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            Long stop = endOffsets.get(tp);
            if (stop == null || r.offset() >= stop) continue;
            buffered.get(tp).addLast(r);
        }
        List<TopicPartition> done = new ArrayList<>();
        List<TopicPartition> full = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> e : endOffsets.entrySet()) {
            TopicPartition tp = e.getKey();
            // the position is past the last record read (transaction markers and aborted records included)
            if (consumer.position(tp) >= e.getValue()) done.add(tp);
            else if (buffered.get(tp).size() >= BUFFERED_PER_PARTITION) full.add(tp);
        }
        for (TopicPartition tp : done) endOffsets.remove(tp);
        if (!done.isEmpty()) consumer.pause(done);
        if (!full.isEmpty()) consumer.pause(full);
    }

    @Override
    public String describe(long position) {
        return "partition " + (position >>> 48) + " offset " + (position & 0xFFFF_FFFF_FFFFL);
    }

    @Override
    public void describe(long position, ObjectNode into) {
        into.put("partition", position >>> 48);
        into.put("offset", position & 0xFFFF_FFFF_FFFFL);
    }

    @Override
    public String name() {
        return String.format(java.util.Locale.ROOT, "%s on %s (%d partitions, %,d offsets in the time range)", topic, bootstrap, partitions, inRange);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
