package dev.burnrate.ingest;

import dev.burnrate.core.LatencyCounting;
import dev.burnrate.core.ShuffledSerde;
import dev.burnrate.core.Shuffled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts of the events an ingest task has accepted but not yet handed to the windows stage, one {@link
 * Shuffled.Batch} per service. Counting is a hash lookup and an increment in memory. The owner drains the buffer at
 * every hand-over, and a hand-over runs at least before each commit (see {@link IngestProcessor}): counts never
 * outlive the transaction that covers their input, so a crash loses nothing (the aborted transaction's input is
 * read again) and nothing is written to a store per commit.
 *
 * <p>The changelogged store is only read: an instance of an earlier version wrote the batches it had not handed on
 * there, and this one hands them on with its first hand-over (deleting them in that transaction), so an upgrade
 * loses nothing either.
 */
public final class IngestBuffer {

    private final KeyValueStore<String, byte[]> store;
    private Map<String, Shuffled.Batch> pending = new HashMap<>();
    /** Services whose batch came from the store and is still there: deleted when handed on. */
    private final Set<String> stored = new HashSet<>();
    private Shuffled.Batch last; // the batch of the previous event: consecutive events often share a service
    private final LatencyCounting latency;
    private int[] lastSpecs; // the latency SLIs that apply to last's service

    public IngestBuffer(KeyValueStore<String, byte[]> store) {
        this(store, LatencyCounting.NONE);
    }

    public IngestBuffer(KeyValueStore<String, byte[]> store, LatencyCounting latency) {
        this.store = java.util.Objects.requireNonNull(store, "store");
        this.latency = latency;
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                pending.put(kv.key, (Shuffled.Batch) ShuffledSerde.decode(kv.value));
                stored.add(kv.key);
            }
        }
    }

    /** Counts in memory only, nothing durable: for measuring the counting itself (the decode benchmark). */
    public static IngestBuffer inMemory() {
        return inMemory(LatencyCounting.NONE);
    }

    public static IngestBuffer inMemory(LatencyCounting latency) {
        return new IngestBuffer(latency);
    }

    private IngestBuffer(LatencyCounting latency) {
        this.store = null;
        this.latency = latency;
    }

    /** One request without a duration. */
    public void add(String service, String route, int status, long bucketStartMs) {
        add(service, route, status, Double.NaN, bucketStartMs);
    }

    /** One request; durationMs NaN when it has none. */
    public void add(String service, String route, int status, double durationMs, long bucketStartMs) {
        Shuffled.Batch b = last;
        if (b == null || !service.equals(b.service())) {
            b = pending.get(service);
            if (b == null) {
                b = new Shuffled.Batch(service);
                pending.put(service, b);
            }
            last = b;
            lastSpecs = latency.specsFor(service);
        }
        b.addEvent(route, status, bucketStartMs, durationMs, latency, lastSpecs);
    }

    /** Everything pending, one batch per service; the buffer is empty afterwards. */
    public List<Shuffled.Batch> drain() {
        if (pending.isEmpty()) return List.of();
        List<Shuffled.Batch> out = new ArrayList<>(pending.values());
        for (String service : stored) store.delete(service);
        stored.clear();
        pending = new HashMap<>(); // a fresh map: clear() would keep the capacity a burst once grew it to
        last = null;
        return out;
    }
}
