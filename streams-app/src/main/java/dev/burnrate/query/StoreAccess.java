package dev.burnrate.query;

import dev.burnrate.alerts.AlertState;
import dev.burnrate.alerts.AlertId;
import dev.burnrate.core.ByServicePartitioner;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Read access to this instance's windows-stage stores, one partition at a time (a service lives in exactly one
 * partition). Implemented over Kafka Streams interactive queries, and over a TopologyTestDriver in tests.
 * A store that is not queryable right now (rebalance, restoration) throws {@link QueryUnavailableException}.
 */
public interface StoreAccess {
    ReadOnlyKeyValueStore<Bytes, byte[]> buckets(int partition);

    ReadOnlyKeyValueStore<String, List<String>> routes(int partition);

    ReadOnlyKeyValueStore<Integer, Long> progress(int partition);

    ReadOnlyKeyValueStore<AlertId, AlertState> alertStates(int partition);

    /** Partitions of the windows stage whose active task runs on this instance. */
    List<Integer> localPartitions();

    /** Number of partitions of the by-service topic. */
    int partitions();

    default int partitionOf(String service) {
        return ByServicePartitioner.partitionOf(service, partitions());
    }
}
