package dev.burnrate.notifier.delivery;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far each target has got in each partition. A partition's offset may be committed up to the slowest target:
 * every record before it was accepted by every target or failed finally (and went to the dead-letter topic).
 * Targets advance independently, so a failing one holds back only the commit, not the other targets.
 */
public final class Progress {
    private final List<String> targets;
    private final Map<TopicPartition, Map<String, Long>> next = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    public Progress(List<String> targets) {
        this.targets = List.copyOf(targets);
    }

    /** A partition is assigned; every target is done with what comes before {@code from}. */
    public synchronized void assign(TopicPartition tp, long from, Long alreadyCommitted) {
        Map<String, Long> m = new HashMap<>();
        for (String t : targets) m.put(t, from);
        next.put(tp, m);
        if (alreadyCommitted != null) committed.put(tp, alreadyCommitted);
        else committed.remove(tp);
    }

    public synchronized void revoke(TopicPartition tp) {
        next.remove(tp);
        committed.remove(tp);
    }

    /** The target is finished with the record at {@code offset} (and, being in order, with all before it). */
    public synchronized void done(String target, TopicPartition tp, long offset) {
        Map<String, Long> m = next.get(tp);
        if (m != null) m.merge(target, offset + 1, Math::max);
    }

    /** Offsets that every target has passed and that are not committed yet. */
    public synchronized Map<TopicPartition, OffsetAndMetadata> toCommit() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        next.forEach((tp, m) -> {
            long min = m.values().stream().mapToLong(Long::longValue).min().orElse(0);
            Long c = committed.get(tp);
            if (c == null || min > c) out.put(tp, new OffsetAndMetadata(min));
        });
        return out;
    }

    public synchronized void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, o) -> {
            if (next.containsKey(tp)) committed.merge(tp, o.offset(), Math::max);
        });
    }
}
