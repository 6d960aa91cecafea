package dev.burnrate.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts of the events an ingest task has accepted but not yet handed to the windows stage, per (service, route,
 * status, finest bucket). Written through to a changelogged store (cached, so the changelog sees one record per
 * key and commit, not per event): counts accepted before a commit are never lost, even if the task moves or the
 * instance dies before they are handed over. A map mirrors the store so counting needs no store read.
 */
public final class IngestBuffer {
    public static final String NAME = "ingest-buffer";

    private record Key(String service, String route, int status, long bucketStartMs) {
    }

    private static final class Entry {
        final Bytes storeKey;
        long count;

        Entry(Bytes storeKey, long count) {
            this.storeKey = storeKey;
            this.count = count;
        }
    }

    private final KeyValueStore<Bytes, byte[]> store;
    private Map<Key, Entry> pending = new HashMap<>();

    public IngestBuffer(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                ByteBuffer k = ByteBuffer.wrap(kv.key.get());
                String service = str(k);
                String route = str(k);
                Key key = new Key(service, route, k.getShort(), k.getLong());
                pending.put(key, new Entry(kv.key, ByteBuffer.wrap(kv.value).getLong()));
            }
        }
    }

    public void add(String service, String route, int status, long bucketStartMs) {
        Key key = new Key(service, route, status, bucketStartMs);
        Entry e = pending.get(key);
        if (e == null) {
            e = new Entry(storeKey(key), 0);
            pending.put(key, e);
        }
        e.count++;
        store.put(e.storeKey, ByteBuffer.allocate(8).putLong(e.count).array());
    }

    /** Everything pending, as deltas; the buffer is empty afterwards. */
    public List<Shuffled.Delta> drain() {
        List<Shuffled.Delta> out = new ArrayList<>(pending.size());
        for (Map.Entry<Key, Entry> e : pending.entrySet()) {
            Key k = e.getKey();
            out.add(new Shuffled.Delta(k.service(), k.route(), k.status(), k.bucketStartMs(), e.getValue().count));
            store.delete(e.getValue().storeKey);
        }
        // a fresh map: clear() costs the capacity a burst once grew it to, at every hand-over
        pending = new HashMap<>();
        return out;
    }


    private static Bytes storeKey(Key k) {
        byte[] s = k.service().getBytes(StandardCharsets.UTF_8);
        byte[] r = k.route().getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(4 + s.length + 4 + r.length + 2 + 8)
                .putInt(s.length).put(s).putInt(r.length).put(r).putShort((short) k.status()).putLong(k.bucketStartMs()).array());
    }

    private static String str(ByteBuffer b) {
        int len = b.getInt();
        String s = new String(b.array(), b.position(), len, StandardCharsets.UTF_8);
        b.position(b.position() + len);
        return s;
    }
}
