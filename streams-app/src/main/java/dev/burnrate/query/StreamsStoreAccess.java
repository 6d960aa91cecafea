package dev.burnrate.query;

import dev.burnrate.core.StoreNames;
import dev.burnrate.alerts.AlertState;
import dev.burnrate.alerts.AlertId;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** {@link StoreAccess} over a running KafkaStreams instance (active tasks only: stale answers are not offered). */
public final class StreamsStoreAccess implements StoreAccess {
    private final KafkaStreams streams;
    private final String byServiceTopic;
    private final int partitions;

    public StreamsStoreAccess(KafkaStreams streams, String byServiceTopic, int partitions) {
        this.streams = streams;
        this.byServiceTopic = byServiceTopic;
        this.partitions = partitions;
    }

    private <K, V> ReadOnlyKeyValueStore<K, V> store(String name, int partition) {
        try {
            return unavailableOnMove(streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore())
                    .withPartition(partition)), ReadOnlyKeyValueStore.class, name + " partition " + partition);
        } catch (InvalidStateStoreException e) {
            throw new QueryUnavailableException("store " + name + " partition " + partition + " is not queryable on this instance now ("
                    + streams.state() + "): " + e.getMessage());
        }
    }

    /**
     * The store (or iterator) as it is, except that a rebalance starting while it is read (Kafka Streams then throws
     * InvalidStateStoreException from any call) becomes a {@link QueryUnavailableException}: 503 and Retry-After.
     */
    @SuppressWarnings("unchecked")
    private static <T> T unavailableOnMove(T target, Class<?> type, String what) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            try {
                Object r = method.invoke(target, args);
                return r instanceof KeyValueIterator<?, ?> it ? unavailableOnMove(it, KeyValueIterator.class, what) : r;
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof InvalidStateStoreException moved) {
                    throw new QueryUnavailableException("store " + what + " stopped being queryable during the request (rebalancing): "
                            + moved.getMessage());
                }
                throw e.getCause();
            }
        });
    }

    @Override
    public ReadOnlyKeyValueStore<Bytes, byte[]> buckets(int partition) {
        return store(StoreNames.BUCKETS, partition);
    }

    @Override
    public ReadOnlyKeyValueStore<String, List<String>> routes(int partition) {
        return store(StoreNames.ROUTES, partition);
    }

    @Override
    public ReadOnlyKeyValueStore<Integer, Long> progress(int partition) {
        return store(StoreNames.PROGRESS, partition);
    }

    @Override
    public ReadOnlyKeyValueStore<AlertId, AlertState> alertStates(int partition) {
        return store(StoreNames.ALERT_STATE, partition);
    }

    @Override
    public List<Integer> localPartitions() {
        TreeSet<Integer> out = new TreeSet<>();
        for (ThreadMetadata t : streams.metadataForLocalThreads()) {
            t.activeTasks().forEach(task -> task.topicPartitions().forEach(tp -> {
                if (tp.topic().equals(byServiceTopic)) out.add(tp.partition());
            }));
        }
        return List.copyOf(out);
    }

    @Override
    public int partitions() {
        return partitions;
    }
}
