package dev.burnrate.windows;

import dev.burnrate.core.Varints;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.ObjLongConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The stored form of what the windows stage rewrites at every commit, the finest tier ({@link BucketStore}) and the
 * latency minutes ({@link LatencyBuckets}): one record per (service, bucket, shard) holding that bucket of up to
 * about {@link #SLOTS} of the service's keys (service total and routes), not one record per (service, route, bucket).
 * One record per key and bucket made the buckets' changelog nearly one record per event in a replay, and those
 * writes (store put, changelog send, the broker's append) cost as much as the rest of the windows stage. Shards
 * bound what a commit rewrites when one route of a service with hundreds changes.
 *
 * <p>Key: the service total's key of the tier (route empty) and the bucket start, then the shard (1 byte), so one
 * service's records are in time order and a time range is one scan. Value: per key, a tag (varint: the finest
 * tier's slot, see BucketStore), route (varint length + UTF-8) and its payload (varint length + bytes).
 */
final class ServiceRecords {
    /** Keys per record. */
    static final int SLOTS = 32;

    private ServiceRecords() {
    }

    /** The record's key: totalPrefix is the service total's key prefix (see BucketStore). */
    static Bytes key(byte[] totalPrefix, int tier, long start, int shard) {
        byte[] k = Arrays.copyOf(totalPrefix, totalPrefix.length + 9);
        k[0] = (byte) tier;
        ByteBuffer.wrap(k, totalPrefix.length, 8).putLong(start);
        k[k.length - 1] = (byte) shard;
        return Bytes.wrap(k);
    }

    /**
     * Whether a key of the tier is in the layout written before these records: one key per (service, route, bucket),
     * tier service 0x00 route 0x00 start, 1 byte shorter than a record's key after its (empty) route.
     */
    static boolean isLegacy(byte[] key) {
        int service = BucketStore.indexOf(key, 1);
        return key.length == BucketStore.indexOf(key, service + 1) + 9;
    }

    /** The service of a key, in either layout. */
    static String service(byte[] key) {
        return new String(key, 1, BucketStore.indexOf(key, 1) - 1, StandardCharsets.UTF_8);
    }

    /** The route of a key in the former layout (see {@link #isLegacy}). */
    static String legacyRoute(byte[] key) {
        int service = BucketStore.indexOf(key, 1);
        return new String(key, service + 1, key.length - 10 - service, StandardCharsets.UTF_8);
    }

    static long start(byte[] key) {
        return ByteBuffer.wrap(key, key.length - 9, 8).getLong();
    }

    /** One key's entry in a record. */
    interface Entry {
        void accept(int tag, String route, ByteBuffer payload);
    }

    static void forEach(byte[] record, Entry e) {
        ByteBuffer b = ByteBuffer.wrap(record);
        while (b.hasRemaining()) {
            int slot = (int) Varints.get(b);
            int n = (int) Varints.get(b);
            String route = new String(record, b.position(), n, StandardCharsets.UTF_8);
            b.position(b.position() + n);
            int m = (int) Varints.get(b);
            e.accept(slot, route, b.slice(b.position(), m));
            b.position(b.position() + m);
        }
    }

    /** The payload of route in the record (a route is in a record once), or null. */
    static ByteBuffer find(byte[] record, byte[] route) {
        ByteBuffer b = ByteBuffer.wrap(record);
        while (b.hasRemaining()) {
            Varints.get(b);
            int n = (int) Varints.get(b);
            int at = b.position();
            b.position(at + n);
            int m = (int) Varints.get(b);
            if (n == route.length && Arrays.equals(record, at, at + n, route, 0, n)) return b.slice(b.position(), m);
            b.position(b.position() + m);
        }
        return null;
    }

    /**
     * The payloads of route in the records of one service and tier with bucket start in [fromMs, toMs), in time
     * order, with their start (a route in several shards of one bucket comes once per shard).
     */
    static void read(ReadOnlyKeyValueStore<Bytes, byte[]> store, String service, String route, int tier, long fromMs, long toMs,
                     ObjLongConsumer<ByteBuffer> out) {
        if (toMs <= fromMs) return;
        byte[] r = route.getBytes(StandardCharsets.UTF_8);
        // bare keys (no shard byte): the one at fromMs sorts before that bucket's records, the one at toMs before its
        try (KeyValueIterator<Bytes, byte[]> it = store.range(BucketStore.key(service, BucketStore.ALL_ROUTES, tier, fromMs),
                BucketStore.key(service, BucketStore.ALL_ROUTES, tier, toMs))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                ByteBuffer payload = find(kv.value, r);
                if (payload != null) out.accept(payload, start(kv.key.get()));
            }
        }
    }

    /** Builds one record; reused across records. */
    static final class Writer {
        private ByteBuffer out = ByteBuffer.allocate(1024);
        private int entries;

        Writer clear() {
            out.clear();
            entries = 0;
            return this;
        }

        void add(int tag, byte[] route, ByteBuffer payload) {
            int need = 2 * Varints.MAX_BYTES + 5 + route.length + payload.remaining();
            if (out.remaining() < need) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + need));
                bigger.put(out.flip());
                out = bigger;
            }
            Varints.put(out, tag);
            Varints.put(out, route.length);
            out.put(route);
            Varints.put(out, payload.remaining());
            out.put(payload);
            entries++;
        }

        boolean isEmpty() {
            return entries == 0;
        }

        byte[] toBytes() {
            return Arrays.copyOf(out.array(), out.position());
        }
    }
}
