package dev.burnrate.core;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Events go to the partition of their service (Kafka's default hash of the key, so interactive queries find
 * them with the default partitioner); progress marks go to every partition.
 */
public final class ByServicePartitioner implements StreamPartitioner<String, Shuffled> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, Shuffled value, int numPartitions) {
        if (value instanceof Shuffled.Progress) {
            return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()));
        }
        return Optional.of(Set.of(partitionOf(key, numPartitions)));
    }

    public static int partitionOf(String service, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(Serdes.String().serializer().serialize(null, service))) % numPartitions;
    }
}
