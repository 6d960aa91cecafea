package dev.burnrate.ingest;

import dev.burnrate.core.LatencyCounting;
import dev.burnrate.core.ShuffledSerde;
import dev.burnrate.core.Shuffled;
import dev.burnrate.state.WriteBehindStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Counts of the events an ingest task has accepted but not yet handed to the windows stage, one {@link
 * Shuffled.Batch} per service. Counting is a hash lookup and an increment in memory; just before each commit the
 * batches that changed are written to a changelogged store (one record per service, see {@link WriteBehindStore}),
 * so counts whose input offsets a commit covers are in that same transaction: a crash or a moved task gets them
 * back, never twice. A hand-over deletes the stored batches it sends, in the transaction that sends them.
 */
public final class IngestBuffer {

    private final WriteBehindStore<String, byte[]> store;
    private Map<String, Pending> pending = new HashMap<>();
    /** Batches changed since the last commit (each once: {@link Pending#dirty}). */
    private final List<Pending> dirty = new ArrayList<>();
    private Pending last; // the batch of the previous event: consecutive events often share a service
    private final LatencyCounting latency;
    private int[] lastSpecs; // the latency SLIs that apply to last's service

    /** A service's batch, whether it changed since the last commit, and whether the store holds it. */
    private static final class Pending {
        final Shuffled.Batch batch;
        boolean dirty;
        boolean stored;

        Pending(Shuffled.Batch batch) {
            this.batch = batch;
        }
    }

    public IngestBuffer(WriteBehindStore<String, byte[]> store) {
        this(store, LatencyCounting.NONE);
    }

    public IngestBuffer(WriteBehindStore<String, byte[]> store, LatencyCounting latency) {
        this.store = java.util.Objects.requireNonNull(store, "store");
        this.latency = latency;
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                Pending p = new Pending((Shuffled.Batch) ShuffledSerde.decode(kv.value));
                p.stored = true;
                pending.put(kv.key, p);
            }
        }
        store.beforeCommit(this::persist);
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
        Pending p = last;
        if (p == null || !service.equals(p.batch.service())) {
            p = pending.get(service);
            if (p == null) {
                p = new Pending(new Shuffled.Batch(service));
                pending.put(service, p);
            }
            if (!p.dirty) {
                p.dirty = true;
                dirty.add(p);
            }
            last = p;
            lastSpecs = latency.specsFor(service);
        }
        p.batch.addEvent(route, status, bucketStartMs, durationMs, latency, lastSpecs);
    }

    /** Before a commit: the changed batches to the store (and so to the changelog, in the commit's transaction). */
    private void persist() {
        for (Pending p : dirty) {
            store.put(p.batch.service(), ShuffledSerde.encode(p.batch));
            p.stored = true;
            p.dirty = false;
        }
        dirty.clear();
        last = null; // the next count looks its batch up again, and so marks it dirty
    }

    /** Everything pending, one batch per service; the buffer is empty afterwards. */
    public List<Shuffled.Batch> drain() {
        List<Shuffled.Batch> out = new ArrayList<>(pending.size());
        for (Pending p : pending.values()) {
            out.add(p.batch);
            if (p.stored) store.delete(p.batch.service());
        }
        dirty.clear();
        pending = new HashMap<>(); // a fresh map: clear() would keep the capacity a burst once grew it to
        last = null;
        return out;
    }
}
